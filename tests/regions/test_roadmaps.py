import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from regions.enums import AxisKind, RoadmapStatus
from regions.models import Roadmap, RoadmapAxis
from regions.services import roadmap_adopt, roadmap_close, roadmap_create, roadmap_new_version, roadmap_update

from .factories import RoadmapFactory

pytestmark = pytest.mark.django_db

DATA = {"title": "Feuille de route 2025-2028", "period_start": dt.date(2025, 1, 1), "period_end": dt.date(2028, 12, 31)}


def test_roadmap_create_numbers_versions_and_adds_the_three_axes(region_a, official_a):
    first = roadmap_create(region=region_a, by=official_a, data=DATA)
    second = roadmap_create(region=region_a, by=official_a, data=DATA)
    assert (first.version, second.version) == (1, 2)
    assert first.status == RoadmapStatus.DRAFT
    assert list(first.axes.values_list("kind", "title")) == [
        (AxisKind.DIASPORA_SKILLS, "Mobiliser les compétences de la diaspora"),
        (AxisKind.DIASPORA_INVESTMENT, "Promouvoir l'investissement de la diaspora"),
        (AxisKind.MIGRATION_GOVERNANCE, "Gouvernance régionale de la migration"),
    ]


def test_roadmap_create_refuses_end_before_start(region_a, official_a):
    with pytest.raises(ValidationError) as info:
        roadmap_create(region=region_a, by=official_a, data={**DATA, "period_end": dt.date(2024, 1, 1)})
    assert info.value.message_dict == {"period_end": ["The end date is before the start date."]}
    assert Roadmap.objects.count() == 0


@pytest.mark.parametrize("persona", ["official_b", "member", "partner_user"])
def test_roadmap_create_refused_outside_scope_changes_nothing(request, region_a, persona):
    with pytest.raises(PermissionDenied):
        roadmap_create(region=region_a, by=request.getfixturevalue(persona), data=DATA)
    assert Roadmap.objects.count() == 0
    assert RoadmapAxis.objects.count() == 0


def test_coordinator_creates_a_roadmap_in_any_region(region_b, coordinator):
    assert roadmap_create(region=region_b, by=coordinator, data=DATA).region == region_b


def test_adopting_a_new_version_closes_the_previous_one(region_a, official_a):
    old = roadmap_create(region=region_a, by=official_a, data=DATA)
    roadmap_adopt(roadmap=old, by=official_a, adopted_on=dt.date(2025, 2, 1))
    new = roadmap_new_version(roadmap=old, by=official_a)
    assert list(new.axes.values_list("kind", flat=True)) == list(old.axes.values_list("kind", flat=True))
    roadmap_adopt(roadmap=new, by=official_a)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == (RoadmapStatus.CLOSED, RoadmapStatus.ADOPTED)
    assert old.adopted_on == dt.date(2025, 2, 1)
    assert Roadmap.objects.filter(region=region_a, status=RoadmapStatus.ADOPTED).count() == 1


def test_database_allows_one_adopted_roadmap_per_region(region_a):
    RoadmapFactory(region=region_a, version=1)
    with pytest.raises(IntegrityError):
        RoadmapFactory(region=region_a, version=2)


def test_adopt_twice_is_refused(region_a, official_a):
    roadmap = roadmap_create(region=region_a, by=official_a, data=DATA)
    roadmap_adopt(roadmap=roadmap, by=official_a)
    with pytest.raises(ValidationError, match=r"Only a draft roadmap can be adopted\."):
        roadmap_adopt(roadmap=roadmap, by=official_a)


def test_official_of_another_region_cannot_adopt_or_close(region_a, official_a, official_b):
    roadmap = roadmap_create(region=region_a, by=official_a, data=DATA)
    with pytest.raises(PermissionDenied):
        roadmap_adopt(roadmap=roadmap, by=official_b)
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.DRAFT
    roadmap_adopt(roadmap=roadmap, by=official_a)
    with pytest.raises(PermissionDenied):
        roadmap_close(roadmap=roadmap, by=official_b)
    with pytest.raises(PermissionDenied):
        roadmap_update(roadmap=roadmap, by=official_b, data={"title": "Piratée"})
    roadmap.refresh_from_db()
    assert (roadmap.status, roadmap.title) == (RoadmapStatus.ADOPTED, DATA["title"])


def test_closed_roadmap_cannot_be_edited(region_a, official_a):
    roadmap = roadmap_create(region=region_a, by=official_a, data=DATA)
    roadmap_adopt(roadmap=roadmap, by=official_a)
    roadmap_close(roadmap=roadmap, by=official_a)
    with pytest.raises(ValidationError, match="A closed roadmap can no longer be changed"):
        roadmap_update(roadmap=roadmap, by=official_a, data={"title": "Autre"})
