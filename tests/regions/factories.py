import datetime as dt

import factory
from django.utils import timezone

from portal.enums import EngagementFormat, WorkMode
from regions.enums import AxisKind, NeedStatus, RoadmapStatus, StakeholderKind
from regions.models import (
    ConsultationMeeting,
    Need,
    NeedSkill,
    Region,
    Roadmap,
    RoadmapAxis,
    Stakeholder,
)
from taxonomy.enums import ConceptType
from taxonomy.models import Skill
from tests.factories import UserFactory


class RoadmapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roadmap

    region = factory.LazyFunction(lambda: Region.objects.get(code="05"))
    version = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Feuille de route diaspora {n}")
    period_start = dt.date(2024, 1, 1)
    period_end = dt.date(2027, 12, 31)
    status = RoadmapStatus.ADOPTED
    adopted_on = dt.date(2024, 3, 1)


class RoadmapAxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoadmapAxis

    roadmap = factory.SubFactory(RoadmapFactory)
    kind = AxisKind.DIASPORA_SKILLS
    title = "Mobiliser les compétences de la diaspora"


class NeedFactory(factory.django.DjangoModelFactory):
    """A need of an adopted roadmap of region 05, open, owned by an official of that region."""

    class Meta:
        model = Need

    axis = factory.SubFactory(RoadmapAxisFactory)
    roadmap = factory.LazyAttribute(lambda o: o.axis.roadmap)
    region = factory.LazyAttribute(lambda o: o.roadmap.region)
    title = factory.Sequence(lambda n: f"Besoin {n}")
    description = "Accompagner la coopérative dans la mise en place d'un système d'irrigation."
    format = EngagementFormat.REMOTE_ADVICE
    work_mode = WorkMode.REMOTE
    owner = factory.LazyAttribute(lambda o: UserFactory(role="official", regions=[o.region]))
    status = NeedStatus.OPEN
    published_at = factory.LazyFunction(timezone.now)
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    duration_days = 60


class NeedSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedSkill

    need = factory.SubFactory(NeedFactory)
    skill = factory.Iterator(Skill.objects.filter(concept_type=ConceptType.SKILL).order_by("pk"))
    weight = 3
    essential = False


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    region = factory.LazyFunction(lambda: Region.objects.get(code="05"))
    name = factory.Sequence(lambda n: f"Association Atlas {n}")
    kind = StakeholderKind.ASSOCIATION


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationMeeting

    region = factory.LazyFunction(lambda: Region.objects.get(code="05"))
    title = factory.Sequence(lambda n: f"Comité régional de concertation {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    place = "Siège du Conseil régional, Béni Mellal"
    agenda = "1. Bilan; 2. Besoins prioritaires, 2025"
    status = "held"
