"""A chart's table as a download: CSV (UTF-8 with a BOM, so spreadsheets read Arabic) or XLSX
(numbers stored as numbers, rates as percentages, amounts with grouping)."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from portal.downloads import harden_attachment

from .charts import Chart

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS = {"int": "#,##0", "mad": "#,##0", "pct": "0.0%", "days": "0.0"}


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


def table_csv(headers: list, rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_cell(str(h)) for h in headers])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def chart_csv_response(chart: Chart, filename: str) -> HttpResponse:
    return _attachment(
        HttpResponse(table_csv(chart.headers, chart.rows), content_type="text/csv; charset=utf-8"), filename
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
        sheet.append([v if isinstance(v, int | float) or v is None else _cell(str(v)) for v in row])
    for index in range(1, len(chart.headers)):
        number_format = NUMBER_FORMATS.get(chart.column_format(index))
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
                cell.number_format = number_format
    sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def chart_xlsx_response(chart: Chart, filename: str, *, rtl: bool = False) -> HttpResponse:
    return _attachment(HttpResponse(chart_xlsx(chart, rtl=rtl), content_type=XLSX_TYPE), filename)
