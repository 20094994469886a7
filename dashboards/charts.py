"""Charts as server-rendered SVG (no JavaScript, no CDN): accessible and mirrored for Arabic.

A Chart is a table first (headers + rows, the numbers downloaded as CSV/XLSX and shown
beside the picture); `svg()` draws one numeric column of it (or all of them, stacked).
Every SVG has a <title> and a <desc> and is referenced by role="img".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from portal.numbers import format_figure

from .labels import fit_label, fit_labels, text_width

# Colour-blind-safe palette (Okabe–Ito), enough for the longest stacked series.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
WIDTH = 360
BAR_HEIGHT = 22
GAP = 8
# The label column (the reading start side) and the labels' font (dashboards.css: .chart text).
LABEL_WIDTH = 150
LABEL_PAD = 8
LABEL_TEXT_WIDTH = LABEL_WIDTH - 2 * LABEL_PAD
FONT_SIZE = 13
TICK_SIZE = 12
LINE_HEIGHT = 15
VALUE_GAP = 6
LEGEND_INDENT = 18


@dataclass
class Chart:
    slug: str
    title: str
    headers: list[str]
    rows: list[list]
    kind: str = "bars"  # bars | columns | stacked
    value_index: int = 1
    formats: list[str] = field(default_factory=list)  # per column: text, int, pct, mad, days
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(isinstance(v, int | float) and v for row in self.rows for v in row[1:])

    def column_format(self, index: int) -> str:
        if self.formats and index < len(self.formats):
            return self.formats[index]
        return "text" if index == 0 else "int"

    def display_rows(self) -> list[list[str]]:
        return [[display(v, self.column_format(i)) for i, v in enumerate(row)] for row in self.rows]

    def svg(self) -> str:
        if self.is_empty:
            return ""
        drawer = {"bars": _bars, "columns": _columns, "stacked": _stacked}[self.kind]
        return drawer(self)


def display(value, fmt: str) -> str:
    """A figure as shown in the charts and their tables (portal.numbers: one helper everywhere)."""
    return format_figure(value, fmt)


def _fmt(template: str, *args) -> str:
    """format_html with floats rounded to one decimal (it escapes, so format specs cannot apply)."""
    return format_html(template.replace("{:.1f}", "{}"), *[round(a, 1) if isinstance(a, float) else a for a in args])


SVG_END = SafeString("</svg>")


def _join(parts: list) -> str:
    # Every part is already escaped by format_html: joining them keeps them safe.
    return format_html("{}" * len(parts), *parts)


def _label_lines(chart: Chart) -> list[tuple[list[str], bool]]:
    return fit_labels([str(row[0]) for row in chart.rows], LABEL_TEXT_WIDTH, FONT_SIZE, max_lines=3)


def _label_text(x: float, y_middle: float, lines: list[str], full: str, anchor: str = "end") -> str:
    """A label of one or more lines centred on `y_middle`, its full text as a tooltip."""
    first = y_middle + FONT_SIZE * 0.35 - (len(lines) - 1) * LINE_HEIGHT / 2
    spans = [
        _fmt('<tspan x="{:.1f}" y="{:.1f}">{}</tspan>', x, first + n * LINE_HEIGHT, line)
        for n, line in enumerate(lines)
    ]
    return _fmt(
        '<text x="{:.1f}" y="{:.1f}" text-anchor="{}" class="chart-label">{}<title>{}</title></text>',
        x,
        first,
        anchor,
        _join(spans),
        full,
    )


def _row_height(lines: list[str]) -> float:
    return max(BAR_HEIGHT, len(lines) * LINE_HEIGHT + 6)


def _value_room(chart: Chart, texts: list[str]) -> float:
    """The width the longest value label needs after its bar."""
    return max((text_width(t, FONT_SIZE) for t in texts), default=0) + 2 * VALUE_GAP


def _abbreviated_note(chart: Chart, fitted: list[tuple[list[str], bool]]) -> str:
    full = [str(row[0]) for row, (_lines, short) in zip(chart.rows, fitted, strict=True) if short]
    if not full:
        return ""
    return " " + _("Labels shortened on the chart, in full: %(labels)s.") % {"labels": "; ".join(full)}


def _open(chart: Chart, height: float, summary: str) -> str:
    rtl = get_language_bidi()
    return _fmt(
        '<svg class="chart chart-{}" viewBox="0 0 {} {:.1f}" role="img" aria-labelledby="{}-title {}-desc"'
        ' preserveAspectRatio="xMidYMin meet" direction="{}" data-rows="{}">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        chart.kind,
        WIDTH,
        height,
        chart.slug,
        chart.slug,
        "rtl" if rtl else "ltr",
        len(chart.rows),
        chart.slug,
        chart.title,
        chart.slug,
        summary,
    )


def _summary(chart: Chart, index: int) -> str:
    ranked = sorted((r for r in chart.rows if isinstance(r[index], int | float)), key=lambda r: r[index], reverse=True)[
        :3
    ]
    parts = ", ".join(f"{r[0]}: {display(r[index], chart.column_format(index))}" for r in ranked)
    return _("%(header)s, largest values: %(values)s. The full figures are in the table.") % {
        "header": chart.headers[index],
        "values": parts,
    }


def _bars(chart: Chart) -> str:
    index = chart.value_index
    values = [r[index] or 0 for r in chart.rows]
    texts = [display(r[index], chart.column_format(index)) for r in chart.rows]
    peak = max(values) or 1
    rtl = get_language_bidi()
    area = WIDTH - LABEL_WIDTH - _value_room(chart, texts)
    fitted = _label_lines(chart)
    heights = [_row_height(lines) for lines, _short in fitted]
    height = sum(heights) + GAP * (len(heights) + 1)
    parts = [_open(chart, height, _summary(chart, index) + _abbreviated_note(chart, fitted))]
    y = GAP
    for row, value, text, (lines, _short), row_height in zip(chart.rows, values, texts, fitted, heights, strict=True):
        middle = y + row_height / 2
        width = max(area * value / peak, 1 if value else 0)
        if rtl:
            label_x, bar_x, value_x = (
                WIDTH - LABEL_PAD,
                WIDTH - LABEL_WIDTH - width,
                WIDTH - LABEL_WIDTH - width - VALUE_GAP,
            )
        else:
            label_x, bar_x, value_x = LABEL_WIDTH - LABEL_PAD, LABEL_WIDTH, LABEL_WIDTH + width + VALUE_GAP
        parts.append(SafeString('<g class="bar">'))
        # In Arabic the label column is on the right: its text ends at the reading end (left
        # edge of the column) would cross the bars, so it is anchored at the column's start.
        parts.append(
            _label_text(label_x, middle, lines, row[0]) if not rtl else _label_rtl(label_x, middle, lines, row[0])
        )
        parts.append(
            _fmt(
                '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{}" fill="{}" data-value="{}"></rect>'
                '<text x="{:.1f}" y="{:.1f}" text-anchor="start" class="chart-value">{}</text></g>',
                bar_x,
                middle - BAR_HEIGHT / 2,
                width,
                BAR_HEIGHT,
                PALETTE[0],
                value,
                value_x,
                middle + FONT_SIZE * 0.35,
                text,
            )
        )
        y += row_height + GAP
    parts.append(SVG_END)
    return _join(parts)


def _label_rtl(x: float, y_middle: float, lines: list[str], full: str) -> str:
    return _label_text(x, y_middle, lines, full, anchor="start")


def _columns(chart: Chart) -> str:
    index = chart.value_index
    values = [r[index] or 0 for r in chart.rows]
    peak = max(values) or 1
    rtl = get_language_bidi()
    height, top, bottom, side = 240, 20, 40, 16
    step = (WIDTH - 2 * side) / max(len(values), 1)
    parts = [_open(chart, height, _summary(chart, index))]
    widest = max((text_width(str(r[0]), TICK_SIZE) for r in chart.rows), default=0)
    tick_every = max(len(values) // 6, 1, int((widest + 8) // step) + 1)
    for k, (row, value) in enumerate(zip(chart.rows, values, strict=True)):
        # Time runs right to left in Arabic: the newest month sits on the reading start's opposite.
        slot = len(values) - 1 - k if rtl else k
        x = side + slot * step
        bar = (height - top - bottom) * value / peak
        parts.append(
            _fmt(
                '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}" data-value="{}">'
                "<title>{}: {}</title></rect>",
                x + step * 0.1,
                height - bottom - bar,
                step * 0.8,
                bar,
                PALETTE[0],
                value,
                row[0],
                display(value, chart.column_format(index)),
            )
        )
        if (len(values) - 1 - k) % tick_every == 0:  # counted back from the newest month, always labelled
            # Centred under its column, but never past the chart's edges.
            half = text_width(str(row[0]), TICK_SIZE) / 2
            centre = min(max(x + step / 2, half + 2), WIDTH - half - 2)
            parts.append(
                _fmt(
                    '<text x="{:.1f}" y="{}" text-anchor="middle" class="chart-tick">{}</text>',
                    centre,
                    height - bottom + 16,
                    row[0],
                )
            )
    parts.append(
        _fmt(
            '<text x="{}" y="{}" text-anchor="{}" class="chart-tick">{}</text>',
            WIDTH - side if rtl else side,
            top - 6,
            "end" if not rtl else "start",
            display(peak, chart.column_format(index)),
        )
    )
    parts.append(SVG_END)
    return _join(parts)


def _stacked(chart: Chart) -> str:
    series = list(range(1, len(chart.headers)))
    totals = [sum((r[i] or 0) for i in series) for r in chart.rows]
    texts = [display(t, "int") for t in totals]
    peak = max(totals) or 1
    rtl = get_language_bidi()
    area = WIDTH - LABEL_WIDTH - _value_room(chart, texts)
    legend_width = WIDTH / 2 - LEGEND_INDENT - 8
    legend = [fit_label(str(chart.headers[i]), legend_width, TICK_SIZE, max_lines=1)[0][0] for i in series]
    legend_rows = (len(series) + 1) // 2
    legend_height = legend_rows * 20 + 6
    fitted = _label_lines(chart)
    heights = [_row_height(lines) for lines, _short in fitted]
    height = legend_height + sum(heights) + GAP * (len(heights) + 1)
    parts = [_open(chart, height, _summary_stacked(chart, totals) + _abbreviated_note(chart, fitted))]
    for n, i in enumerate(series):
        column, line = n % 2, n // 2
        x = (WIDTH - 12 - column * (WIDTH / 2)) if rtl else (12 + column * (WIDTH / 2))
        parts.append(
            _fmt(
                '<rect x="{:.1f}" y="{}" width="12" height="12" fill="{}"></rect>'
                '<text x="{:.1f}" y="{}" text-anchor="start" class="chart-legend">{}<title>{}</title></text>',
                x - 12 if rtl else x,
                4 + line * 20,
                PALETTE[n % len(PALETTE)],
                x - 18 if rtl else x + 18,
                14 + line * 20,
                legend[n],
                chart.headers[i],
            )
        )
    y = legend_height + GAP
    for row, _total, text, (lines, _short), row_height in zip(chart.rows, totals, texts, fitted, heights, strict=True):
        middle = y + row_height / 2
        label_x = WIDTH - LABEL_PAD if rtl else LABEL_WIDTH - LABEL_PAD
        parts.append(_label_rtl(label_x, middle, lines, row[0]) if rtl else _label_text(label_x, middle, lines, row[0]))
        offset = 0.0
        for n, i in enumerate(series):
            value = row[i] or 0
            if not value:
                continue
            width = area * value / peak
            x = WIDTH - LABEL_WIDTH - offset - width if rtl else LABEL_WIDTH + offset
            parts.append(
                _fmt(
                    '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{}" fill="{}" data-value="{}">'
                    "<title>{}: {}</title></rect>",
                    x,
                    middle - BAR_HEIGHT / 2,
                    width,
                    BAR_HEIGHT,
                    PALETTE[n % len(PALETTE)],
                    value,
                    chart.headers[i],
                    display(value, "int"),
                )
            )
            offset += width
        value_x = WIDTH - LABEL_WIDTH - offset - VALUE_GAP if rtl else LABEL_WIDTH + offset + VALUE_GAP
        parts.append(
            _fmt(
                '<text x="{:.1f}" y="{:.1f}" text-anchor="start" class="chart-value">{}</text>',
                value_x,
                middle + FONT_SIZE * 0.35,
                text,
            )
        )
        y += row_height + GAP
    parts.append(SVG_END)
    return _join(parts)


def _summary_stacked(chart: Chart, totals: list[int]) -> str:
    ranked = sorted(zip(chart.rows, totals, strict=True), key=lambda p: p[1], reverse=True)[:3]
    parts = ", ".join(f"{row[0]}: {display(total, 'int')}" for row, total in ranked)
    return _("Stacked bars by %(series)s; largest totals: %(values)s. The full figures are in the table.") % {
        "series": ", ".join(str(h) for h in chart.headers[1:]),
        "values": parts,
    }
