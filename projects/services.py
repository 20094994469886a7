"""Every write of the investment app: opportunities, projects, the pipeline, partners, deadlines.

Refused calls raise PermissionDenied, bad input raises ValidationError; both before anything
is written, inside one transaction, so a refused or invalid call leaves the data unchanged.
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from portal.enums import Role
from portal.events import InvestmentChanged, ProjectStatusChanged, emit
from portal.models import PartnerOrganisation, User
from portal.notifications import notification_send
from portal.permissions import can_act_in_region, is_member, is_official
from portal.translation import translations_fill_later
from portal.validators import safe_filename

from .enums import AlertKind, OpportunityStatus, ProjectStatus
from .models import (
    Opportunity,
    OpportunityDocument,
    OpportunityInterest,
    Project,
    ProjectDeadlineAlert,
    ProjectDocument,
    ProjectNote,
    ProjectPartner,
    ProjectTransition,
)
from .pipeline import REMINDER_BEFORE, allowed_targets, due_for
from .validators import MAX_DOCUMENTS_PER_PROJECT, project_pdf

NOTE_MAX = 5_000
OPEN_STATUSES = [ProjectStatus.SUBMITTED, ProjectStatus.UNDER_REVIEW, ProjectStatus.ACCOMPANIED, ProjectStatus.FINANCED]
INVESTOR_EDITABLE = (ProjectStatus.SUBMITTED, ProjectStatus.UNDER_REVIEW)


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _notify(*, user: User, kind: str, template: str, refs: dict, params: dict, url_name: str, pk: int) -> None:
    if not user.is_active:
        return
    with translation.override(user.preferred_language):
        url = reverse(url_name, kwargs={"pk": pk})
    notification_send(user=user, kind=kind, template=f"projects/emails/{template}", refs=refs, params=params, url=url)


def _is_investor(user, project: Project) -> bool:
    return is_member(user) and project.investor_id == user.pk


def _matching_changed() -> None:
    """Investor ↔ opportunity suggestions depend on projects and published opportunities:
    the matching app queues one re-match after commit (debounced, docs/matching.md §7)."""
    emit(InvestmentChanged())


def _clean_note(note: str, *, required: bool = False, field: str = "note") -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationError({field: _("This field is required.")})
    if len(note) > NOTE_MAX:
        raise ValidationError({field: _("Keep it under 5,000 characters.")})
    return note


# --- Opportunities --------------------------------------------------------------------


@transaction.atomic
def opportunity_create(*, by: User, data: dict) -> Opportunity:
    """A draft opportunity in a region `by` acts for."""
    data = dict(data)
    programmes = data.pop("programmes", None)
    opportunity = Opportunity(**data, created_by=by)
    _refuse_unless(opportunity.region_id is not None and can_act_in_region(by, opportunity.region_id))
    opportunity.full_clean()
    opportunity.save()
    translations_fill_later(opportunity)
    if programmes is not None:
        opportunity.programmes.set(programmes)
    return opportunity


@transaction.atomic
def opportunity_update(*, opportunity: Opportunity, by: User, data: dict) -> Opportunity:
    _refuse_unless(can_act_in_region(by, opportunity.region_id))
    if opportunity.status == OpportunityStatus.CLOSED:
        raise ValidationError(_("A closed opportunity can no longer be edited."))
    data = dict(data)
    programmes = data.pop("programmes", None)
    for name, value in data.items():
        setattr(opportunity, name, value)
    _refuse_unless(can_act_in_region(by, opportunity.region_id))
    opportunity.full_clean()
    opportunity.save()
    translations_fill_later(opportunity)
    if programmes is not None:
        opportunity.programmes.set(programmes)
    if opportunity.status == OpportunityStatus.PUBLISHED:
        _matching_changed()
    return opportunity


@transaction.atomic
def opportunity_publish(*, opportunity: Opportunity, by: User) -> Opportunity:
    _refuse_unless(can_act_in_region(by, opportunity.region_id))
    if opportunity.status != OpportunityStatus.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    opportunity.status = OpportunityStatus.PUBLISHED
    opportunity.published_at = timezone.now()
    opportunity.save(update_fields=["status", "published_at", "updated_at"])
    _matching_changed()
    return opportunity


@transaction.atomic
def opportunity_close(*, opportunity: Opportunity, by: User) -> Opportunity:
    _refuse_unless(can_act_in_region(by, opportunity.region_id))
    if opportunity.status == OpportunityStatus.CLOSED:
        raise ValidationError(_("This opportunity is already closed."))
    opportunity.status = OpportunityStatus.CLOSED
    opportunity.closed_at = timezone.now()
    opportunity.save(update_fields=["status", "closed_at", "updated_at"])
    _matching_changed()
    return opportunity


@transaction.atomic
def opportunity_interest_express(*, opportunity: Opportunity, by: User, message: str = "") -> OpportunityInterest:
    """A member's interest in a published opportunity (once; the region is told)."""
    _refuse_unless(is_member(by))
    if opportunity.status != OpportunityStatus.PUBLISHED:
        raise ValidationError(_("This opportunity is not open for interest."))
    message = _clean_note(message, field="message")
    if len(message) > 2_000:
        raise ValidationError({"message": _("Keep it under 2,000 characters.")})
    interest, created = OpportunityInterest.objects.get_or_create(
        opportunity=opportunity, investor=by, defaults={"message": message}
    )
    if created and opportunity.created_by_id:
        _notify(
            user=opportunity.created_by,
            kind="projects.interest",
            template="opportunity_interest",
            refs={"opportunity": opportunity, "interest": interest},
            params={},
            url_name="projects:opportunity_detail",
            pk=opportunity.pk,
        )
    return interest


