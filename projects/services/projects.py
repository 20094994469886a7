"""Investors' projects: submission, edits, the pipeline's transitions, officers, notes and documents."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.enums import Role
from portal.events import ProjectStatusChanged, emit
from portal.inputs import UNSET, ServiceInput
from portal.models import User
from portal.permissions import can_act_in_region, is_member, is_official
from portal.validators import safe_filename

from ..enums import OpportunityStatus, ProjectStatus
from ..models import Project, ProjectDocument, ProjectNote, ProjectTransition
from ..pipeline import allowed_targets, due_for
from ..validators import MAX_DOCUMENTS_PER_PROJECT, project_pdf
from .base import INVESTOR_EDITABLE, OPEN_STATUSES, clean_note, is_investor, matching_changed, notify, refuse_unless

if TYPE_CHECKING:
    from regions.models import Commune, Province, Region
    from taxonomy.models import Sector

    from ..models import Opportunity


@dataclass(frozen=True)
class ProjectInput(ServiceInput):
    """The fields an investor gives and corrects (forms.ProjectForm takes its fields from here;
    the documents are given beside it). Status, officer, dates and the investor are the
    pipeline's, never an input."""

    title: str = UNSET
    description: str = UNSET
    language: str = UNSET
    sector: Sector = UNSET
    sector_division: str = UNSET
    region: Region = UNSET
    province: Province | None = UNSET
    commune: Commune | None = UNSET
    opportunity: Opportunity | None = UNSET
    amount_mad: int = UNSET
    share_from_abroad_pct: int | None = UNSET
    own_contribution_mad: int | None = UNSET
    expected_jobs: int | None = UNSET
    stage: str = UNSET
    support_needed: list[str] = UNSET


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
def project_submit(*, investor: User, data: ProjectInput | Mapping, documents: Iterable = ()) -> Project:
    """A member submits a project: validated whole, assigned to an officer of the target
    region, recorded as the first step of its history, the investor and officer told."""
    refuse_unless(is_member(investor))
    documents = _validate_documents(documents)
    now = timezone.now()
    project = Project(
        **ProjectInput.coerce(data).changes(),
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
    matching_changed()
    refs, params = {"project": project}, {"status": project.status}
    notify(
        user=investor,
        kind="projects.received",
        template="project_received",
        refs=refs,
        params=params,
        url_name="projects:project_detail",
        pk=project.pk,
    )
    if project.assigned_officer:
        notify(
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
def project_update(*, project: Project, by: User, data: ProjectInput | Mapping) -> Project:
    """The investor corrects their project while it is submitted or under review (same region)."""
    refuse_unless(is_investor(by, project))
    if project.status not in INVESTOR_EDITABLE:
        raise ValidationError(_("This project can no longer be edited; write to your officer."))
    region_id = project.region_id
    for name, value in ProjectInput.coerce(data).changes().items():
        setattr(project, name, value)
    if project.region_id != region_id:
        raise ValidationError({"region": _("The target region cannot be changed after submission.")})
    project.full_clean()
    _check_opportunity(project)
    project.save()
    matching_changed()
    return project


@transaction.atomic
def project_transition(*, project: Project, to: str, by: User, note: str = "") -> ProjectTransition:
    """The one way a project's state changes. Officials of the target region (and national
    coordinators) move it along the pipeline; the investor may only withdraw (drop) it.
    Records who, when, from, to and the note; sets the next response deadline; tells the investor."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    is_manager = can_act_in_region(by, locked.region_id)
    is_owner = is_investor(by, locked)
    refuse_unless(is_manager or (is_owner and to == ProjectStatus.DROPPED))
    if to not in ProjectStatus.values:
        raise ValidationError({"to": _("Unknown state.")})
    if to not in allowed_targets(locked.status):
        raise ValidationError(
            {
                "to": _("A project that is “%(current)s” cannot move to “%(target)s”.")
                % {"current": ProjectStatus(locked.status).label, "target": ProjectStatus(to).label}
            }
        )
    note = clean_note(note, required=to == ProjectStatus.DROPPED)
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
        matching_changed()  # it leaves the suggestions
    # Partners following the pipeline get what the API shows them of the project, if anything.
    emit(ProjectStatusChanged(project_id=locked.pk))
    recipient = locked.assigned_officer if is_owner else locked.investor
    if recipient is not None:
        notify(
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
    refuse_unless(can_act_in_region(by, project.region_id))
    if not (is_official(officer) and can_act_in_region(officer, project.region_id)):
        raise ValidationError({"officer": _("Choose an official of the project's region.")})
    project.assigned_officer = officer
    project.save(update_fields=["assigned_officer", "updated_at"])
    if officer.pk != by.pk:
        notify(
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
    refuse_unless(can_act_in_region(by, project.region_id))
    body = clean_note(body, required=True, field="body")
    return ProjectNote.objects.create(project=project, author=by, body=body)


@transaction.atomic
def project_document_add(*, project: Project, by: User, upload) -> ProjectDocument:
    refuse_unless(is_investor(by, project) or can_act_in_region(by, project.region_id))
    documents = _validate_documents([upload], existing=project.documents.count())
    if not documents:
        raise ValidationError({"documents": _("Choose a file.")})
    return _store_document(project=project, upload=documents[0], by=by)


@transaction.atomic
def project_document_delete(*, document: ProjectDocument, by: User) -> None:
    project = document.project
    refuse_unless(is_investor(by, project) or can_act_in_region(by, project.region_id))
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
