"""Roadmaps, needs, stakeholders, meetings, partnerships and studies on the API."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from partners.enums import Scope
from regions.models import Decision, Partnership, Province, Region, Study
from taxonomy.models import Sector
from tests.regions.factories import (
    MeetingFactory,
    NeedFactory,
    NeedSkillFactory,
    RoadmapAxisFactory,
    RoadmapFactory,
    StakeholderFactory,
)


@pytest.fixture
def axis_a(region_a, official_a, taxonomy):
    roadmap = RoadmapFactory(region=region_a, version=1, created_by=official_a)
    return RoadmapAxisFactory(roadmap=roadmap)


@pytest.fixture
def axis_b(region_b, official_b, taxonomy):
    roadmap = RoadmapFactory(region=region_b, version=1, created_by=official_b)
    return RoadmapAxisFactory(roadmap=roadmap)


def _needs(axis, owner, count, **kwargs):
    needs = [NeedFactory(axis=axis, owner=owner, **kwargs) for _ in range(count)]
    for need in needs:
        NeedSkillFactory(need=need)
    return needs


def _stakeholders(region, count):
    return [StakeholderFactory(region=region) for _ in range(count)]


def _meetings(region, count):
    meetings = [MeetingFactory(region=region) for _ in range(count)]
    stakeholder = StakeholderFactory(region=region)
    for meeting in meetings:
        meeting.stakeholders.add(stakeholder)
        Decision.objects.create(meeting=meeting, region=region, title="Créer un guichet diaspora")
    return meetings


def _partnerships(region, count):
    stakeholder = StakeholderFactory(region=region)
    rows = []
    for n in range(count):
        partnership = Partnership.objects.create(
            region=region, title=f"Partenariat {n}", objective="Formation", start_date=dt.date(2025, 1, 1)
        )
        partnership.partners.add(stakeholder)
        rows.append(partnership)
    return rows


def _studies(region, count):
    rows = []
    for n in range(count):
        study = Study.objects.create(title=f"Étude {n}", authors="A. Auteur", year=2024)
        study.regions.add(region)
        rows.append(study)
    return rows


# (url, builder(region, axis, owner, count), queries: COUNT + page + prefetches)
RESOURCES = {
    "needs": (lambda r, a, o, n: _needs(a, o, n), 5),  # + skills, their uris and labels, languages
    "roadmaps": (
        lambda r, a, o, n: [RoadmapFactory(region=r, version=v + 2, status="closed") for v in range(n - 1)],
        3,
    ),
    "stakeholders": (lambda r, a, o, n: _stakeholders(r, n), 2),
    "meetings": (lambda r, a, o, n: _meetings(r, n), 4),  # + stakeholders, decisions
    "partnerships": (lambda r, a, o, n: _partnerships(r, n), 5),  # + partners, axes, needs
    "studies": (lambda r, a, o, n: _studies(r, n), 3),  # + regions
}


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_list_queries_constant(resource, rows, api, region_a, axis_a, official_a, django_assert_num_queries):
    build, queries = RESOURCES[resource]
    build(region_a, axis_a, official_a, rows)

    with django_assert_num_queries(queries):
        response = api.get(f"/api/v1/{resource}/?limit=50")

    assert response.status_code == 200
    assert len(response.json()["results"]) == rows


def _placed_needs(axis, owner, count):
    """Needs with a sector, a province, a commune and two skills: every part of a row."""
    province = axis.roadmap.region.provinces.exclude(communes=None).order_by("code").first()
    commune = province.communes.order_by("code").first()
    needs = _needs(axis, owner, count, sector=Sector.objects.get(code="A"), province=province, commune=commune)
    for need in needs:
        NeedSkillFactory(need=need, essential=True, weight=1)
    return needs


@pytest.mark.parametrize("rows", [1, 50])
def test_need_list_queries_constant_with_every_part(rows, api, axis_a, official_a, django_assert_num_queries):
    _placed_needs(axis_a, official_a, rows)

    # count, page, provinces, communes, skills, their uris and labels, languages
    with django_assert_num_queries(7):
        response = api.get("/api/v1/needs/?limit=50")

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_need_rows_name_everything_in_the_requested_language(language, api, axis_a, official_a):
    [need] = _placed_needs(axis_a, official_a, 1)
    need.languages.create(language="fr", min_level=3)

    with translation.override(language):  # the model's own properties, as the portal shows them
        expected = {
            "region": {"id": need.region_id, "code": need.region.code, "name": need.region.name},
            "sector": {"id": need.sector_id, "code": "A", "name": need.sector.name},
            "province": {"id": need.province_id, "code": need.province.code, "name": need.province.name},
            "commune": {"id": need.commune_id, "code": need.commune.code, "name": need.commune.name},
            "skills": [
                {
                    "skill": {"id": link.skill_id, "uri": link.skill.uri, "label": link.skill.label},
                    "weight": link.weight,
                    "essential": link.essential,
                    "min_level": link.min_level,
                }
                for link in need.skills.order_by("-essential", "-weight", "pk")
            ],
            "languages": [{"language": "fr", "min_level": 3}],
            "axis": {"id": need.axis_id, "kind": need.axis.kind, "title": need.axis.title},
        }

    listed = api.get("/api/v1/needs/", HTTP_ACCEPT_LANGUAGE=language).json()["results"][0]
    single = api.get(f"/api/v1/needs/{need.pk}/", HTTP_ACCEPT_LANGUAGE=language).json()

    assert listed == single
    assert {key: listed[key] for key in expected} == expected
    assert len(expected["skills"]) == 2 and expected["skills"][0]["essential"]


def test_needs_drafts_hidden_from_partners_and_the_public(api, token_client, axis_a, official_a):
    [published] = _needs(axis_a, official_a, 1)
    [draft] = _needs(axis_a, official_a, 1, status="draft", published_at=None)
    partner = token_client([Scope.READ_PUBLIC])

    for client in (api, partner):
        ids = [row["id"] for row in client.get("/api/v1/needs/").json()["results"]]
        assert ids == [published.pk]
        assert client.get(f"/api/v1/needs/{draft.pk}/").status_code == 404


def test_needs_drafts_visible_to_the_regions_officials_only(client_for, axis_a, official_a, official_b):
    [draft] = _needs(axis_a, official_a, 1, status="draft", published_at=None)

    assert client_for(official_a).get(f"/api/v1/needs/{draft.pk}/").status_code == 200
    assert client_for(official_b).get(f"/api/v1/needs/{draft.pk}/").status_code == 404


def test_needs_region_restricted_token_sees_its_region_only(
    token_client, axis_a, axis_b, official_a, official_b, region_a
):
    [need_a] = _needs(axis_a, official_a, 1)
    [need_b] = _needs(axis_b, official_b, 1)
    client = token_client([Scope.READ_PUBLIC], region=region_a)

    ids = [row["id"] for row in client.get("/api/v1/needs/").json()["results"]]

    assert ids == [need_a.pk]
    assert client.get(f"/api/v1/needs/{need_b.pk}/").status_code == 404


def test_needs_filters(api, axis_a, axis_b, official_a, official_b, region_a):
    [need_a] = _needs(axis_a, official_a, 1)
    _needs(axis_b, official_b, 1)
    skill_id = need_a.skills.get().skill_id
    yesterday = (timezone.now() - dt.timedelta(days=1)).isoformat()

    for query in (
        {"region": "05"},
        {"region_id": region_a.pk},
        {"skill_id": skill_id},
        {"roadmap_id": need_a.roadmap_id},
        {"published_after": yesterday, "region": "05"},
        {"q": need_a.title},
    ):
        ids = [row["id"] for row in api.get("/api/v1/needs/", query).json()["results"]]
        assert ids == [need_a.pk], query


def test_needs_show_no_owner(api, axis_a, official_a):
    _needs(axis_a, official_a, 1)

    row = api.get("/api/v1/needs/").json()["results"][0]

    assert "owner" not in row
    assert official_a.email not in str(row)


def test_meetings_show_the_public_part_only(api, region_a):
    [meeting] = _meetings(region_a, 1)
    meeting.participants.create(name="Fatima Zahra El Idrissi")
    meeting.minutes = "Compte rendu interne"
    meeting.save()

    row = api.get(f"/api/v1/meetings/{meeting.pk}/").json()

    assert row["decisions"][0]["title"] == "Créer un guichet diaspora"
    assert "participants" not in row and "minutes" not in row and "online_url" not in row
    assert "Fatima" not in str(row)


def test_region_code_filters_match_the_code_not_an_id_equal_to_it(territories, token_client):
    # Ids equal codes after a fresh load (01 → 1); a region whose id differs from its code
    # shows whether the filter compares codes (it once compared the id with the code).
    other = Region.objects.create(pk=99, code="13", iso_code="MA-13", name_ar="س", name_fr="R13", name_en="R13")
    province = Province.objects.create(
        code="999", region=other, kind=Province.objects.first().kind, name_ar="س", name_fr="P"
    )
    client = token_client()

    by_code = client.get("/api/v1/provinces/", {"region": "13"}).json()["results"]
    by_id = client.get("/api/v1/provinces/", {"region_id": "99"}).json()["results"]

    assert [row["code"] for row in by_code] == [province.code]
    assert [row["code"] for row in by_id] == [province.code]
    assert {row["region"]["code"] for row in client.get("/api/v1/provinces/", {"region": "05"}).json()["results"]} == {
        "05"
    }
