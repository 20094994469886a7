"""A chart's table as a download: CSV (UTF-8 with a BOM, so spreadsheets read Arabic) in two
dialects — the standard one (commas, decimal point) and the one spreadsheets set to French (or
Arabic, Spanish, German…) open without an import dialog (semicolons, decimal comma) — or XLSX
(numbers stored as numbers with a number format, rates as percentages). Every figure is rounded
to its precision by portal.numbers, the pages' own helper: no 0.18518518518518517."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from portal.downloads import harden_attachment
from portal.numbers import XLSX_FORMATS, plain, xlsx_value

from .charts import Chart

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# A cell starting with one of these is a formula to a spreadsheet (CSV injection): the
# labels include text officials typed (axis titles), so such cells get a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    # Dashboards can be scoped to a signed-in official's region: never cached (portal.downloads).
    return harden_attachment(response, filename=filename, private=True)


# The two CSV dialects: (field delimiter, decimal separator).
CSV_DIALECTS = {"csv": (",", "."), "semicolon.csv": (";", ",")}


def table_csv(headers: list, rows: list[list], *, formats: list[str] | None = None, dialect: str = "csv") -> bytes:
    delimiter, decimal = CSV_DIALECTS[dialect]
    formats = formats or []
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow([_cell(str(h)) for h in headers])
    for row in rows:
        writer.writerow(
            [_cell(plain(v, formats[i] if i < len(formats) else "", decimal=decimal)) for i, v in enumerate(row)]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_headers(chart: Chart) -> list[str]:
    """Rates are written as percentages (55.6): their header says so."""
    return [f"{h} (%)" if chart.column_format(i) == "pct" else str(h) for i, h in enumerate(chart.headers)]


def chart_csv(chart: Chart, *, dialect: str = "csv") -> bytes:
    formats = [chart.column_format(i) for i in range(len(chart.headers))]
    return table_csv(_csv_headers(chart), chart.rows, formats=formats, dialect=dialect)


def chart_csv_response(chart: Chart, filename: str, *, dialect: str = "csv") -> HttpResponse:
    return _attachment(
        HttpResponse(chart_csv(chart, dialect=dialect), content_type="text/csv; charset=utf-8"), filename
    )


def chart_xlsx(chart: Chart, *, rtl: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = chart.slug[:31]
    sheet.sheet_view.rightToLeft = rtl  # an Arabic export opens right to left
    sheet.append([_cell(str(h)) for h in chart.headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in chart.rows:
        sheet.append(
            [
                xlsx_value(v, chart.column_format(i)) if isinstance(v, int | float) or v is None else _cell(str(v))
                for i, v in enumerate(row)
            ]
        )
    for index in range(1, len(chart.headers)):
        number_format = XLSX_FORMATS.get(chart.column_format(index))
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
                cell.number_format = number_format
    sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def chart_xlsx_response(chart: Chart, filename: str, *, rtl: bool = False) -> HttpResponse:
    return _attachment(HttpResponse(chart_xlsx(chart, rtl=rtl), content_type=XLSX_TYPE), filename)
