"""Personas: who may open which dashboard and export (an official of region A never sees B's)."""

import pytest

pytestmark = pytest.mark.django_db

EXPORT = "/fr/dashboards/region/{code}/export/experts-by-sector.{fmt}"


def test_dashboard_anonymous_is_sent_to_sign_in(client, region_a):
    response = client.get(f"/fr/dashboards/region/{region_a.code}/")

    assert response.status_code == 302
    assert "/login" in response["Location"] or "signin" in response["Location"] or "connexion" in response["Location"]


@pytest.mark.parametrize("persona", ["member", "partner_user"])
def test_dashboard_member_and_partner_are_refused(request, client_for, region_a, persona):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(f"/fr/dashboards/region/{region_a.code}/").status_code == 403
    assert client.get(EXPORT.format(code=region_a.code, fmt="csv")).status_code == 403
    assert client.get("/fr/dashboards/national/").status_code == 403


def test_dashboard_official_of_the_region_opens_it(client_for, official_a, region_a):
    response = client_for(official_a).get(f"/fr/dashboards/region/{region_a.code}/")

    assert response.status_code == 200
    assert response.context["region"] == region_a


def test_dashboard_official_of_another_region_is_refused_page_and_exports(client_for, official_b, region_a):
    client = client_for(official_b)

    assert client.get(f"/fr/dashboards/region/{region_a.code}/").status_code == 403
    assert client.get(EXPORT.format(code=region_a.code, fmt="csv")).status_code == 403
    assert client.get(EXPORT.format(code=region_a.code, fmt="xlsx")).status_code == 403


def test_dashboard_official_cannot_open_the_national_view(client_for, official_a):
    assert client_for(official_a).get("/fr/dashboards/national/").status_code == 403
    assert client_for(official_a).get("/fr/dashboards/national/export.csv").status_code == 403


def test_dashboard_coordinator_opens_every_region_and_the_national_view(client_for, coordinator, region_a, region_b):
    client = client_for(coordinator)

    assert client.get(f"/fr/dashboards/region/{region_a.code}/").status_code == 200
    assert client.get(f"/fr/dashboards/region/{region_b.code}/").status_code == 200
    assert client.get(EXPORT.format(code=region_b.code, fmt="xlsx")).status_code == 200
    assert client.get("/fr/dashboards/national/").status_code == 200


def test_dashboard_unknown_region_is_404_for_a_coordinator(client_for, coordinator, territories):
    assert client_for(coordinator).get("/fr/dashboards/region/99/").status_code == 404


def test_dashboard_unknown_chart_export_is_404(client_for, official_a, region_a):
    assert client_for(official_a).get(f"/fr/dashboards/region/{region_a.code}/export/nope.csv").status_code == 404


def test_dashboard_index_sends_each_role_to_its_page(client_for, official_a, coordinator, member, region_a):
    assert client_for(official_a).get("/fr/dashboards/")["Location"] == f"/fr/dashboards/region/{region_a.code}/"
    assert client_for(coordinator).get("/fr/dashboards/")["Location"] == "/fr/dashboards/national/"
    assert client_for(member).get("/fr/dashboards/").status_code == 403


def test_dashboard_filter_with_another_regions_province_is_ignored(client_for, official_a, region_a, region_b):
    other = region_b.provinces.first()

    response = client_for(official_a).get(f"/fr/dashboards/region/{region_a.code}/", {"province": other.pk})

    assert response.status_code == 200
    assert response.context["filters"].province_id is None
