"""Text folding for skill search: the same on both sides of every comparison."""

import re
import unicodedata

# Arabic: drop harakat and tatweel, and fold the letter variants people type interchangeably.
_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Casefold, strip Latin accents and Arabic diacritics, fold Arabic letter variants."""
    text = _ARABIC_MARKS.sub("", text or "").translate(_ARABIC_FOLD)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", unicodedata.normalize("NFC", stripped)).strip()
