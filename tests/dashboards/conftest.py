"""Fixtures of the dashboards tests: a small region with every kind of row a dashboard counts."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from diaspora.models import ExpertFormat, ExpertLanguage, ExpertSkill
from matching.enums import EngagementStatus, MatchStatus
from matching.models import Engagement, Match
from regions.enums import FollowUpStatus
from regions.models import Decision, Province
from taxonomy.enums import ConceptType
from taxonomy.models import Sector, Skill
from tests.diaspora.factories import ConsentingExpertFactory, ExpertProfileFactory
from tests.projects.factories import OpportunityFactory, ProjectFactory
from tests.regions.factories import MeetingFactory, NeedFactory, RoadmapAxisFactory


def shared_data(relative: str) -> Path:
    """A file of ../shared/data (third-party reference data, read at test time only), found from
    the checkout upwards, so a checkout in a sub-folder (a worktree) finds it too."""
    for folder in Path(__file__).resolve().parents:
        candidate = folder / "shared/data" / relative
        if candidate.exists():
            return candidate
    return Path(__file__).resolve().parents[3] / "shared/data" / relative


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def build_region(region, *, experts: int = 1, needs: int = 1, owner=None) -> dict:
    """`experts` consenting experts from `region` and `needs` open needs in it, each need with
    three good candidates (one invited and accepted, its engagement completed); plus one
    expert who withdrew the statistics consent, a project, an opportunity, a meeting and a decision."""
    sector = Sector.objects.get(code="A")
    province = Province.objects.filter(region=region).order_by("code").first()
    skill = Skill.objects.filter(concept_type=ConceptType.SKILL).order_by("pk").first()
    profiles = []
    for k in range(experts):
        profile = ConsentingExpertFactory(
            origin_region=region, origin_province=province, country_of_residence=["FR", "BE", "ES"][k % 3]
        )
        profile.sectors.add(sector)
        ExpertSkill.objects.create(profile=profile, skill=skill, level=3, years=5)
        ExpertLanguage.objects.create(profile=profile, language="ar", level=7)
        ExpertFormat.objects.create(profile=profile, format="remote_advice")
        profiles.append(profile)
    ExpertProfileFactory(origin_region=region, consent_statistics=False, consent_matching=True)
    axis = RoadmapAxisFactory(roadmap__region=region)
    need_kwargs = {"axis": axis, "sector": sector, "province": province}
    if owner is not None:
        need_kwargs["owner"] = owner
    created = []
    for _k in range(needs):
        need = NeedFactory(response_deadline=timezone.localdate() + dt.timedelta(days=10), **need_kwargs)
        for rank, profile in enumerate(profiles[:3]):
            match = Match.objects.create(need=need, profile=profile, score=0.9 - rank * 0.1, rank=rank + 1)
            if rank == 0:
                Match.objects.filter(pk=match.pk).update(
                    status=MatchStatus.ACCEPTED, invited_at=need.published_at + dt.timedelta(days=2)
                )
                Engagement.objects.create(match=match, status=EngagementStatus.COMPLETED)
        created.append(need)
    gap = NeedFactory(**need_kwargs)  # no candidate at all
    ProjectFactory(region=region, sector=sector)
    OpportunityFactory(region=region, sector=sector)
    meeting = MeetingFactory(region=region)
    Decision.objects.create(
        meeting=meeting, region=region, title="Créer un guichet diaspora", follow_up_status=FollowUpStatus.DONE
    )
    return {"profiles": profiles, "needs": created, "gap": gap, "axis": axis, "sector": sector}
