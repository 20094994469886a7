"""Factories of the matching tests (the profile and need factories are the diaspora and regions
apps' own; these add what a matching scenario needs in one call)."""

import factory

from diaspora.models import ExpertFormat, ExpertLanguage, ExpertSkill
from matching.models import Match, MatchRun
from portal.enums import EngagementFormat, LanguageLevel, SkillLevel, WorkMode
from regions.enums import RoadmapStatus
from regions.models import NeedLanguage, NeedSkill, RoadmapAxis
from taxonomy.enums import ConceptType
from taxonomy.models import Skill, SkillRelation
from tests.diaspora.factories import ConsentingExpertFactory
from tests.regions.factories import NeedFactory


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    uri = factory.Sequence(lambda n: f"urn:jusur:test-skill:{n}")
    concept_type = ConceptType.SKILL
    labels = factory.Sequence(lambda n: {"en": f"skill {n}", "fr": f"compétence {n}", "ar": f"مهارة {n}"})


def skill_under(parent, **kwargs):
    """A skill whose ESCO broader concept is `parent`."""
    child = SkillFactory(**kwargs)
    SkillRelation.objects.create(narrower=child, broader=parent)
    return child


def expert(
    *,
    skills=(),
    languages=(("fr", LanguageLevel.C2),),
    formats=(EngagementFormat.REMOTE_ADVICE,),
    work_mode=WorkMode.BOTH,
    **kwargs,
):
    """A consenting expert; `skills` are (skill, level, years) or skills (advanced, 5 years)."""
    profile = ConsentingExpertFactory(work_mode=work_mode, **kwargs)
    for item in skills:
        skill, level, years = item if isinstance(item, tuple) else (item, SkillLevel.ADVANCED, 5)
        ExpertSkill.objects.create(profile=profile, skill=skill, level=level, years=years)
    for code, level in languages:
        ExpertLanguage.objects.create(profile=profile, language=code, level=level)
    for code in formats:
        ExpertFormat.objects.create(profile=profile, format=code)
    return profile


def need(*, skills=(), languages=(), **kwargs):
    """An open need; `skills` are (skill, weight, essential, min level) or skills (weight 3)."""
    if "axis" not in kwargs:
        # one adopted roadmap per region: later needs join the axis of the first
        axis = RoadmapAxis.objects.filter(roadmap__region__code="05", roadmap__status=RoadmapStatus.ADOPTED).first()
        if axis is not None:
            kwargs["axis"] = axis
    obj = NeedFactory(**kwargs)
    for item in skills:
        skill, weight, essential, min_level = item if isinstance(item, tuple) else (item, 3, False, SkillLevel.BASIC)
        NeedSkill.objects.create(need=obj, skill=skill, weight=weight, essential=essential, min_level=min_level)
    for code, level in languages:
        NeedLanguage.objects.create(need=obj, language=code, min_level=level)
    return obj


class MatchRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchRun


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Match

    score = 0.5
    rank = 1
