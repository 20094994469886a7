"""Figures as people read them: rates rounded (5/9 → 55,6 %), amounts grouped in the locale's
way, on the pages, in the charts, the XLSX number formats and both CSV dialects; no raw float
in any download."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from matching.models import Match
from tests.dashboards.conftest import build_region
from tests.diaspora.factories import ConsentingExpertFactory
from tests.projects.factories import ProjectFactory
from tests.regions.factories import NeedFactory, RoadmapAxisFactory

pytestmark = pytest.mark.django_db

NBSP = "\xa0"
RAW_FLOAT = re.compile(r"-?\d+[.,]\d{4,}")
SLUGS = [
    "experts-by-sector",
    "experts-by-skill-group",
    "experts-by-country",
    "experts-by-language",
    "experts-by-format",
    "registrations",
    "needs-by-axis-status",
    "funnel",
    "projects-by-stage",
    "projects-by-sector",
    "meetings",
    "decisions",
]


@pytest.fixture
def five_of_nine(region_a, taxonomy):
    """9 open needs in region 05, 5 of them covered (3 good consenting candidates each), and
    projects worth 36,113,000 MAD."""
    axis = RoadmapAxisFactory(roadmap__region=region_a)
    for k in range(9):
        need = NeedFactory(axis=axis)
        if k < 5:
            for rank in range(1, 4):
                Match.objects.create(need=need, profile=ConsentingExpertFactory(), score=0.9, rank=rank)
    ProjectFactory(region=region_a, amount_mad=36_000_000)
    ProjectFactory(region=region_a, amount_mad=113_000, own_contribution_mad=13_000)
    return region_a


def test_coverage_is_rounded_on_the_regional_and_national_pages(client_for, official_a, coordinator, five_of_nine):
    regional = client_for(official_a).get("/fr/dashboards/region/05/").content.decode()
    national = client_for(coordinator).get("/fr/dashboards/national/").content.decode()

    assert f'<span class="figure">55,6{NBSP}%</span>' in regional
    assert f"55,6{NBSP}%" in national
    assert "55,5" not in regional + national and "56 %" not in national


@pytest.mark.parametrize(("language", "amount"), [("fr", f"36{NBSP}113{NBSP}000"), ("en", "36,113,000")])
def test_amounts_have_the_locales_thousands_separators(
    client_for, official_a, coordinator, five_of_nine, language, amount
):
    national = client_for(coordinator).get(f"/{language}/dashboards/national/").content.decode()
    regional = client_for(official_a).get(f"/{language}/dashboards/region/05/").content.decode()

    assert f'<td class="num">{amount}</td>' in national
    assert "36113000" not in national.replace('data-value="36113000"', "")
    assert f'<td class="num">{amount}</td>' in regional  # the projects chart's table


def test_xlsx_stores_numbers_with_number_formats(client_for, coordinator, five_of_nine):
    sheet = load_workbook(io.BytesIO(client_for(coordinator).get("/fr/dashboards/national/export.xlsx").content)).active

    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value.startswith("Béni"))
    coverage, amount = row[3], row[8]
    assert (coverage.value, coverage.number_format) == (0.556, "0.0%")
    assert (amount.value, amount.number_format) == (36_113_000, "#,##0")


def test_semicolon_csv_for_french_spreadsheets(client_for, coordinator, five_of_nine):
    client = client_for(coordinator)

    standard = client.get("/fr/dashboards/national/export.csv")
    semicolon = client.get("/fr/dashboards/national/export.semicolon.csv")

    assert semicolon["Content-Disposition"] == 'attachment; filename="jusur-regions-semicolon.csv"'
    assert semicolon.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(semicolon.content.decode("utf-8-sig")), delimiter=";"))
    plain_rows = list(csv.reader(io.StringIO(standard.content.decode("utf-8-sig"))))
    assert rows[0][3] == plain_rows[0][3] == "Couverture (%)"
    beni = next(r for r in rows if r[0].startswith("Béni"))
    assert (beni[3], beni[8]) == ("55,6", "36113000")
    beni = next(r for r in plain_rows if r[0].startswith("Béni"))
    assert (beni[3], beni[8]) == ("55.6", "36113000")


def test_the_page_offers_both_csv_dialects(client_for, official_a, region_a):
    build_region(region_a, experts=2, needs=1)

    html = client_for(official_a).get("/fr/dashboards/region/05/").content.decode()

    assert 'href="/fr/dashboards/region/05/export/funnel.csv"' in html
    assert 'href="/fr/dashboards/region/05/export/funnel.semicolon.csv"' in html
    assert "CSV (points-virgules, virgule décimale)" in html


def _cells(body: str, delimiter: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body), delimiter=delimiter) for cell in row]


def test_no_raw_float_in_any_download(client_for, official_a, coordinator, region_a):
    build_region(region_a, experts=9, needs=5)
    official = client_for(official_a)

    cells = []
    for slug in SLUGS:
        for fmt, delimiter in (("csv", ","), ("semicolon.csv", ";")):
            response = official.get(f"/fr/dashboards/region/05/export/{slug}.{fmt}")
            assert response.status_code == 200, slug
            cells += [(slug, c) for c in _cells(response.content.decode("utf-8-sig"), delimiter)]
        sheet = load_workbook(io.BytesIO(official.get(f"/fr/dashboards/region/05/export/{slug}.xlsx").content)).active
        cells += [(slug, str(c.value)) for row in sheet.iter_rows() for c in row if isinstance(c.value, float)]
    national = client_for(coordinator)
    for fmt, delimiter in (("csv", ","), ("semicolon.csv", ";")):
        body = national.get(f"/fr/dashboards/national/export.{fmt}").content.decode("utf-8-sig")
        cells += [("national", c) for c in _cells(body, delimiter)]

    assert any(RAW_FLOAT.fullmatch(c) is None and re.fullmatch(r"\d+[.,]\d", c) for _n, c in cells)  # rates present
    for name, cell in cells:
        assert not RAW_FLOAT.fullmatch(cell), (name, cell)
