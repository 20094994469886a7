"""Downloads: CSV in UTF-8 with a BOM (Arabic opens right in a spreadsheet), XLSX with typed cells."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.dashboards.conftest import build_region

pytestmark = pytest.mark.django_db


def test_export_csv_has_bom_and_arabic_labels(client_for, official_a, region_a):
    build_region(region_a, experts=4, needs=1)

    response = client_for(official_a).get(f"/ar/dashboards/region/{region_a.code}/export/experts-by-sector.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="jusur-05-experts-by-sector.csv"'
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["القطاع", "الخبراء"]
    assert rows[1] == ["A – الزراعة والحراجة وصيد الأسماك", "4"]


def test_export_xlsx_cells_are_typed(client_for, official_a, region_a):
    build_region(region_a, experts=4, needs=2)

    response = client_for(official_a).get(f"/fr/dashboards/region/{region_a.code}/export/funnel.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert len(header) == 3
    suggested, invited = sheet[2], sheet[6]  # viewed, "I can help", "not for me" between (issue 18)
    assert suggested[1].value == 6 and suggested[1].data_type == "n"
    assert suggested[2].value is None
    assert invited[2].value == 0.333 and invited[2].data_type == "n"  # rounded to what 0.0% shows
    assert invited[2].number_format == "0.0%"
    assert suggested[0].data_type == "s"


def test_export_xlsx_amounts_are_numbers(client_for, official_a, region_a):
    build_region(region_a, experts=1, needs=1)

    response = client_for(official_a).get(f"/fr/dashboards/region/{region_a.code}/export/projects-by-stage.xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    row = list(sheet[2])
    assert row[1].value == 1 and row[2].value == 1_200_000
    assert row[2].data_type == "n" and row[2].number_format == "#,##0"


def test_export_national_csv_lists_the_twelve_regions(client_for, coordinator, territories):
    response = client_for(coordinator).get("/fr/dashboards/national/export.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 13


def test_export_xlsx_in_arabic_opens_right_to_left(client_for, official_a, region_a):
    build_region(region_a, experts=2, needs=1)

    response = client_for(official_a).get(f"/ar/dashboards/region/{region_a.code}/export/experts-by-language.xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.sheet_view.rightToLeft is True
    assert sheet["A2"].value == "العربية" and sheet["B2"].value == 2


def test_export_neutralises_formulas_typed_in_labels(client_for, official_a, region_a):
    built = build_region(region_a, experts=1, needs=1)
    built["axis"].title = '=HYPERLINK("http://example.com","x")'
    built["axis"].save()

    csv_body = client_for(official_a).get(f"/fr/dashboards/region/{region_a.code}/export/needs-by-axis-status.csv")
    xlsx_body = client_for(official_a).get(f"/fr/dashboards/region/{region_a.code}/export/needs-by-axis-status.xlsx")

    rows = list(csv.reader(io.StringIO(csv_body.content.decode("utf-8-sig"))))
    assert rows[1][0] == '\'=HYPERLINK("http://example.com","x")'
    sheet = load_workbook(io.BytesIO(xlsx_body.content)).active
    assert sheet["A2"].value.startswith("'=") and sheet["A2"].data_type == "s"
