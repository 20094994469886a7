import pytest
from django.db.models import F

from regions.enums import ProvinceKind
from regions.models import Commune, Province, Region
from regions.services import territories_load

pytestmark = pytest.mark.django_db


def test_territories_counts_match_hcp(territories):
    assert Region.objects.count() == 12
    assert Province.objects.provinces_and_prefectures().count() == 75
    assert Province.objects.filter(kind=ProvinceKind.PREFECTURE_OF_ARRONDISSEMENTS).count() == 8
    assert Commune.objects.count() == 1503


def test_territories_pilot_regions_are_flagged(territories):
    assert sorted(Region.objects.filter(is_pilot=True).values_list("code", flat=True)) == ["02", "05", "09"]


def test_territories_regions_have_three_names(territories):
    region = Region.objects.get(code="05")
    assert (region.name_fr, region.name_ar, region.name_en) == (
        "Béni Mellal-Khénifra",
        "بني ملال-خنيفرة",
        "Béni Mellal-Khénifra",
    )
    assert region.iso_code == "MA-05"


def test_territories_load_twice_changes_nothing(territories):
    before = list(Commune.objects.order_by("code").values_list("pk", "code", "name_ar", "province_id", "region_id"))
    counts = territories_load()
    after = list(Commune.objects.order_by("code").values_list("pk", "code", "name_ar", "province_id", "region_id"))
    assert counts == {"regions": 12, "provinces": 83, "communes": 1503}
    assert after == before


def test_territories_every_commune_is_in_its_provinces_region(territories):
    assert not Commune.objects.exclude(region_id=F("province__region_id")).exists()