@transaction.atomic
def opportunity_interest_withdraw(*, opportunity: Opportunity, by: User) -> bool:
    _refuse_unless(is_member(by))
    deleted, _counts = OpportunityInterest.objects.filter(opportunity=opportunity, investor=by).delete()
    return bool(deleted)


@transaction.atomic
def opportunity_document_add(*, opportunity: Opportunity, by: User, upload, title: str = "") -> OpportunityDocument:
    _refuse_unless(can_act_in_region(by, opportunity.region_id))
    project_pdf(upload)
    title = (title or "").strip()[:200] or (upload.name or "document.pdf")[:200]
    document = OpportunityDocument(opportunity=opportunity, title=title, size=upload.size, uploaded_by=by)
    document.file.save("document.pdf", upload, save=False)
    document.save()
    return document


# --- Projects ---------------------------------------------------------------------------


def _region_officer(region_id: int) -> User | None:
    """The region's active official with the fewest open projects (the one to assign)."""
    open_filter = Q(assigned_investment_projects__status__in=OPEN_STATUSES)
    return (
        User.objects.filter(role=Role.OFFICIAL, is_active=True, regions=region_id)
        .annotate(load=Count("assigned_investment_projects", filter=open_filter))
        .order_by("load", "pk")
        .first()
    )


def _validate_documents(documents: Iterable, *, existing: int = 0) -> list:
    documents = [document for document in documents if document]
    if existing + len(documents) > MAX_DOCUMENTS_PER_PROJECT:
        raise ValidationError({"documents": _("A project can have at most 20 documents.")})
    errors = []
    for document in documents:
        try:
            project_pdf(document)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"documents": errors})
    return documents


def _store_document(*, project: Project, upload, by: User) -> ProjectDocument:
    # Kept for display and the download's name, made safe once here (portal.validators).
    name = safe_filename(upload.name or "", default="document.pdf")
    document = ProjectDocument(project=project, original_name=name, size=upload.size, uploaded_by=by)
    document.file.save("document.pdf", upload, save=False)
    document.save()
    return document


def _check_opportunity(project: Project) -> None:
    if project.opportunity_id and project.opportunity.status != OpportunityStatus.PUBLISHED:
        raise ValidationError({"opportunity": _("This opportunity is not open.")})


@transaction.atomic
def project_submit(*, investor: User, data: dict, documents: Iterable = ()) -> Project:
    """A member submits a project: validated whole, assigned to an officer of the target
    region, recorded as the first step of its history, the investor and officer told."""
    _refuse_unless(is_member(investor))
    documents = _validate_documents(documents)
    now = timezone.now()
    project = Project(
        **data,
        investor=investor,
        status=ProjectStatus.SUBMITTED,
        status_changed_at=now,
        due_at=due_for(ProjectStatus.SUBMITTED, start=now),
        created_at=now,
    )
    project.full_clean()
    _check_opportunity(project)
    project.assigned_officer = _region_officer(project.region_id)
    project.save()
    ProjectTransition.objects.create(project=project, from_status="", to_status=project.status, by=investor, at=now)
    for upload in documents:
        _store_document(project=project, upload=upload, by=investor)
    _matching_changed()
    refs, params = {"project": project}, {"status": project.status}
    _notify(
        user=investor,
        kind="projects.received",
        template="project_received",
        refs=refs,
        params=params,
        url_name="projects:project_detail",
        pk=project.pk,
    )
    if project.assigned_officer:
        _notify(
            user=project.assigned_officer,
            kind="projects.assigned",
            template="project_assigned",
            refs=refs,
            params=params,
            url_name="projects:project_detail",
            pk=project.pk,
        )
    return project


