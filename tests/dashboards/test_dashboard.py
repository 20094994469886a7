"""The regional dashboard's figures, filters, cache and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards import selectors
from dashboards.selectors import Filters
from dashboards.tasks import dashboard_cache_refresh_task
from diaspora.models import ExpertProfile
from tests.dashboards.conftest import build_region

pytestmark = pytest.mark.django_db

# Session, user, region, the official's regions: what every signed-in dashboard page reads.
QUERIES_WARM = 4
# Plus, on a cache miss: filter choices 3, skill-group map and labels 4, diaspora 7, roadmap 2,
# funnel 2, investment 2, consultation 3, indicators 2 — the same at any size.
QUERIES_COLD = 29
# Session and user; on a miss: experts, open needs with their candidates (open and covered
# together), funnel, projects, meetings, the regions (6), and the map's shapes (1).
QUERIES_NATIONAL_WARM = 2
QUERIES_NATIONAL_COLD = 9


def _url(region):
    return f"/fr/dashboards/region/{region.code}/"


def test_dashboard_counts_only_experts_consenting_to_statistics(region_a):
    build_region(region_a, experts=4, needs=1)

    data = selectors.region_dashboard(region=region_a, filters=Filters())

    assert ExpertProfile.objects.filter(origin_region=region_a).count() == 5
    assert data["diaspora"]["total"] == 4
    assert dict(data["diaspora"]["by_country"]) == {"FR": 2, "BE": 1, "ES": 1}
    assert dict(data["diaspora"]["by_language"]) == {"ar": 4}
    assert dict(data["diaspora"]["by_format"]) == {"remote_advice": 4}
    assert sum(n for _, n in data["diaspora"]["trend"]) == 4


def test_dashboard_coverage_gap_list_and_funnel(region_a):
    built = build_region(region_a, experts=4, needs=2)

    data = selectors.region_dashboard(region=region_a, filters=Filters())

    roadmap, funnel = data["roadmap"], data["funnel"]
    assert roadmap["open"] == 3  # two with three candidates, the gap without any
    assert roadmap["covered"] == 2
    assert roadmap["coverage"] == pytest.approx(2 / 3)
    assert [g["pk"] for g in roadmap["gaps"]] == [built["gap"].pk]
    assert (funnel["suggested"], funnel["invited"], funnel["accepted"], funnel["completed"]) == (6, 2, 2, 2)
    assert funnel["median_response_days"] == 2.0
    assert (funnel["on_time"], funnel["with_deadline"]) == (2, 2)
    assert data["investment"]["projects"] == 1
    assert data["investment"]["opportunities_open"] == 1
    assert data["consultation"]["held"] == 1
    assert data["consultation"]["decisions"] == [("done", 1)]


def test_dashboard_coverage_ignores_candidates_below_the_threshold(region_a, settings):
    build_region(region_a, experts=4, needs=1)
    settings.JUSUR_DASHBOARDS = {"coverage_min_score": 0.85}

    data = selectors.region_dashboard(region=region_a, filters=Filters())

    assert data["roadmap"]["covered"] == 0


def test_dashboard_filters_by_axis_province_and_period(region_a):
    built = build_region(region_a, experts=3, needs=1)
    other_province = region_a.provinces.order_by("code").last()

    by_axis = selectors.region_dashboard(region=region_a, filters=Filters(axis_id=built["axis"].pk))
    by_province = selectors.region_dashboard(region=region_a, filters=Filters(province_id=other_province.pk))
    recent = selectors.region_dashboard(region=region_a, filters=Filters(period="12m"))

    assert by_axis["roadmap"]["open"] == 2
    assert by_province["diaspora"]["total"] == 0 and by_province["roadmap"]["open"] == 0
    assert recent["diaspora"]["total"] == 3


def test_dashboard_cache_is_invalidated_when_a_profile_changes(region_a, settings):
    settings.JUSUR_DASHBOARDS = {"max_staleness": 0}
    built = build_region(region_a, experts=3, needs=1)
    assert selectors.region_dashboard(region=region_a, filters=Filters())["diaspora"]["total"] == 3

    profile = built["profiles"][0]
    profile.consent_statistics = False  # as diaspora.services.consent_set writes it
    profile.save(update_fields=["consent_statistics"])

    assert selectors.region_dashboard(region=region_a, filters=Filters())["diaspora"]["total"] == 2


def test_dashboard_recent_figures_are_served_for_a_bounded_time_after_a_change(region_a, settings):
    settings.JUSUR_DASHBOARDS = {"max_staleness": 60}
    built = build_region(region_a, experts=3, needs=1)
    selectors.region_dashboard(region=region_a, filters=Filters())
    built["profiles"][0].delete()

    with CaptureQueriesContext(connection) as queries:
        data = selectors.region_dashboard(region=region_a, filters=Filters())

    assert data["diaspora"]["total"] == 3 and len(queries) == 0


def test_dashboard_refresh_task_recomputes_after_a_change(region_a):
    built = build_region(region_a, experts=3, needs=1)
    selectors.region_dashboard(region=region_a, filters=Filters())
    built["profiles"][0].delete()

    assert dashboard_cache_refresh_task.delay().get() == 12

    with CaptureQueriesContext(connection) as queries:
        data = selectors.region_dashboard(region=region_a, filters=Filters())
    assert data["diaspora"]["total"] == 2 and len(queries) == 0


def test_dashboard_warm_cache_reads_no_table(region_a):
    build_region(region_a, experts=3, needs=1)
    selectors.region_dashboard(region=region_a, filters=Filters())

    with CaptureQueriesContext(connection) as queries:
        selectors.region_dashboard(region=region_a, filters=Filters())

    assert len(queries) == 0


def _count_cold(client, region):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(region))
    assert response.status_code == 200
    return len(queries)


def test_dashboard_page_cold_query_count_small(client_for, official_a, region_a, django_assert_num_queries):
    build_region(region_a, experts=1, needs=1)
    client = client_for(official_a)

    with django_assert_num_queries(QUERIES_COLD):
        response = client.get(_url(region_a))

    assert response.status_code == 200


def test_dashboard_page_cold_query_count_large(client_for, official_a, region_a, django_assert_num_queries):
    build_region(region_a, experts=30, needs=12)
    client = client_for(official_a)

    with django_assert_num_queries(QUERIES_COLD):
        response = client.get(_url(region_a))

    assert response.status_code == 200
    assert response.context["data"]["diaspora"]["total"] == 30


@pytest.mark.parametrize("size", [(1, 1), (30, 12)])
def test_dashboard_page_warm_query_count(client_for, official_a, region_a, django_assert_num_queries, size):
    build_region(region_a, experts=size[0], needs=size[1])
    client = client_for(official_a)
    client.get(_url(region_a))

    with django_assert_num_queries(QUERIES_WARM):
        response = client.get(_url(region_a))

    assert response.status_code == 200


@pytest.mark.parametrize("size", [(1, 1), (25, 10)])
def test_dashboard_page_coordinator_national_query_count(
    client_for, coordinator, region_a, region_b, django_assert_num_queries, size
):
    build_region(region_a, experts=size[0], needs=size[1])
    build_region(region_b, experts=size[0], needs=size[1])
    client = client_for(coordinator)

    with django_assert_num_queries(QUERIES_NATIONAL_COLD):
        assert client.get("/fr/dashboards/national/").status_code == 200
    with django_assert_num_queries(QUERIES_NATIONAL_WARM):
        assert client.get("/fr/dashboards/national/").status_code == 200


def test_dashboard_page_renders_svg_charts_with_data(client_for, official_a, region_a):
    build_region(region_a, experts=4, needs=2)

    response = client_for(official_a).get(_url(region_a))

    html = response.content.decode()
    assert html.count('<svg class="chart') == 12
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert 'data-value="4"' in html


def test_dashboard_page_in_arabic_mirrors_the_bars(client_for, official_a, region_a):
    build_region(region_a, experts=4, needs=1)

    html = client_for(official_a).get(f"/ar/dashboards/region/{region_a.code}/").content.decode()

    assert 'direction="rtl"' in html
    assert "الخبراء" in html or "خبراء" in html


def test_dashboard_labels_recomputed_when_a_sector_is_new(client_for, official_a, region_a):
    from django.core.cache import cache

    build_region(region_a, experts=2, needs=1)
    cache.set("dashboards:labels", {"sectors": {}, "groups": {}}, 60)  # as if cached before a reload

    html = client_for(official_a).get(f"/fr/dashboards/region/{region_a.code}/").content.decode()

    assert "A – Agriculture" in html


def test_dashboard_indicators_national_as_national_and_regional_not_available(client_for, official_a, region_a):
    from regions.models import Indicator

    Indicator.objects.create(
        key="remittances", year=2023, value=115.3, unit="MMDH", source="Office des Changes", status="source"
    )

    html = client_for(official_a).get(f"/fr/dashboards/region/{region_a.code}/").content.decode()

    assert "115,3 MMDH (2023)" in html  # an unknown unit is shown as written, the number in French
    assert "Office des Changes" in html
    assert "Non disponible : aucun chiffre officiel n" in html
