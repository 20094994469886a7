"""What invalidates the cached public pages (portal/pagecache.py, decision 0022).

Every row these pages show belongs to one region, or is a reference label shown everywhere.
Signals (house style: only for cache invalidation) catch every save and delete of those models,
from a service, the admin or a shell alike, and move that region's generation (`global` for
reference labels); the need events move it too, for a write that bypasses the model's save.
The bulk writes that send no signal (the territory and taxonomy loaders) call
`public_pages_changed(GLOBAL)` themselves. The generation moves once the transaction commits.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from portal.events import NeedChanged, NeedClosed, NeedPublished, subscribe
from portal.models import PartnerOrganisation
from portal.pagecache import GLOBAL, public_pages_changed, region_scope
from taxonomy.models import Sector, Skill, SkillLabel

from . import models

# Rows that hang off a region directly, or through one parent (its field name and model).
_DIRECT = (
    models.Province,
    models.Commune,
    models.Roadmap,
    models.Need,
    models.Stakeholder,
    models.ConsultationMeeting,
    models.Decision,
    models.Partnership,
    models.Indicator,
)
_THROUGH = {
    models.RoadmapAxis: ("roadmap_id", models.Roadmap),
    models.RoadmapDocument: ("roadmap_id", models.Roadmap),
    models.NeedSkill: ("need_id", models.Need),
    models.NeedLanguage: ("need_id", models.Need),
    models.NeedInterest: ("need_id", models.Need),
    models.MeetingParticipant: ("meeting_id", models.ConsultationMeeting),
}
# Shown on every page, or on pages of several regions at once: every page is made anew.
_EVERYWHERE = (models.Region, models.Study, Skill, SkillLabel, Sector, PartnerOrganisation)
# NeedReminder is left out on purpose: no page shows it, and the reminder task writes it often.

_codes: dict[int, str] = {}  # region id -> code; both fixed once a region exists


def _code(region_id: int | None) -> str | None:
    if region_id is None:
        return None
    if region_id not in _codes:
        code = models.Region.objects.filter(pk=region_id).values_list("code", flat=True).first()
        if code is None:
            return None
        _codes[region_id] = code
    return _codes[region_id]


def region_pages_changed(region_id: int | None) -> None:
    """The pages of this region (and the lists of all regions); every page if the region is unknown."""
    code = _code(region_id)
    public_pages_changed(region_scope(code) if code else GLOBAL)


def _direct(sender, instance, **kwargs) -> None:
    region_pages_changed(instance.region_id)


def _through(sender, instance, **kwargs) -> None:
    field, parent = _THROUGH[sender]
    region_id = parent.objects.filter(pk=getattr(instance, field)).values_list("region_id", flat=True).first()
    region_pages_changed(region_id)


def _everywhere(sender, instance=None, **kwargs) -> None:
    public_pages_changed(GLOBAL)


def _m2m(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_"):
        if isinstance(instance, _DIRECT):
            region_pages_changed(instance.region_id)
        else:
            public_pages_changed(GLOBAL)


def _person(sender, instance, update_fields=None, **kwargs) -> None:
    """A need's or a decision's owner is shown by name: renamed or erased, their pages change.
    A sign-in (last_login alone) changes nothing shown."""
    if kwargs.get("created") or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    # order_by(): the models' default orderings are not allowed inside a UNION on SQLite (the demo).
    owned = (
        models.Need.objects.filter(owner=instance)
        .order_by()
        .values_list("region_id", flat=True)
        .union(models.Decision.objects.filter(owner=instance).order_by().values_list("region_id", flat=True))
    )
    for region_id in owned:
        region_pages_changed(region_id)


def need_event_pages_changed(event) -> None:
    """NeedChanged, NeedPublished, NeedClosed: the need's region's pages."""
    region_id = models.Need.objects.filter(pk=event.need_id).values_list("region_id", flat=True).first()
    region_pages_changed(region_id)


def register() -> None:
    uid = "regions.pagecache"
    for model in _DIRECT:
        post_save.connect(_direct, sender=model, dispatch_uid=f"{uid}.save.{model.__name__}")
        post_delete.connect(_direct, sender=model, dispatch_uid=f"{uid}.delete.{model.__name__}")
    for model in _THROUGH:
        post_save.connect(_through, sender=model, dispatch_uid=f"{uid}.save.{model.__name__}")
        post_delete.connect(_through, sender=model, dispatch_uid=f"{uid}.delete.{model.__name__}")
    for model in _EVERYWHERE:
        post_save.connect(_everywhere, sender=model, dispatch_uid=f"{uid}.save.{model.__name__}")
        post_delete.connect(_everywhere, sender=model, dispatch_uid=f"{uid}.delete.{model.__name__}")
    for model in (*_DIRECT, models.Study):
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_m2m, sender=through, dispatch_uid=f"{uid}.m2m.{through.__name__}")
    # Before a deletion: the owner's rows are still there to say which regions showed them.
    post_save.connect(_person, sender=get_user_model(), dispatch_uid=f"{uid}.save.user")
    pre_delete.connect(_person, sender=get_user_model(), dispatch_uid=f"{uid}.delete.user")
    for event_type in (NeedChanged, NeedPublished, NeedClosed):
        subscribe(event_type, need_event_pages_changed)