@transaction.atomic
def project_update(*, project: Project, by: User, data: dict) -> Project:
    """The investor corrects their project while it is submitted or under review (same region)."""
    _refuse_unless(_is_investor(by, project))
    if project.status not in INVESTOR_EDITABLE:
        raise ValidationError(_("This project can no longer be edited; write to your officer."))
    region_id = project.region_id
    for name, value in data.items():
        setattr(project, name, value)
    if project.region_id != region_id:
        raise ValidationError({"region": _("The target region cannot be changed after submission.")})
    project.full_clean()
    _check_opportunity(project)
    project.save()
    _matching_changed()
    return project


@transaction.atomic
def project_transition(*, project: Project, to: str, by: User, note: str = "") -> ProjectTransition:
    """The one way a project's state changes. Officials of the target region (and national
    coordinators) move it along the pipeline; the investor may only withdraw (drop) it.
    Records who, when, from, to and the note; sets the next response deadline; tells the investor."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    is_manager = can_act_in_region(by, locked.region_id)
    is_owner = _is_investor(by, locked)
    _refuse_unless(is_manager or (is_owner and to == ProjectStatus.DROPPED))
    if to not in ProjectStatus.values:
        raise ValidationError({"to": _("Unknown state.")})
    if to not in allowed_targets(locked.status):
        raise ValidationError(
            {
                "to": _("A project that is “%(current)s” cannot move to “%(target)s”.")
                % {"current": ProjectStatus(locked.status).label, "target": ProjectStatus(to).label}
            }
        )
    note = _clean_note(note, required=to == ProjectStatus.DROPPED)
    now = timezone.now()
    from_status = locked.status
    locked.status = to
    locked.status_changed_at = now
    locked.due_at = due_for(to, start=now)
    if to == ProjectStatus.DROPPED:
        locked.drop_reason = note
    locked.save(update_fields=["status", "status_changed_at", "due_at", "drop_reason", "updated_at"])
    transition = ProjectTransition.objects.create(
        project=locked, from_status=from_status, to_status=to, by=by, note=note, at=now
    )
    for name in ("status", "status_changed_at", "due_at", "drop_reason", "updated_at"):
        setattr(project, name, getattr(locked, name))
    if to in (ProjectStatus.LAUNCHED, ProjectStatus.DROPPED):
        _matching_changed()  # it leaves the suggestions
    # Partners following the pipeline get what the API shows them of the project, if anything.
    emit(ProjectStatusChanged(project_id=locked.pk))
    recipient = locked.assigned_officer if is_owner else locked.investor
    if recipient is not None:
        _notify(
            user=recipient,
            kind="projects.status",
            template="project_status",
            refs={"project": locked, "transition": transition},
            params={"from_status": from_status, "status": to},
            url_name="projects:project_detail",
            pk=locked.pk,
        )
    return transition


@transaction.atomic
def project_assign(*, project: Project, officer: User, by: User) -> Project:
    """Give the project to an official of its target region."""
    _refuse_unless(can_act_in_region(by, project.region_id))
    if not (is_official(officer) and can_act_in_region(officer, project.region_id)):
        raise ValidationError({"officer": _("Choose an official of the project's region.")})
    project.assigned_officer = officer
    project.save(update_fields=["assigned_officer", "updated_at"])
    if officer.pk != by.pk:
        _notify(
            user=officer,
            kind="projects.assigned",
            template="project_assigned",
            refs={"project": project},
            params={"status": project.status},
            url_name="projects:project_detail",
            pk=project.pk,
        )
    return project


@transaction.atomic
def project_note_add(*, project: Project, by: User, body: str) -> ProjectNote:
    """An internal note, for officials only."""
    _refuse_unless(can_act_in_region(by, project.region_id))
    body = _clean_note(body, required=True, field="body")
    return ProjectNote.objects.create(project=project, author=by, body=body)


@transaction.atomic
def project_document_add(*, project: Project, by: User, upload) -> ProjectDocument:
    _refuse_unless(_is_investor(by, project) or can_act_in_region(by, project.region_id))
    documents = _validate_documents([upload], existing=project.documents.count())
    if not documents:
        raise ValidationError({"documents": _("Choose a file.")})
    return _store_document(project=project, upload=documents[0], by=by)


@transaction.atomic
def project_document_delete(*, document: ProjectDocument, by: User) -> None:
    project = document.project
    _refuse_unless(_is_investor(by, project) or can_act_in_region(by, project.region_id))
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- Partners attached to a project --------------------------------------------------------


@transaction.atomic
def project_partner_attach(*, project: Project, partner: PartnerOrganisation, by: User) -> ProjectPartner:
    """Attach a partner. Attached by the investor: active at once (their consent). Proposed by
    an official: waits for the investor's consent, and the investor is asked."""
    owner = _is_investor(by, project)
    _refuse_unless(owner or can_act_in_region(by, project.region_id))
    now = timezone.now()
    link = ProjectPartner.objects.select_for_update().filter(project=project, partner=partner).first()
    if link is not None and link.ended_at is None:
        raise ValidationError({"partner": _("This partner is already attached or proposed.")})
    link = link or ProjectPartner(project=project, partner=partner)
    link.proposed_by, link.proposed_at, link.ended_at = by, now, None
    link.consented_at = now if owner else None
    link.save()
    if not owner:
        _notify(
            user=project.investor,
            kind="projects.partner_proposed",
            template="partner_proposed",
            refs={"project": project, "partner": partner},
            params={},
            url_name="projects:project_detail",
            pk=project.pk,
        )
    return link


