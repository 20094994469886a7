"""Thin views: resolve the region through the selectors (which apply the scope), read the
cached aggregates, render or export."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language_bidi

from portal.downloads import attachment
from portal.permissions import can

from . import selectors
from .dictionary import COLUMNS, LICENCE_NAME, LICENCE_URL, POPULATION_NOTE, TOTAL_NOTE
from .enums import OpenDataTable
from .exports import chart_csv_response, chart_xlsx_response, table_csv
from .figures import chart_by_slug, indicator_rows, national_chart, national_map, region_charts
from .forms import DashboardFilterForm
from .work_queue import work_queue_for

MAP_CREDIT = "© OpenStreetMap contributors (ODbL)"


@login_required
def work_queue_view(request):
    """An official's landing page: what waits for them, each line a link to act, then the
    dashboards of their regions."""
    if not can(request.user, "regions.work_queue"):
        raise PermissionDenied
    return render(request, "dashboards/work_queue.html", {"queue": work_queue_for(user=request.user)})


@login_required
def dashboard_index_view(request):
    """Coordinators land on the national view, an official on their region's dashboard."""
    if selectors.national_view_allowed(user=request.user):
        return redirect("dashboards:national")
    regions = selectors.dashboard_regions_for(user=request.user)
    if not regions:
        raise PermissionDenied
    if len(regions) == 1:
        return redirect("dashboards:region", code=regions[0].code)
    return render(request, "dashboards/dashboard_index.html", {"regions": regions})


def _region_context(request, code: str) -> dict:
    region = selectors.dashboard_region_get(user=request.user, code=code)
    form = DashboardFilterForm(request.GET or None, options=selectors.filter_options(region=region))
    filters = form.filters()
    data = selectors.region_dashboard(region=region, filters=filters)
    return {
        "region": region,
        "form": form,
        "filters": filters,
        "data": data,
        "charts": region_charts(data),
        "indicators": indicator_rows(data),
    }


@login_required
def region_dashboard_view(request, code: str):
    context = _region_context(request, code)
    context["query"] = request.GET.urlencode()
    return render(request, "dashboards/region_dashboard.html", context)


@login_required
def region_export_view(request, code: str, slug: str, fmt: str):
    context = _region_context(request, code)
    chart = chart_by_slug(context["charts"], slug)
    if chart is None:
        raise Http404
    return _export(chart, f"jusur-{context['region'].code}-{slug}", fmt)


def _export(chart, stem: str, fmt: str):
    if fmt == "xlsx":
        return chart_xlsx_response(chart, f"{stem}.xlsx", rtl=get_language_bidi())
    # The semicolon variant gets its own file name, so both can sit in one folder.
    filename = f"{stem}-semicolon.csv" if fmt == "semicolon.csv" else f"{stem}.csv"
    return chart_csv_response(chart, filename, dialect=fmt)


@login_required
def national_view(request):
    if not selectors.national_view_allowed(user=request.user):
        raise PermissionDenied
    overview = selectors.national_overview()
    context = {
        "overview": overview,
        "chart": national_chart(overview),
        "map": national_map(overview, selectors.region_shapes()),
        "map_credit": MAP_CREDIT,
    }
    return render(request, "dashboards/national.html", context)


@login_required
def national_export_view(request, fmt: str):
    if not selectors.national_view_allowed(user=request.user):
        raise PermissionDenied
    chart = national_chart(selectors.national_overview())
    return _export(chart, "jusur-regions", fmt)


# --- open data (public) ---------------------------------------------------------------------


def open_data_view(request):
    snapshots = selectors.open_data_list()
    context = {
        "snapshots": snapshots,
        "columns": COLUMNS,
        "licence_name": LICENCE_NAME,
        "licence_url": LICENCE_URL,
        "total_note": TOTAL_NOTE,
        "population_note": POPULATION_NOTE,
        "last_update": max((s.refreshed_at for s in snapshots), default=None),
    }
    return render(request, "dashboards/open_data.html", context)


def open_data_download_view(request, table: str, fmt: str):
    if table not in OpenDataTable.values:
        raise Http404
    snapshot = selectors.open_data_get(table=table)
    if fmt == "json":
        return JsonResponse(open_data_document(snapshot), json_dumps_params={"ensure_ascii": False})
    rows = [[row.get(c) for c in snapshot.columns] for row in snapshot.rows]
    body = table_csv(snapshot.columns, rows)
    return attachment(body, filename=f"jusur-{table}.csv", content_type="text/csv; charset=utf-8", private=False)


def open_data_document(snapshot) -> dict:
    """One table with its metadata: the shape both the page's JSON and the API return."""
    return {
        "table": snapshot.table,
        "title": str(snapshot.get_table_display()),
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "last_updated": snapshot.refreshed_at.isoformat(),
        "dictionary": {c: str(COLUMNS.get(c, "")) for c in snapshot.columns},
        "notes": [str(TOTAL_NOTE), str(POPULATION_NOTE)],
        "columns": snapshot.columns,
        "rows": snapshot.rows,
    }
