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

# Colour-blind-safe palette (Okabe–Ito), enough for the longest stacked series.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
WIDTH = 360
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 140
MAX_LABEL = 20


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
    from django.utils.formats import number_format

    if value is None:
        return "–"
    if fmt == "pct":
        return f"{number_format(value * 100, 1)} %"
    if fmt == "days":
        return number_format(value, 1)
    if fmt in ("int", "mad"):
        return number_format(value, 0, force_grouping=True)
    return str(value)


def _fmt(template: str, *args) -> str:
    """format_html with floats rounded to one decimal (it escapes, so format specs cannot apply)."""
    return format_html(template.replace("{:.1f}", "{}"), *[round(a, 1) if isinstance(a, float) else a for a in args])


SVG_END = SafeString("</svg>")


def _join(parts: list) -> str:
    # Every part is already escaped by format_html: joining them keeps them safe.
    return format_html("{}" * len(parts), *parts)


def _short(label: str) -> str:
    label = str(label)
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _open(chart: Chart, height: int, summary: str) -> str:
    rtl = get_language_bidi()
    return _fmt(
        '<svg class="chart chart-{}" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc"'
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
    peak = max(values) or 1
    rtl = get_language_bidi()
    area = WIDTH - LABEL_WIDTH - 70
    height = len(chart.rows) * (BAR_HEIGHT + GAP) + GAP
    parts = [_open(chart, height, _summary(chart, index))]
    for k, (row, value) in enumerate(zip(chart.rows, values, strict=True)):
        y = GAP + k * (BAR_HEIGHT + GAP)
        width = max(area * value / peak, 1 if value else 0)
        if rtl:
            label_x, bar_x, value_x = (
                WIDTH - LABEL_WIDTH + 8,
                WIDTH - LABEL_WIDTH - width,
                WIDTH - LABEL_WIDTH - width - 6,
            )
        else:
            label_x, bar_x, value_x = LABEL_WIDTH - 8, LABEL_WIDTH, LABEL_WIDTH + width + 6
        parts.append(
            _fmt(
                '<g class="bar"><text x="{}" y="{}" text-anchor="end" class="chart-label">{}<title>{}</title></text>'
                '<rect x="{:.1f}" y="{}" width="{:.1f}" height="{}" fill="{}" data-value="{}"></rect>'
                '<text x="{:.1f}" y="{}" text-anchor="start" class="chart-value">{}</text></g>',
                label_x,
                y + BAR_HEIGHT * 0.7,
                _short(row[0]),
                row[0],
                bar_x,
                y,
                width,
                BAR_HEIGHT,
                PALETTE[0],
                value,
                value_x,
                y + BAR_HEIGHT * 0.7,
                display(row[index], chart.column_format(index)),
            )
        )
    parts.append(SVG_END)
    return _join(parts)


def _columns(chart: Chart) -> str:
    index = chart.value_index
    values = [r[index] or 0 for r in chart.rows]
    peak = max(values) or 1
    rtl = get_language_bidi()
    height, top, bottom, side = 240, 20, 40, 16
    step = (WIDTH - 2 * side) / max(len(values), 1)
    parts = [_open(chart, height, _summary(chart, index))]
    tick_every = max(len(values) // 6, 1)
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
                value,
            )
        )
        if k % tick_every == 0 or k == len(values) - 1:
            parts.append(
                _fmt(
                    '<text x="{:.1f}" y="{}" text-anchor="middle" class="chart-tick">{}</text>',
                    x + step / 2,
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
    peak = max(totals) or 1
    rtl = get_language_bidi()
    area = WIDTH - LABEL_WIDTH - 70
    legend_rows = (len(series) + 1) // 2
    legend_height = legend_rows * 20 + 6
    height = legend_height + len(chart.rows) * (BAR_HEIGHT + GAP) + GAP
    parts = [_open(chart, height, _summary_stacked(chart, totals))]
    for n, i in enumerate(series):
        column, line = n % 2, n // 2
        x = (WIDTH - 12 - column * (WIDTH / 2)) if rtl else (12 + column * (WIDTH / 2))
        parts.append(
            _fmt(
                '<rect x="{:.1f}" y="{}" width="12" height="12" fill="{}"></rect>'
                '<text x="{:.1f}" y="{}" text-anchor="start" class="chart-legend">{}</text>',
                x - 12 if rtl else x,
                4 + line * 20,
                PALETTE[n % len(PALETTE)],
                x - 18 if rtl else x + 18,
                14 + line * 20,
                chart.headers[i],
            )
        )
    for k, (row, total) in enumerate(zip(chart.rows, totals, strict=True)):
        y = legend_height + GAP + k * (BAR_HEIGHT + GAP)
        label_x = WIDTH - LABEL_WIDTH + 8 if rtl else LABEL_WIDTH - 8
        parts.append(
            _fmt(
                '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}<title>{}</title></text>',
                label_x,
                y + BAR_HEIGHT * 0.7,
                _short(row[0]),
                row[0],
            )
        )
        offset = 0.0
        for n, i in enumerate(series):
            value = row[i] or 0
            if not value:
                continue
            width = area * value / peak
            x = WIDTH - LABEL_WIDTH - offset - width if rtl else LABEL_WIDTH + offset
            parts.append(
                _fmt(
                    '<rect x="{:.1f}" y="{}" width="{:.1f}" height="{}" fill="{}" data-value="{}">'
                    "<title>{}: {}</title></rect>",
                    x,
                    y,
                    width,
                    BAR_HEIGHT,
                    PALETTE[n % len(PALETTE)],
                    value,
                    chart.headers[i],
                    value,
                )
            )
            offset += width
        value_x = WIDTH - LABEL_WIDTH - offset - 6 if rtl else LABEL_WIDTH + offset + 6
        parts.append(
            _fmt(
                '<text x="{:.1f}" y="{}" text-anchor="start" class="chart-value">{}</text>',
                value_x,
                y + BAR_HEIGHT * 0.7,
                display(total, "int"),
            )
        )
    parts.append(SVG_END)
    return _join(parts)


def _summary_stacked(chart: Chart, totals: list[int]) -> str:
    ranked = sorted(zip(chart.rows, totals, strict=True), key=lambda p: p[1], reverse=True)[:3]
    parts = ", ".join(f"{row[0]}: {display(total, 'int')}" for row, total in ranked)
    return _("Stacked bars by %(series)s; largest totals: %(values)s. The full figures are in the table.") % {
        "series": ", ".join(str(h) for h in chart.headers[1:]),
        "values": parts,
    }
