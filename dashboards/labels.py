"""Chart labels that fit their box: an estimate of a text's width, wrapping and abbreviation.

The SVG is drawn on the server, so it cannot ask the browser how wide a label will be. The
estimate below errs wide: its advance widths (in em) are those of DejaVu Sans, the widest of
the fonts the stylesheet names (and the one Chromium falls back to on Debian), rounded up per
class of characters; Arabic letters count as wide as Latin lower case, more than Noto Sans
Arabic's joined forms take. The browser test (tests/e2e/test_dashboards_charts.py) measures
every label as drawn and fails if one leaves its box.
"""

from __future__ import annotations

import re
import unicodedata

ELLIPSIS = "…"
NARROW = set(" .,:;'|!()[]ijlfItr/")
WIDE = set("mwMW@%")
SEMI = set("–-")

# em per character class (DejaVu Sans: i .28, l .28, space .32, digits .64, a .61, m .97, M .86).
EM_NARROW = 0.40
EM_DIGIT = 0.64
EM_LOWER = 0.63
EM_UPPER = 0.76
EM_WIDE = 1.0
EM_DASH = 0.55
SAFETY = 1.04


def _em(char: str) -> float:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Cf"):
        return 0.0
    if char in NARROW:
        return EM_NARROW
    if char in WIDE:
        return EM_WIDE
    if char in SEMI:
        return EM_DASH
    if char.isdigit():
        return EM_DIGIT
    if char.isupper():
        return EM_UPPER
    if char == ELLIPSIS:
        return EM_WIDE
    return EM_LOWER


def text_width(text: str, size: float) -> float:
    """An upper estimate of `text`'s width at font size `size` (user units)."""
    return sum(_em(c) for c in str(text)) * size * SAFETY


def _truncate(text: str, width: float, size: float) -> str:
    text = text.rstrip()
    while text and text_width(text + ELLIPSIS, size) > width:
        text = text[:-1].rstrip()
    return text + ELLIPSIS


# Break after spaces, hyphens and dashes ("Tanger-Tétouan-Al Hoceïma" wraps at its hyphens).
BREAK = re.compile(r"(?<=[\s\-–/])")


def fit_label(text: str, width: float, size: float, max_lines: int = 2) -> tuple[list[str], bool]:
    """`text` as at most `max_lines` lines each at most `width` wide: wrapped at spaces and
    hyphens, the last line abbreviated with "…" if the rest does not fit. Returns the lines
    and whether the label was abbreviated (the caller then gives the full label elsewhere)."""
    text = " ".join(str(text).split())
    if text_width(text, size) <= width:
        return [text], False
    if max_lines <= 1:
        return [_truncate(text, width, size)], True
    words = [w for w in BREAK.split(text) if w]
    lines: list[str] = []
    current = ""
    for index, word in enumerate(words):
        if text_width((current + word).rstrip(), size) <= width or not current:
            current += word
            continue
        lines.append(current.rstrip())
        current = word
        if len(lines) == max_lines - 1:
            current = "".join(words[index:])
            break
    lines.append(current.rstrip())
    abbreviated = False
    for n, line in enumerate(lines):
        if text_width(line, size) > width:
            lines[n] = _truncate(line, width, size)
            abbreviated = True
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _truncate(lines[-1], width, size)
        abbreviated = True
    return lines, abbreviated


def fit_labels(texts: list[str], width: float, size: float, max_lines: int = 2) -> list[tuple[list[str], bool]]:
    """`fit_label` for each text; two different labels never end up looking the same (two
    sectors both "Production et d…"): such a pair keeps its endings instead of its middles."""
    fitted = [fit_label(t, width, size, max_lines) for t in texts]
    seen: dict[tuple, int] = {}
    for index, (lines, _abbreviated) in enumerate(fitted):
        key = tuple(lines)
        if key in seen and str(texts[seen[key]]) != str(texts[index]):
            for k in (seen[key], index):
                fitted[k] = (_middle(str(texts[k]), width, size, max_lines), True)
        seen.setdefault(key, index)
    return fitted


def _middle(text: str, width: float, size: float, max_lines: int) -> list[str]:
    """The start of `text` on the first lines and its end on the last, joined by "…"."""
    lines, _abbreviated = fit_label(text, width, size, max_lines - 1) if max_lines > 1 else ([], False)
    tail = text
    while tail and text_width(ELLIPSIS + tail, size) > width:
        tail = tail[1:]
    if lines:
        lines[-1] = lines[-1].rstrip(ELLIPSIS)
    return [*lines, ELLIPSIS + tail.lstrip()]
