from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from regions.models import Indicator

pytestmark = pytest.mark.django_db

FIGURES = Path("/work/shared/data/figures/migration_figures.csv")


def _write(tmp_path, text):
    path = tmp_path / "figures.csv"
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "indicator,scope,year,value,unit,source,status\n"


def test_load_migration_figures_is_idempotent(tmp_path, territories):
    path = _write(
        tmp_path,
        HEADER
        + 'remittances,MA,2023,115.3,billion MAD,"Office des Changes, annual report",source\n'
        + 'intention_to_emigrate,02,2019,41.1,percent,"HCP, ENMI 2018-2019",source\n',
    )
    call_command("load_migration_figures", str(path))
    call_command("load_migration_figures", str(path))
    assert Indicator.objects.count() == 2
    national = Indicator.objects.get(region__isnull=True)
    assert (national.key, national.year, national.value, national.source) == (
        "remittances",
        2023,
        Decimal("115.3000"),
        "Office des Changes, annual report",
    )
    assert Indicator.objects.get(region__code="02").value == Decimal("41.1000")


def test_a_bad_row_loads_nothing(tmp_path, territories):
    path = _write(tmp_path, HEADER + "remittances,MA,2023,115.3,billion MAD,OC,source\nx,99,20x,1,u,s,invented\n")
    with pytest.raises(CommandError, match="line 3: unknown scope '99'"):
        call_command("load_migration_figures", str(path))
    assert Indicator.objects.count() == 0


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("load_migration_figures", str(tmp_path / "nope.csv"))


@pytest.mark.skipif(not FIGURES.exists(), reason="the shared reference data is not on this machine")
def test_the_published_figures_load(territories):
    call_command("load_migration_figures", str(FIGURES))
    assert Indicator.objects.filter(region__isnull=True).count() == 20
    assert Indicator.objects.filter(region__code__in=["02", "09"]).count() == 2


def test_indicator_page_shows_sources_and_says_not_available(client, territories):
    Indicator.objects.create(
        key="remittances",
        year=2023,
        value=Decimal("115.3"),
        unit="billion MAD",
        source="Office des Changes",
        status="source",
    )
    content = client.get("/en/regions/indicators/").content.decode()
    assert "Remittances from Moroccans abroad" in content
    assert "115.3 billion MAD" in content
    assert "Office des Changes" in content
    assert content.count("Not available") == 3  # one per pilot region, no invented regional figure
