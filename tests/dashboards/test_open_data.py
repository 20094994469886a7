"""Open data: protected tables refreshed by the beat task, served as CSV and JSON, no personal field."""

import csv
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from dashboards.enums import OpenDataTable
from dashboards.models import OpenDataSnapshot
from dashboards.tasks import open_data_refresh_task
from diaspora.models import ExpertProfile
from regions.models import Region
from taxonomy.models import Sector
from tests.diaspora.factories import ConsentingExpertFactory, ExpertProfileFactory

pytestmark = pytest.mark.django_db

# Every field of a person the portal stores; none may appear as a column of a published table.
PERSONAL = {
    "email",
    "full_name",
    "display_name",
    "phone",
    "birth_year",
    "city",
    "bio",
    "user",
    "user_id",
    "profile",
    "profile_id",
    "id",
    "pk",
    "name",
    "investor",
    "cv",
    "origin_commune",
    "origin_province",
}


@pytest.fixture
def crowd(territories, taxonomy):
    """Sector A: 23 consenting experts from region 05, 3 from 02, 15 from 09; sector C: 4 from
    05, and 6 from 05 who withdrew the statistics consent (they would lift it above 9)."""
    a, c = Sector.objects.get(code="A"), Sector.objects.get(code="C")
    r05, r02, r09 = (Region.objects.get(code=code) for code in ("05", "02", "09"))
    for _ in range(23):
        ConsentingExpertFactory(origin_region=r05, country_of_residence="FR").sectors.add(a)
    for _ in range(4):
        ConsentingExpertFactory(origin_region=r05, country_of_residence="BE").sectors.add(c)
    for _ in range(3):
        ConsentingExpertFactory(origin_region=r02, country_of_residence="FR").sectors.add(a)
    for _ in range(15):
        ConsentingExpertFactory(origin_region=r09, country_of_residence="ES").sectors.add(a)
    for _ in range(6):
        ExpertProfileFactory(origin_region=r05, consent_statistics=False, country_of_residence="BE").sectors.add(c)


def _table(slug):
    return OpenDataSnapshot.objects.get(table=slug)


def test_open_data_task_writes_every_table_once(crowd):
    assert open_data_refresh_task.delay().get() == 5
    first = {s.table: s.rows for s in OpenDataSnapshot.objects.all()}

    open_data_refresh_task.delay().get()

    assert OpenDataSnapshot.objects.count() == 5
    assert {s.table: s.rows for s in OpenDataSnapshot.objects.all()} == first
    assert set(first) == set(OpenDataTable.values)


def test_open_data_counts_are_zero_or_at_least_ten_and_rounded(crowd):
    call_command("shell", "-c", "from dashboards.services import open_data_refresh; open_data_refresh()")

    for snapshot in OpenDataSnapshot.objects.all():
        for row in snapshot.rows:
            assert row["count"] is None or row["count"] == 0 or row["count"] >= 10
            assert row["count"] is None or row["count"] % 5 == 0


def test_open_data_experts_by_region_sector_hides_small_cells_and_withdrawn_people(crowd):
    open_data_refresh_task.delay().get()

    rows = {(r["origin_region"], r["sector"]): r["count"] for r in _table(OpenDataTable.EXPERTS_REGION_SECTOR).rows}
    assert rows[("05", "A")] == 25  # 23
    assert rows[("02", "A")] is None  # 3
    assert rows[("09", "A")] is None  # 15, hidden with 3 so that A's total does not reveal it
    assert rows[("05", "C")] is None  # 4 consenting (10 with the withdrawn ones)
    assert rows[("_total", "C")] is None  # 4
    assert rows[("12", "B")] == 0


def test_open_data_investment_leaves_out_investors_who_withdrew_consent(crowd):
    from tests.projects.factories import ProjectFactory

    r05 = Region.objects.get(code="05")
    counted = [ProjectFactory(region=r05) for _ in range(12)]
    withdrawn = ExpertProfileFactory(consent_statistics=False)
    ProjectFactory(region=r05, investor=withdrawn.user)

    open_data_refresh_task.delay().get()

    rows = {(r["region"], r["pipeline_stage"]): r["count"] for r in _table(OpenDataTable.INVESTMENT_REGION_STAGE).rows}
    assert len(counted) == 12
    assert rows[("05", "submitted")] == 10  # 12 rounds to 10; with the withdrawn investor, 13 would give 15


def test_open_data_has_no_personal_field(crowd):
    open_data_refresh_task.delay().get()
    names = set(ExpertProfile.objects.values_list("display_name", flat=True))
    emails = set(ExpertProfile.objects.values_list("user__email", flat=True))

    for snapshot in OpenDataSnapshot.objects.all():
        assert not PERSONAL & set(snapshot.columns), snapshot.table
        for row in snapshot.rows:
            assert set(row) == set(snapshot.columns)
            for column, value in row.items():
                assert value not in names and value not in emails, (snapshot.table, column)
                assert column == "count" or (isinstance(value, str) and len(value) <= 32)


def test_open_data_tables_cross_at_most_two_person_attributes(crowd):
    open_data_refresh_task.delay().get()

    for snapshot in OpenDataSnapshot.objects.exclude(table=OpenDataTable.NEEDS_REGION_AXIS_STATUS):
        assert len(snapshot.columns) - 1 <= 2, snapshot.table


def test_open_data_api_lists_tables_with_licence_and_dictionary(client, crowd):
    open_data_refresh_task.delay().get()

    response = client.get("/api/v1/open-data/")

    assert response.status_code == 200
    body = response.json()
    assert len(body) == 5
    table = next(t for t in body if t["table"] == OpenDataTable.EXPERTS_COUNTRY_REGION)
    assert table["licence"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert set(table["dictionary"]) == set(table["columns"]) == {"country_of_residence", "origin_region", "count"}
    assert table["last_updated"]


def test_open_data_api_table_as_csv(client, crowd):
    open_data_refresh_task.delay().get()

    response = client.get(f"/api/v1/open-data/{OpenDataTable.FUNNEL_REGION}/?format=csv")

    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["region", "stage", "count"]


def test_open_data_api_unknown_table_is_404(client, territories):
    assert client.get("/api/v1/open-data/nope/").status_code == 404


def test_open_data_page_and_downloads_are_public(client, crowd):
    open_data_refresh_task.delay().get()

    page = client.get("/fr/dashboards/open-data/")
    csv_file = client.get(f"/fr/dashboards/open-data/{OpenDataTable.EXPERTS_REGION_SECTOR}.csv")
    json_file = client.get(f"/fr/dashboards/open-data/{OpenDataTable.EXPERTS_REGION_SECTOR}.json")

    assert page.status_code == 200
    assert "CC BY 4.0" in page.content.decode()
    assert csv_file.content.startswith(b"\xef\xbb\xbf")
    assert json_file.json()["licence"]["name"].startswith("Creative Commons")
    assert json_file.json()["last_updated"][:4] == str(timezone.now().year)


def test_open_data_download_before_the_first_refresh_is_404(client, territories):
    assert client.get(f"/fr/dashboards/open-data/{OpenDataTable.FUNNEL_REGION}.csv").status_code == 404


def test_open_data_refresh_with_no_expert_publishes_empty_tables(territories, taxonomy):
    open_data_refresh_task.delay().get()

    table = _table(OpenDataTable.EXPERTS_COUNTRY_REGION)
    assert [r["count"] for r in table.rows if r["country_of_residence"] == "_total"] == [0] * 13
