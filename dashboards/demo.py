"""Demo data of the dashboards: the open-data tables computed from the other apps' demo rows,
and the map's outlines when the reference TopoJSON sits beside the project (read, never
copied). Only `manage.py demo_seed` calls this; never production. Idempotent."""

from pathlib import Path

from django.conf import settings

from . import services

TOPOJSON = Path(settings.BASE_DIR).parent / "shared/data/morocco/regions_osm.topojson"


def seed(context: dict) -> list[str]:
    lines = [f"  open data: {services.open_data_refresh()} tables published"]
    if TOPOJSON.is_file():
        lines.append(
            f"  map: {services.region_shapes_load(path=TOPOJSON)} region outlines (© OpenStreetMap contributors, ODbL)"
        )
    else:
        lines.append("  map: no outlines (run `manage.py load_region_shapes PATH` with the regions TopoJSON)")
    return lines
