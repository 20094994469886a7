"""Multilingual labels of sectors and skill groups, attached at render time."""

from __future__ import annotations

from django.core.cache import cache

from taxonomy.enums import ConceptType
from taxonomy.models import Sector, Skill, SkillRelation

from .cache import LABELS_TTL


def skill_group_of() -> dict[int, int]:
    """Each skill's top skill group (the ESCO hierarchy's root group), cached for a day."""

    def compute():
        parents: dict[int, int] = {}
        for narrower, broader in SkillRelation.objects.order_by("narrower_id", "broader_id").values_list(
            "narrower_id", "broader_id"
        ):
            parents.setdefault(narrower, broader)  # several parents: the first, deterministically
        groups = set(Skill.objects.filter(concept_type=ConceptType.GROUP).values_list("pk", flat=True))
        top: dict[int, int] = {}
        for skill in parents:
            node, seen = skill, set()
            while node in parents and node not in seen:
                seen.add(node)
                node = parents[node]
            if node in groups and node != skill:
                top[skill] = node
        return top

    return cache.get_or_set("dashboards:skill-groups", compute, LABELS_TTL)


LABEL_KEYS = ("dashboards:skill-groups", "dashboards:labels")


def reference_labels(*, sectors=(), groups=()) -> dict:
    """Multilingual labels of sectors and skill groups ({id: {lang: text}}), cached for a day
    (and dropped by the refresh task); recomputed at once if an id asked for is missing, e.g.
    after the taxonomy was reloaded."""

    def compute():
        group_ids = set(skill_group_of().values())
        return {
            "sectors": {
                s.pk: {"code": s.code, "ar": s.name_ar, "fr": s.name_fr, "en": s.name_en} for s in Sector.objects.all()
            },
            "groups": dict(Skill.objects.filter(pk__in=group_ids).values_list("pk", "labels")),
        }

    labels = cache.get_or_set("dashboards:labels", compute, LABELS_TTL)
    wanted_sectors = {pk for pk in sectors if pk is not None}
    wanted_groups = {pk for pk in groups if pk is not None}
    if not (wanted_sectors <= labels["sectors"].keys() and wanted_groups <= labels["groups"].keys()):
        labels = compute()
        cache.set("dashboards:labels", labels, LABELS_TTL)
    return labels
