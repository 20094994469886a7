"""Needs: drafting, editing, the state machine (enums.NEED_TRANSITIONS), offers of help."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.enums import Language, LanguageLevel, SkillLevel
from portal.events import NeedChanged, NeedClosed, NeedPublished, emit
from portal.inputs import UNSET, ServiceInput
from portal.notifications import notification_send
from portal.permissions import can_act_in_region, is_member, is_national, is_official
from portal.translation import translations_fill_later
from taxonomy.models import Sector, Skill

from ..enums import NEED_TRANSITIONS, NeedStatus, RoadmapStatus
from ..models import (
    NEED_WEIGHT_MAX,
    NEED_WEIGHT_MIN,
    Commune,
    Need,
    NeedInterest,
    NeedLanguage,
    NeedSkill,
    Province,
    Roadmap,
    RoadmapAxis,
)
from .base import assign, full_clean, require_scope

if TYPE_CHECKING:
    from portal.models import User


@dataclass(frozen=True)
class NeedInput(ServiceInput):
    """The editable fields of a need (forms.NeedForm; `translations` from its language groups).

    Its skills and languages are given beside it (SkillRequirement, LanguageRequirement): they
    are rows of their own, edited in the form's two formsets. `owner` left out on creation is
    the official who creates the need.
    """

    title: str = UNSET
    description: str = UNSET
    text_language: str = UNSET
    axis: RoadmapAxis = UNSET
    sector: Sector | None = UNSET
    format: str = UNSET
    work_mode: str = UNSET
    province: Province | None = UNSET
    commune: Commune | None = UNSET
    start_date: date | None = UNSET
    duration_days: int | None = UNSET
    experts_wanted: int = UNSET
    owner: User = UNSET
    response_deadline: date | None = UNSET
    translations: dict = UNSET


@dataclass(frozen=True)
class SkillRequirement:
    skill_id: int
    weight: int = 3
    essential: bool = False
    min_level: int = SkillLevel.INTERMEDIATE


@dataclass(frozen=True)
class LanguageRequirement:
    language: str
    min_level: int = LanguageLevel.B2


def _matching_changed(need: Need) -> None:
    """The need's matching inputs changed: matching re-scores it after commit (its subscription)."""
    emit(NeedChanged(need_id=need.pk))


def _validate_need(need: Need) -> None:
    """Rules that span rows: the place, axis and owner must belong to the need's region."""
    errors: dict[str, list] = {}
    if need.axis_id and need.axis.roadmap_id != need.roadmap_id:
        errors.setdefault("axis", []).append(_("This axis belongs to another roadmap."))
    if need.province_id and need.province.region_id != need.region_id:
        errors.setdefault("province", []).append(_("This province is not in the roadmap's region."))
    if need.commune_id:
        if need.commune.region_id != need.region_id:
            errors.setdefault("commune", []).append(_("This commune is not in the roadmap's region."))
        elif need.province_id and need.commune.province_id != need.province_id:
            errors.setdefault("commune", []).append(_("This commune is not in the chosen province."))
    if need.owner_id:
        owner = need.owner
        if not (
            owner.is_active and (is_official(owner) or is_national(owner)) and can_act_in_region(owner, need.region_id)
        ):
            errors.setdefault("owner", []).append(_("The owner must be an official of this region."))
    if errors:
        raise ValidationError(errors)


def _validate_requirements(skills: list[SkillRequirement], languages: list[LanguageRequirement]) -> None:
    errors = []
    skill_ids = [s.skill_id for s in skills]
    if len(set(skill_ids)) != len(skill_ids):
        errors.append(_("The same skill is listed twice."))
    known = set(Skill.objects.filter(pk__in=skill_ids).values_list("pk", flat=True))
    if set(skill_ids) - known:
        errors.append(_("Unknown skill: choose skills from the taxonomy."))
    for s in skills:
        if not isinstance(s.weight, int) or not NEED_WEIGHT_MIN <= s.weight <= NEED_WEIGHT_MAX:
            errors.append(
                _("A skill's weight must be between %(min)d and %(max)d.")
                % {"min": NEED_WEIGHT_MIN, "max": NEED_WEIGHT_MAX}
            )
        if s.min_level not in SkillLevel.values:
            errors.append(_("Unknown skill level."))
    codes = [lang.language for lang in languages]
    if len(set(codes)) != len(codes):
        errors.append(_("The same language is listed twice."))
    for lang in languages:
        if lang.language not in Language.values:
            errors.append(_("Unknown language."))
        if lang.min_level not in LanguageLevel.values:
            errors.append(_("Unknown language level."))
    if errors:
        raise ValidationError(list(dict.fromkeys(str(e) for e in errors)))


def _replace_requirements(need: Need, skills, languages) -> None:
    if skills is not None:
        need.skills.all().delete()
        NeedSkill.objects.bulk_create(
            NeedSkill(need=need, skill_id=s.skill_id, weight=s.weight, essential=s.essential, min_level=s.min_level)
            for s in skills
        )
    if languages is not None:
        need.languages.all().delete()
        NeedLanguage.objects.bulk_create(
            NeedLanguage(need=need, language=lang.language, min_level=lang.min_level) for lang in languages
        )


