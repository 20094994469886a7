"""Reads of the dashboards: aggregates over the other apps' tables, cached.

Every aggregate is a grouped COUNT/SUM in the database (a fixed number of queries whatever
the size), computed on a cache miss only and stored in the Django cache (Redis) under a
version number that any change to the underlying rows bumps (dashboards/signals.py), with a
short TTL as a safety net for bulk writes that send no signal, and warmed by the
`dashboards.cache_refresh` beat task. Results hold codes and ids, not labels, so one cached
entry serves every language; labels are attached at render time (dashboards/charts.py).

One module per part: `access` (who may open what), `cache`, `filters`, `labels`,
`definitions` (the rows each figure counts, shared by the two views so that they agree),
`regional`, `national`, `open_data`. The public names are re-exported here.
"""

from .access import dashboard_region_get, dashboard_regions_for, national_view_allowed
from .cache import (
    CACHE_TTL,
    LABELS_TTL,
    STALENESS_OVERRIDE,
    VERSION_KEY,
    cache_invalidate,
    cache_version,
    max_staleness,
)
from .definitions import COVERAGE_MIN_CANDIDATES, INACTIVE_MATCH_STATUSES, coverage_min_score
from .filters import Filters, filter_options
from .labels import LABEL_KEYS, reference_labels
from .national import national_overview, region_shapes
from .open_data import (
    open_data_get,
    open_data_list,
    open_data_raw_experts_country_region,
    open_data_raw_experts_region_sector,
    open_data_raw_funnel,
    open_data_raw_investment,
    open_data_raw_needs,
    region_codes,
)
from .regional import GAP_LIST_LIMIT, TREND_MONTHS, region_dashboard

__all__ = [
    "CACHE_TTL",
    "COVERAGE_MIN_CANDIDATES",
    "GAP_LIST_LIMIT",
    "INACTIVE_MATCH_STATUSES",
    "LABELS_TTL",
    "LABEL_KEYS",
    "STALENESS_OVERRIDE",
    "TREND_MONTHS",
    "VERSION_KEY",
    "Filters",
    "cache_invalidate",
    "cache_version",
    "coverage_min_score",
    "dashboard_region_get",
    "dashboard_regions_for",
    "filter_options",
    "max_staleness",
    "national_overview",
    "national_view_allowed",
    "open_data_get",
    "open_data_list",
    "open_data_raw_experts_country_region",
    "open_data_raw_experts_region_sector",
    "open_data_raw_funnel",
    "open_data_raw_investment",
    "open_data_raw_needs",
    "reference_labels",
    "region_codes",
    "region_dashboard",
    "region_shapes",
]