@transaction.atomic
def project_partner_consent(*, link: ProjectPartner, by: User) -> ProjectPartner:
    _refuse_unless(_is_investor(by, link.project))
    if link.ended_at is not None or link.consented_at is not None:
        raise ValidationError(_("This proposal is no longer waiting for your consent."))
    link.consented_at = timezone.now()
    link.save(update_fields=["consented_at"])
    return link


@transaction.atomic
def project_partner_end(*, link: ProjectPartner, by: User) -> ProjectPartner:
    """The investor withdraws consent, or an official ends the attachment: the partner loses access."""
    _refuse_unless(_is_investor(by, link.project) or can_act_in_region(by, link.project.region_id))
    if link.ended_at is not None:
        raise ValidationError(_("This attachment has already ended."))
    link.ended_at = timezone.now()
    link.save(update_fields=["ended_at"])
    return link


# --- Deadlines: reminders and escalations ------------------------------------------------


def _region_officials(region_id: int) -> list[User]:
    return list(User.objects.filter(role=Role.OFFICIAL, is_active=True, regions=region_id).order_by("pk"))


def _coordinators() -> list[User]:
    return list(User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk"))


def project_deadlines_check(*, now: datetime | None = None) -> dict[str, int]:
    """Remind the officer before a stage's deadline, escalate after it. Each alert is recorded
    per stage (unique on the stage's transition and kind), so running this twice sends nothing twice."""
    now = now or timezone.now()
    last_step = ProjectTransition.objects.filter(project=OuterRef("pk")).order_by("-at", "-pk").values("pk")[:1]
    due = (
        Project.objects.open()
        .filter(due_at__isnull=False, due_at__lte=now + REMINDER_BEFORE)
        .select_related("assigned_officer", "region")
        .annotate(stage_step_id=Subquery(last_step))
        .order_by("due_at", "pk")
    )
    sent = {AlertKind.REMINDER: 0, AlertKind.ESCALATION: 0}
    for project in due:
        if project.stage_step_id is None:
            continue
        kind = AlertKind.ESCALATION if project.due_at <= now else AlertKind.REMINDER
        with transaction.atomic():
            alert, created = ProjectDeadlineAlert.objects.get_or_create(
                transition_id=project.stage_step_id, kind=kind, defaults={"project": project, "sent_at": now}
            )
            if not created:
                continue
            if kind == AlertKind.REMINDER:
                recipients = [project.assigned_officer] if project.assigned_officer else []
                recipients = recipients or _region_officials(project.region_id)
            else:
                recipients = _region_officials(project.region_id) + _coordinators()
            params = {"status": project.status, "due_at": project.due_at.date().isoformat()}
            for user in recipients:
                _notify(
                    user=user,
                    kind=f"projects.{kind}",
                    template=f"project_{kind}",
                    refs={"project": project},
                    params=params,
                    url_name="projects:project_detail",
                    pk=project.pk,
                )
            ProjectDeadlineAlert.objects.filter(pk=alert.pk).update(recipients=len(recipients))
            sent[kind] += 1
    return {"reminders": sent[AlertKind.REMINDER], "escalations": sent[AlertKind.ESCALATION]}
