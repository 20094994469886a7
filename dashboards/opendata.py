"""The open-data tables: raw counts → a protected long table (pure functions, no Django).

Each table crosses at most two attributes that could single a person out (region of origin,
sector, country of residence, pipeline stage of the investor's project, funnel stage); the
needs table's three attributes describe roadmap items, not people. A "_total" value in a
dimension column marks a margin. An empty count means hidden (see portal/suppression.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.suppression import protect

TOTAL = "_total"
NONE = "_none"


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[dict]
    suppressed: int


def long_table(
    raw: dict[tuple, int],
    *,
    row_keys: list,
    col_keys: list,
    row_names: list[str],
    col_name: str,
    row_totals: bool = True,
    col_totals: bool = True,
) -> Table:
    """Protect the grid `row_keys × col_keys` of `raw` counts and flatten it to long rows.

    `row_keys` are tuples (one value per name in `row_names`); `raw` is keyed by
    (*row_key, col_key). Cells absent from `raw` are true zeros.
    """
    cells = [[int(raw.get((*r, c), 0)) for c in col_keys] for r in row_keys]
    protected = protect(cells, row_totals=row_totals, col_totals=col_totals, n_cols=len(col_keys))
    rows = []
    for i, r in enumerate(row_keys):
        for j, c in enumerate(col_keys):
            rows.append({**dict(zip(row_names, r, strict=True)), col_name: c, "count": protected.cells[i][j]})
        if row_totals:
            rows.append({**dict(zip(row_names, r, strict=True)), col_name: TOTAL, "count": protected.row_totals[i]})
    blank = dict.fromkeys(row_names, TOTAL)
    if col_totals:
        for j, c in enumerate(col_keys):
            rows.append({**blank, col_name: c, "count": protected.col_totals[j]})
    if protected.grand_total is not None:
        rows.append({**blank, col_name: TOTAL, "count": protected.grand_total})
    return Table(columns=[*row_names, col_name, "count"], rows=rows, suppressed=protected.suppressed)


def experts_by_region_sector(raw_rows, *, regions: list[str], sectors: list[str]) -> Table:
    """Experts may name several sectors: a region's cells do not add up to its experts, so no
    region totals are published (sector totals over regions do add up)."""
    raw = {(region, sector or NONE): n for region, sector, n in raw_rows}
    return long_table(
        raw,
        row_keys=[(r,) for r in regions],
        col_keys=[*sectors, NONE],
        row_names=["origin_region"],
        col_name="sector",
        row_totals=False,
    )


def experts_by_country_region(raw_rows, *, regions: list[str]) -> Table:
    raw = {(country, region): n for country, region, n in raw_rows}
    countries = sorted({country for country, _ in raw})
    return long_table(
        raw,
        row_keys=[(c,) for c in countries],
        col_keys=regions,
        row_names=["country_of_residence"],
        col_name="origin_region",
    )


def needs_by_region_axis_status(raw_rows, *, regions: list[str], axis_kinds: list[str], statuses: list[str]) -> Table:
    raw = {(region, axis, status): n for region, axis, status, n in raw_rows}
    return long_table(
        raw,
        row_keys=[(r, a) for r in regions for a in axis_kinds],
        col_keys=statuses,
        row_names=["region", "axis_kind"],
        col_name="status",
    )


FUNNEL_STAGES = ["suggested", "invited", "accepted", "completed"]


def funnel_by_region(raw_rows, *, regions: list[str]) -> Table:
    """Stages are nested (every invitation was a suggestion): no region totals across stages."""
    raw = {}
    for region, *counts in raw_rows:
        for stage, n in zip(FUNNEL_STAGES, counts, strict=True):
            raw[(region, stage)] = n
    return long_table(
        raw,
        row_keys=[(r,) for r in regions],
        col_keys=FUNNEL_STAGES,
        row_names=["region"],
        col_name="stage",
        row_totals=False,
    )


def investment_by_region_stage(raw_rows, *, regions: list[str], stages: list[str]) -> Table:
    raw = {(region, stage): n for region, stage, n in raw_rows}
    return long_table(
        raw, row_keys=[(r,) for r in regions], col_keys=stages, row_names=["region"], col_name="pipeline_stage"
    )