@transaction.atomic
def need_create(
    *,
    roadmap: Roadmap,
    by,
    data: NeedInput | Mapping,
    skills: list[SkillRequirement] = (),
    languages: list[LanguageRequirement] = (),
) -> Need:
    """A draft need of `roadmap`; it is seen by the public only once published (need_transition)."""
    require_scope(by, roadmap.region_id)
    if roadmap.status == RoadmapStatus.CLOSED:
        raise ValidationError(_("A closed roadmap can no longer be changed; start a new version."))
    need = Need(roadmap=roadmap, region_id=roadmap.region_id, status=NeedStatus.DRAFT)
    assign(need, {"owner": by} | NeedInput.coerce(data).changes())
    full_clean(need, exclude=["roadmap", "region"])
    _validate_need(need)
    _validate_requirements(list(skills), list(languages))
    need.save()
    _replace_requirements(need, list(skills), list(languages))
    translations_fill_later(need)
    return need


@transaction.atomic
def need_update(
    *,
    need: Need,
    by,
    data: NeedInput | Mapping,
    skills: list[SkillRequirement] | None = None,
    languages: list[LanguageRequirement] | None = None,
) -> Need:
    """Edit a need (not once it is fulfilled or closed; an expired one may get new dates before
    it is published again); an open need is re-matched."""
    require_scope(by, need.region_id)
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status in (NeedStatus.FULFILLED, NeedStatus.CLOSED):
        raise ValidationError(_("This need is finished and can no longer be edited."))
    assign(need, NeedInput.coerce(data).changes())
    full_clean(need, exclude=["roadmap", "region"])
    _validate_need(need)
    if skills is not None or languages is not None:
        _validate_requirements(list(skills or []), list(languages or []))
    need.save()
    _replace_requirements(need, skills, languages)
    translations_fill_later(need)
    if need.status == NeedStatus.OPEN:
        _matching_changed(need)
    return need


def need_allowed_transitions(need: Need) -> list[str]:
    return sorted(NEED_TRANSITIONS[need.status])


@transaction.atomic
def need_transition(*, need: Need, to: str, by) -> Need:
    """Move a need along its state machine (enums.NEED_TRANSITIONS), the only way its status changes.

    `by=None` is the system (the expiry task), which may only expire open needs. Entering or
    leaving `open` queues the matching job.
    """
    need = Need.objects.select_for_update(of=("self",)).select_related("roadmap", "region").get(pk=need.pk)
    if by is None:
        if not (need.status == NeedStatus.OPEN and to == NeedStatus.EXPIRED):
            raise PermissionDenied(_("You cannot act for this region."))
    else:
        require_scope(by, need.region_id)
    if to not in NeedStatus.values or to not in NEED_TRANSITIONS[need.status]:
        raise ValidationError(
            _("A need cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": NeedStatus(need.status).label,
                "to": NeedStatus(to).label if to in NeedStatus.values else to,
            }
        )
    now = timezone.now()
    if to == NeedStatus.OPEN:
        errors = []
        if need.roadmap.status != RoadmapStatus.ADOPTED:
            errors.append(_("A need is published only in an adopted roadmap."))
        if not need.skills.exists():
            errors.append(_("Add at least one required skill before publishing."))
        if need.end_date and need.end_date < timezone.localdate():
            errors.append(_("The need's end date has passed; change its dates before publishing."))
        if errors:
            raise ValidationError(errors)
        need.published_at = need.published_at or now
    previous = need.status
    need.status = to
    need.status_changed_at = now
    need.save(update_fields=["status", "status_changed_at", "published_at", "updated_at"])
    if NeedStatus.OPEN in (previous, to):
        _matching_changed(need)
    _webhook_need_status(need)
    return need


# A need's status change is public information: partners with `read:public` may be told.
NEED_STATUS_EVENTS = {
    NeedStatus.OPEN: NeedPublished,
    NeedStatus.CLOSED: NeedClosed,
    NeedStatus.FULFILLED: NeedClosed,
    NeedStatus.EXPIRED: NeedClosed,
}


def _webhook_need_status(need: Need) -> None:
    event_type = NEED_STATUS_EVENTS.get(need.status)
    if event_type:
        emit(event_type(need_id=need.pk))


@transaction.atomic
def need_interest_express(*, need: Need, user, message: str = "") -> tuple[NeedInterest, bool]:
    """A diaspora member says they can help with an open need; the owner is told once.

    Returns (interest, created); expressing twice keeps the first row.
    """
    if not is_member(user):
        raise PermissionDenied(_("Only diaspora members can express interest in a need."))
    need = Need.objects.select_related("owner", "region").get(pk=need.pk)
    if need.status != NeedStatus.OPEN:
        raise ValidationError(_("This need is not open any more."))
    interest = NeedInterest(need=need, user=user, message=message)
    full_clean(interest, exclude=["need", "user"])
    interest, created = NeedInterest.objects.get_or_create(need=need, user=user, defaults={"message": message})
    if created:
        _matching_changed(need)  # the volunteer joins the ranked candidate list, flagged
        notification_send(
            user=need.owner,
            kind="regions.need_interest",
            template="regions/emails/need_interest",
            refs={"need": need, "interest": interest},
            url=need.get_absolute_url(),
        )
    return interest, created


@transaction.atomic
def need_interest_withdraw(*, need: Need, user) -> int:
    deleted, _unused = NeedInterest.objects.filter(need=need, user=user).delete()
    if deleted:
        _matching_changed(need)  # the candidate list loses the "expressed interest" flag
    return deleted
