"""Writes of the dashboards app: open-data snapshots, the map's shapes, cache warming."""

from __future__ import annotations

import json
import logging
import math
from contextlib import contextmanager
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from projects.enums import ProjectStatus
from regions.enums import AxisKind, NeedStatus
from regions.models import Region
from taxonomy.models import Sector

from . import opendata, selectors
from .enums import OpenDataTable
from .models import OpenDataSnapshot, RegionShape

logger = logging.getLogger(__name__)


def open_data_tables() -> dict[str, opendata.Table]:
    """Every open-data table, computed from the current rows and protected."""
    regions = selectors.region_codes()
    sectors = list(Sector.objects.order_by("code").values_list("code", flat=True))
    return {
        OpenDataTable.EXPERTS_REGION_SECTOR: opendata.experts_by_region_sector(
            selectors.open_data_raw_experts_region_sector(), regions=regions, sectors=sectors
        ),
        OpenDataTable.EXPERTS_COUNTRY_REGION: opendata.experts_by_country_region(
            selectors.open_data_raw_experts_country_region(), regions=regions
        ),
        OpenDataTable.NEEDS_REGION_AXIS_STATUS: opendata.needs_by_region_axis_status(
            selectors.open_data_raw_needs(),
            regions=regions,
            axis_kinds=list(AxisKind.values),
            statuses=[s for s in NeedStatus.values if s != NeedStatus.DRAFT],
        ),
        OpenDataTable.FUNNEL_REGION: opendata.funnel_by_region(selectors.open_data_raw_funnel(), regions=regions),
        OpenDataTable.INVESTMENT_REGION_STAGE: opendata.investment_by_region_stage(
            selectors.open_data_raw_investment(), regions=regions, stages=list(ProjectStatus.values)
        ),
    }


@transaction.atomic
def open_data_refresh() -> int:
    """Recompute and store every open-data table (an upsert per table: running it twice leaves
    the same state as once). Returns the number of tables written."""
    now = timezone.now()
    tables = open_data_tables()
    for slug, table in tables.items():
        OpenDataSnapshot.objects.update_or_create(
            table=slug,
            defaults={
                "columns": table.columns,
                "rows": table.rows,
                "suppressed": table.suppressed,
                "refreshed_at": now,
            },
        )
    return len(tables)


def dashboard_cache_refresh() -> int:
    """Recompute the national view and every region's unfiltered dashboard into the cache, so
    that visitors never pay for it and bulk writes (which send no signal) show up within one
    period. Returns the number of regions computed."""
    selectors.cache_invalidate()
    cache.delete_many(selectors.LABEL_KEYS)
    with _fresh_only():
        selectors.national_overview()
    count = 0
    for region in Region.objects.order_by("code"):
        with _fresh_only():
            selectors.region_dashboard(region=region, filters=selectors.Filters())
        count += 1
    return count


@contextmanager
def _fresh_only():
    """Inside: nothing stale is served, so the task really recomputes."""
    token = selectors.STALENESS_OVERRIDE.set(0.0)
    try:
        yield
    finally:
        selectors.STALENESS_OVERRIDE.reset(token)


# --- the map -------------------------------------------------------------------------------

MAP_WIDTH = 1000.0
SIMPLIFY_TOLERANCE = 1.2  # in map units (the map is 1000 wide): invisible at phone sizes


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs (delta-encoded, quantized) to lists of (longitude, latitude)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points, x, y = [], 0, 0
        for position in arc:
            if transform:
                x, y = x + position[0], y + position[1]
                sx, sy = transform["scale"]
                tx, ty = transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((position[0], position[1]))
        arcs.append(points)
    return arcs


def _ring(arc_indexes: list[int], arcs) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in arc_indexes:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(points if not ring else points[1:])
    return ring


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Radial-distance simplification: drop points closer than `tolerance` to the last kept one."""
    if len(points) < 4:
        return points
    kept = [points[0]]
    for point in points[1:-1]:
        if math.dist(point, kept[-1]) >= tolerance:
            kept.append(point)
    kept.append(points[-1])
    return kept


def shapes_from_topojson(topology: dict) -> dict[str, dict]:
    """{ISO code: {"path", "label"}} in one SVG view box (equirectangular, scaled by cos(lat))."""
    arcs = _decode_arcs(topology)
    geometries = next(iter(topology["objects"].values()))["geometries"]
    polygons: dict[str, list[list[tuple[float, float]]]] = {}
    for geometry in geometries:
        parts = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        polygons[geometry["id"]] = [_ring(ring, arcs) for polygon in parts for ring in polygon]
    every = [p for rings in polygons.values() for ring in rings for p in ring]
    min_x, max_x = min(p[0] for p in every), max(p[0] for p in every)
    min_y, max_y = min(p[1] for p in every), max(p[1] for p in every)
    aspect = math.cos(math.radians((min_y + max_y) / 2))
    scale = MAP_WIDTH / ((max_x - min_x) * aspect)
    height = (max_y - min_y) * scale

    def project(p):
        return ((p[0] - min_x) * aspect * scale, (max_y - p[1]) * scale)

    shapes = {}
    for iso, rings in polygons.items():
        commands, area_x, area_y, weight = [], 0.0, 0.0, 0.0
        for ring in rings:
            projected = _simplify([project(p) for p in ring], SIMPLIFY_TOLERANCE)
            if len(projected) < 3:
                continue
            commands.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in projected) + "Z")
            w = len(projected)
            area_x += sum(x for x, _ in projected)
            area_y += sum(y for _, y in projected)
            weight += w
        shapes[iso] = {
            "path": "".join(commands),
            "label": (area_x / weight, area_y / weight) if weight else (0.0, 0.0),
            "view_box": f"0 0 {MAP_WIDTH:.0f} {height:.0f}",
        }
    return shapes


@transaction.atomic
def region_shapes_load(*, path: Path) -> int:
    """Store simplified outlines from the regions TopoJSON at `path` (idempotent upsert).

    Returns the number of regions written; shapes whose ISO code matches no region are skipped.
    """
    with open(path, encoding="utf-8") as f:
        topology = json.load(f)
    shapes = shapes_from_topojson(topology)
    regions = {r.iso_code: r for r in Region.objects.all()}
    written = 0
    for iso, shape in shapes.items():
        region = regions.get(iso)
        if region is None:
            logger.warning("no region with ISO code %s", iso)
            continue
        RegionShape.objects.update_or_create(
            region=region,
            defaults={
                "path": shape["path"],
                "view_box": shape["view_box"],
                "label_x": round(shape["label"][0], 1),
                "label_y": round(shape["label"][1], 1),
            },
        )
        written += 1
    transaction.on_commit(selectors.cache_invalidate)
    return written
