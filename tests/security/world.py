"""The world every attack runs against: region A's objects, member A's and partner A's, each
private text carrying a marker that must never reach anyone of side B.

Every private string contains MARKER, so one substring test finds any leak; the rest of the
string says what leaked. Public texts (a published need's title, a region's name) carry none:
anyone may read them.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from diaspora.models import Association, AssociationMembership, Education, EmailVerification, WorkExperience
from matching.enums import MatchStatus
from matching.models import Engagement, Match
from partners.enums import ProposalStatus, Scope
from partners.models import NeedProposal
from partners.services import api_token_create
from portal.enums import Role
from projects.enums import OpportunityStatus
from projects.models import OpportunityDocument, OpportunityInterest, ProjectDocument, ProjectNote, ProjectPartner
from regions.enums import RoadmapStatus
from regions.models import Decision, NeedInterest, Partnership, Region, RoadmapDocument, Study
from tests.diaspora.factories import ConsentingExpertFactory
from tests.factories import PartnerOrganisationFactory, UserFactory
from tests.projects.factories import OpportunityFactory, ProjectFactory
from tests.regions.factories import (
    MeetingFactory,
    NeedFactory,
    NeedSkillFactory,
    RoadmapAxisFactory,
    RoadmapFactory,
    StakeholderFactory,
)
from tests.security.pdf import valid_pdf

MARKER = "ZQPRIV"
PDF = valid_pdf(f"{MARKER}-file-content")


def secret(what: str) -> str:
    return f"{MARKER}-{what}"


@dataclass
class World:
    region_a: Region
    region_b: Region
    users: dict = field(default_factory=dict)  # persona name -> user (None for anonymous)
    objects: dict = field(default_factory=dict)  # role in the world -> model instance


def build_world() -> World:
    """Region A (05) with everything a view can name, owned by official A, member A and
    partner A; side B (region 02's official, another member, another partner) owns nothing
    of it. Returns the world; every call makes a fresh one inside the test's transaction."""
    region_a = Region.objects.get(code="05")
    region_b = Region.objects.get(code="02")
    partner_org_a = PartnerOrganisationFactory(name=secret("partner-org-a"))
    users = {
        "official_a": UserFactory(role=Role.OFFICIAL, regions=[region_a], full_name="Official A"),
        "member_a": UserFactory(role=Role.MEMBER, full_name=secret("member-a-name"), email="zqpriv-a@example.org"),
        "partner_a": UserFactory(role=Role.PARTNER, partner=partner_org_a, full_name="Partner A"),
        "official_b": UserFactory(role=Role.OFFICIAL, regions=[region_b], full_name="Official B"),
        "member_b": UserFactory(role=Role.MEMBER, full_name="Member B"),
        "partner_b": UserFactory(role=Role.PARTNER, partner=PartnerOrganisationFactory(), full_name="Partner B"),
        "anonymous": None,
    }
    official_a, member_a, partner_a = users["official_a"], users["member_a"], users["partner_a"]
    EmailVerification.objects.create(user=member_a, verified_at=None)
    profile_a = ConsentingExpertFactory(
        user=member_a,
        display_name=secret("expert-a"),
        phone="+33 6 99 ZQPRIV",
        city=secret("city"),
        bio=secret("bio"),
        origin_region=region_a,
    )
    EmailVerification.objects.filter(user=member_a).update(verified_at=timezone.now())
    experience = WorkExperience.objects.create(
        profile=profile_a, title="Ingénieure", organisation="Office", start_year=2015, description="Irrigation"
    )
    education = Education.objects.create(profile=profile_a, degree="Master", institution="Université", field="Eau")

    roadmap = RoadmapFactory(region=region_a, version=1, created_by=official_a, title="Feuille de route A")
    axis = RoadmapAxisFactory(roadmap=roadmap, title="Compétences")
    draft_roadmap = RoadmapFactory(
        region=region_a, version=2, created_by=official_a, title=secret("draft-roadmap"), status=RoadmapStatus.DRAFT,
        adopted_on=None,
    )  # fmt: skip
    draft_axis = RoadmapAxisFactory(roadmap=draft_roadmap, title=secret("draft-axis"))
    need = NeedFactory(axis=axis, owner=official_a, title="Besoin public A")
    NeedSkillFactory(need=need)
    draft_need = NeedFactory(
        axis=axis, owner=official_a, status="draft", published_at=None, title=secret("draft-need"),
        description=secret("draft-need-description"),
    )  # fmt: skip
    NeedSkillFactory(need=draft_need)
    interest = NeedInterest.objects.create(need=need, user=member_a, message=secret("need-interest"))
    match = Match.objects.create(
        need=need, profile=profile_a, score=0.9, status=MatchStatus.INVITED, invited_by=official_a,
        invited_at=timezone.now(), invitation_message=secret("invitation"),
    )  # fmt: skip
    engaged_need = NeedFactory(axis=axis, owner=official_a, title="Besoin engagé A")
    engaged = Match.objects.create(need=engaged_need, profile=profile_a, score=0.8, status=MatchStatus.ACCEPTED)
    Engagement.objects.create(match=engaged, deliverable_note=secret("deliverable"))
    document = RoadmapDocument.objects.create(roadmap=draft_roadmap, title=secret("roadmap-doc"), language="fr")
    document.file.save("zqpriv-roadmap.pdf", ContentFile(PDF), save=True)
    stakeholder = StakeholderFactory(region=region_a, name="Partie prenante A")
    meeting = MeetingFactory(region=region_a, title="Réunion A")
    decision = Decision.objects.create(meeting=meeting, region=region_a, title="Décision A")
    partnership = Partnership.objects.create(
        region=region_a, title="Partenariat A", objective="Former", start_date=dt.date(2025, 1, 1)
    )
    partnership.partners.add(stakeholder)
    study = Study.objects.create(title="Étude A", authors="A. Auteur", year=2024)
    study.regions.add(region_a)

    opportunity = OpportunityFactory(region=region_a, title="Opportunité publique A", created_by=official_a)
    draft_opportunity = OpportunityFactory(
        region=region_a, title=secret("draft-opportunity"), description=secret("draft-opportunity-description"),
        status=OpportunityStatus.DRAFT, published_at=None, created_by=official_a,
    )  # fmt: skip
    opportunity_interest = OpportunityInterest.objects.create(
        opportunity=opportunity, investor=member_a, message=secret("opportunity-interest")
    )
    opportunity_document = OpportunityDocument(
        opportunity=draft_opportunity, title=secret("opportunity-doc"), size=len(PDF)
    )
    opportunity_document.file.save("zqpriv-opportunity.pdf", ContentFile(PDF), save=True)

    project = ProjectFactory(
        investor=member_a, region=region_a, title=secret("project"), description=secret("project-description"),
        assigned_officer=official_a,
    )  # fmt: skip
    ProjectNote.objects.create(project=project, author=official_a, body=secret("project-note"))
    project_document = ProjectDocument(project=project, original_name=secret("project-doc") + ".pdf", size=len(PDF))
    project_document.file.save("zqpriv-project.pdf", ContentFile(PDF), save=True)
    project_partner = ProjectPartner.objects.create(project=project, partner=partner_org_a, proposed_by=official_a)

    token, _plaintext = api_token_create(
        partner=partner_org_a, created_by=partner_a, name=secret("token"), scopes=[Scope.READ_PUBLIC]
    )
    proposal = NeedProposal.objects.create(
        partner=partner_org_a, token=token, region=region_a, title=secret("proposal"),
        description=secret("proposal-description"), format=need.format, work_mode=need.work_mode,
        status=ProposalStatus.SUBMITTED,
    )  # fmt: skip
    association = Association.objects.create(name="Association A", country="BE", city="Liège")
    AssociationMembership.objects.create(association=association, user=member_a)

    objects = {
        "profile_a": profile_a,
        "experience": experience,
        "education": education,
        "roadmap": roadmap,
        "axis": axis,
        "draft_roadmap": draft_roadmap,
        "draft_axis": draft_axis,
        "need": need,
        "draft_need": draft_need,
        "interest": interest,
        "match": match,
        "engaged_match": engaged,
        "roadmap_document": document,
        "stakeholder": stakeholder,
        "meeting": meeting,
        "decision": decision,
        "partnership": partnership,
        "study": study,
        "opportunity": opportunity,
        "draft_opportunity": draft_opportunity,
        "opportunity_interest": opportunity_interest,
        "opportunity_document": opportunity_document,
        "project": project,
        "project_document": project_document,
        "project_partner": project_partner,
        "token": token,
        "proposal": proposal,
        "association": association,
    }
    return World(region_a=region_a, region_b=region_b, users=users, objects=objects)
