"""Permission-aware reads of the investment app. Views and the API build on these only."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from portal.enums import Role
from portal.models import User
from portal.permissions import can_act_in_region, is_member, is_national, is_official

from .eligibility import ProgrammeOutcome, ProgrammeSpec, RuleSpec, evaluate
from .enums import EligibilityField
from .filtersets import OpportunityFilterSet, ProjectFilterSet
from .models import (
    EligibilityRule,
    Opportunity,
    OpportunityDocument,
    OpportunityInterest,
    Project,
    ProjectDocument,
    ProjectPartner,
    ProjectTransition,
    SupportProgramme,
)


def can_manage_region(user, region_id: int) -> bool:
    """Officials of the region and national coordinators (portal.permissions decides)."""
    return (is_official(user) or is_national(user)) and can_act_in_region(user, region_id)


# --- Opportunities ------------------------------------------------------------------------


def opportunity_list(*, user, filters: dict | None = None) -> OpportunityFilterSet:
    """Opportunities `user` may see, filtered; `.qs` is ready to paginate (one query a page)."""
    queryset = (
        Opportunity.objects.visible_to(user)
        .select_related("region", "province", "commune", "sector")
        .order_by("-published_at", "-created_at", "-pk")
    )
    if is_member(user):
        mine = OpportunityInterest.objects.filter(opportunity=OuterRef("pk"), investor=user)
        queryset = queryset.annotate(my_interest=Exists(mine))
    return OpportunityFilterSet(filters or None, queryset=queryset, user=user)


def opportunity_get(*, user, pk: int) -> Opportunity:
    opportunity = (
        Opportunity.objects.visible_to(user)
        .select_related("region", "province", "commune", "sector", "created_by")
        .prefetch_related("programmes")
        .filter(pk=pk)
        .first()
    )
    if opportunity is None:
        raise Http404
    return opportunity


def opportunity_managed_get(*, user, pk: int) -> Opportunity:
    """An opportunity `user` may edit (404 otherwise, so that others learn nothing)."""
    opportunity = Opportunity.objects.managed_by(user).select_related("region").filter(pk=pk).first()
    if opportunity is None:
        raise Http404
    return opportunity


def opportunity_interests(*, user, opportunity: Opportunity) -> list[OpportunityInterest]:
    """Who expressed interest: the region's officials see everyone; a member sees only themselves."""
    interests = opportunity.interests.select_related("investor").order_by("-created_at", "-pk")
    if can_manage_region(user, opportunity.region_id):
        return list(interests)
    if is_member(user):
        return list(interests.filter(investor=user))
    return []


def opportunity_document_get(*, user, pk: int) -> OpportunityDocument:
    visible = Opportunity.objects.visible_to(user)
    document = OpportunityDocument.objects.filter(pk=pk, opportunity__in=visible).first()
    if document is None:
        raise Http404
    return document


# --- Projects ---------------------------------------------------------------------------


def project_list(*, user, filters: dict | None = None) -> ProjectFilterSet:
    """The projects `user` may see (investor: own; official: their region's; partner: attached
    with consent; national: all), filtered; one query a page."""
    queryset = (
        Project.objects.visible_to(user)
        .select_related("region", "province", "sector", "assigned_officer", "investor")
        .order_by("-created_at", "-pk")
    )
    return ProjectFilterSet(filters or None, queryset=queryset, user=user)


def project_get(*, user, pk: int) -> Project:
    project = (
        Project.objects.visible_to(user)
        .select_related("region", "province", "commune", "sector", "assigned_officer", "investor", "opportunity")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404
    return project


def project_history(*, project: Project) -> list[ProjectTransition]:
    return list(project.history.select_related("by").order_by("at", "pk"))


def project_notes(*, user, project: Project) -> list:
    """Internal notes: only for the officials who manage the project's region."""
    if not can_manage_region(user, project.region_id):
        return []
    return list(project.notes.select_related("author").order_by("created_at", "pk"))


def project_documents(*, user, project: Project) -> list[ProjectDocument]:
    """Documents of a project the user can already see (the caller got it from project_get)."""
    return list(project.documents.order_by("created_at", "pk"))


def project_partner_links(*, user, project: Project) -> list[ProjectPartner]:
    """A partner sees only its own attachment; investor and officials see all of them."""
    links = project.partner_links.select_related("partner").order_by("proposed_at", "pk")
    if is_member(user) or can_manage_region(user, project.region_id):
        return list(links)
    if getattr(user, "partner_id", None):
        return list(links.filter(partner_id=user.partner_id))
    return []


def project_document_get(*, user, pk: int) -> ProjectDocument:
    """A document of a project `user` may see; 404 for anyone else (no IDOR)."""
    document = (
        ProjectDocument.objects.filter(pk=pk, project__in=Project.objects.visible_to(user))
        .select_related("project")
        .first()
    )
    if document is None:
        raise Http404
    return document


def project_partner_link_get(*, user, pk: int) -> ProjectPartner:
    link = (
        ProjectPartner.objects.filter(pk=pk, project__in=Project.objects.visible_to(user))
        .select_related("project", "partner", "project__investor")
        .first()
    )
    if link is None:
        raise Http404
    return link


def region_officers(*, project: Project) -> QuerySet:
    """The officials a project may be assigned to (a queryset: a form's choices read it once)."""

    return User.objects.filter(role=Role.OFFICIAL, is_active=True, regions=project.region_id).order_by("full_name")


# --- Eligibility ---------------------------------------------------------------------------


def project_facts(project: Project) -> dict:
    """What eligibility rules may test, as plain values."""
    own_pct = round(project.own_contribution_mad * 100 / project.amount_mad, 2) if project.amount_mad else None
    return {
        EligibilityField.AMOUNT: project.amount_mad,
        EligibilityField.SHARE_FROM_ABROAD: project.share_from_abroad_pct,
        EligibilityField.OWN_CONTRIBUTION: project.own_contribution_mad,
        EligibilityField.OWN_CONTRIBUTION_PCT: own_pct,
        EligibilityField.EXPECTED_JOBS: project.expected_jobs,
        EligibilityField.REGION: project.region.code,
        EligibilityField.SECTOR: project.sector.code,
        EligibilityField.STAGE: project.stage,
    }


def project_eligibility(*, project: Project) -> list[ProgrammeOutcome]:
    """Active programmes of the project's region and national ones, each with its rules'
    outcomes (two queries: programmes, rules)."""
    programmes = (
        SupportProgramme.objects.filter(is_active=True)
        .filter(Q(region__isnull=True) | Q(region_id=project.region_id))
        .prefetch_related(Prefetch("rules", queryset=EligibilityRule.objects.order_by("pk")))
    )
    labels = dict(EligibilityField.choices)
    specs = [
        ProgrammeSpec(
            key=programme.pk,
            name=programme.name,
            rules=tuple(
                RuleSpec(
                    field=rule.field, operator=rule.operator, threshold=rule.threshold, label=labels.get(rule.field, "")
                )
                for rule in programme.rules.all()
            ),
            subsidy_rate_pct=programme.subsidy_rate_pct,
            max_subsidy_mad=programme.max_subsidy_mad,
        )
        for programme in programmes
    ]
    return evaluate(project_facts(project), specs)


def projects_queryset_for(user) -> QuerySet:
    """For other apps (API, matching): the projects `user` may see, unfiltered."""
    return Project.objects.visible_to(user)
