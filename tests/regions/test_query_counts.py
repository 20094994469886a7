"""Literal query counts of the public pages with one and with many rows."""

import pytest

from regions.models import Study

from .factories import MeetingFactory, NeedFactory, NeedSkillFactory, StakeholderFactory

pytestmark = pytest.mark.django_db


def _fill_region(region, roadmap, owner, rows):
    axis = roadmap.axes.first()
    for i in range(rows):
        need = NeedFactory(axis=axis, owner=owner)
        NeedSkillFactory(need=need)
        StakeholderFactory(region=region)
        meeting = MeetingFactory(region=region)
        meeting.decisions.create(region=region, title=f"Décision {i}", need=need)
        study = Study.objects.create(title=f"Étude {i}", authors="A. Auteur", year=2022)
        study.regions.add(region)


@pytest.mark.parametrize("rows", [1, 20])
def test_region_page_has_constant_queries(
    client, region_a, roadmap_a, official_a, taxonomy, rows, django_assert_num_queries
):
    _fill_region(region_a, roadmap_a, official_a, rows)
    # region; adopted roadmap + axes + documents; versions; open needs + skills; stakeholders;
    # meetings + decisions; partnerships; studies + their regions; indicators (national, regional);
    # the filter's sectors, skills and provinces
    with django_assert_num_queries(18):
        response = client.get("/fr/regions/05/roadmap/")
    assert response.status_code == 200
    assert len(response.context["stakeholders"]) == rows
    assert len(response.context["open_needs"]) == min(rows, 10)


@pytest.mark.parametrize("rows", [1, 25])
def test_study_list_has_constant_queries(client, region_a, rows, django_assert_num_queries):
    for i in range(rows):
        Study.objects.create(title=f"Étude {i}", authors="A. Auteur", year=2020).regions.add(region_a)
    # the search form's regions, count, studies, their regions
    with django_assert_num_queries(4):
        response = client.get("/ar/regions/studies/")
    assert response.status_code == 200
    assert len(response.context["studies"]) == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_manage_page_has_constant_queries(
    client_for, region_a, roadmap_a, official_a, taxonomy, rows, django_assert_num_queries
):
    _fill_region(region_a, roadmap_a, official_a, rows)
    http = client_for(official_a)
    http.get("/fr/regions/05/manage/")  # warm the session
    # session, user, region, the user's regions; versions; needs; stakeholders; meetings + decisions;
    # partnerships
    with django_assert_num_queries(10):
        response = http.get("/fr/regions/05/manage/")
    assert response.status_code == 200
    assert len(response.context["needs"]) == rows


@pytest.mark.parametrize("skills", [1, 12])
def test_need_page_has_constant_queries(client, need_a, taxonomy, skills, django_assert_num_queries):
    for _ in range(skills - 1):
        NeedSkillFactory(need=need_a)
    need_a.languages.create(language="fr", min_level=4)
    # region, the need (with roadmap, axis, owner, place, sector), its skills, its languages
    with django_assert_num_queries(4):
        response = client.get(f"/ar/regions/05/needs/{need_a.pk}/")
    assert response.status_code == 200
    assert len(response.context["need"].skills.all()) == skills
