import pytest

from portal.enums import Role
from tests.factories import UserFactory

from .factories import NeedFactory, NeedSkillFactory, RoadmapAxisFactory, RoadmapFactory


@pytest.fixture
def roadmap_a(region_a, official_a):
    """The adopted roadmap of region A (05), with the three standard axes."""
    roadmap = RoadmapFactory(region=region_a, version=1, created_by=official_a)
    RoadmapAxisFactory(roadmap=roadmap, kind="diaspora_skills", title="Compétences", position=0)
    RoadmapAxisFactory(roadmap=roadmap, kind="diaspora_investment", title="Investissement", position=1)
    RoadmapAxisFactory(roadmap=roadmap, kind="migration_governance", title="Gouvernance", position=2)
    return roadmap


@pytest.fixture
def roadmap_b(region_b, official_b):
    roadmap = RoadmapFactory(region=region_b, version=1, created_by=official_b)
    RoadmapAxisFactory(roadmap=roadmap, kind="diaspora_skills", title="Compétences")
    return roadmap


@pytest.fixture
def need_a(roadmap_a, official_a):
    """An open need of region A owned by official_a, with one skill."""
    need = NeedFactory(axis=roadmap_a.axes.first(), owner=official_a)
    NeedSkillFactory(need=need)
    return need


@pytest.fixture
def draft_need_a(roadmap_a, official_a):
    need = NeedFactory(axis=roadmap_a.axes.first(), owner=official_a, status="draft", published_at=None)
    NeedSkillFactory(need=need)
    return need


@pytest.fixture
def coordinator_a(region_a):
    """A national coordinator who follows region A."""
    return UserFactory(role=Role.COORDINATOR, regions=[region_a])


@pytest.fixture(autouse=True)
def english_messages():
    """Service errors are asserted in English; pages choose their language from the URL."""
    from django.utils import translation

    with translation.override("en"):
        yield
