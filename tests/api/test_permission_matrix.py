"""Every endpoint × every persona → the expected status; and no personal data of an expert
who did not consent to partner sharing is reachable anywhere on the API."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from diaspora.models import ExpertProfile
from matching.models import Engagement, Match
from partners.enums import ProposalStatus, Scope
from partners.models import NeedProposal
from partners.pseudonyms import expert_public_id
from projects.models import ProjectPartner
from taxonomy.models import Skill
from tests.diaspora.factories import ConsentingExpertFactory
from tests.factories import UserFactory
from tests.projects.factories import OpportunityFactory, ProjectFactory
from tests.regions.factories import NeedFactory, NeedSkillFactory, RoadmapAxisFactory, RoadmapFactory

PUBLIC = "public"  # read:public; any session, anonymous too
EXPERTS = "experts"  # read:experts; officials and coordinators by session
SCOPED = "scoped"  # read:experts; officials, coordinators and members by session (their own rows)
TOKEN_ONLY = "token"  # a write scope or webhooks: partner tokens only

ENDPOINTS = [
    ("GET", "/api/v1/regions/", Scope.READ_PUBLIC, PUBLIC),
    ("GET", "/api/v1/regions/05/", Scope.READ_PUBLIC, PUBLIC),
    ("GET", "/api/v1/provinces/", Scope.READ_PUBLIC, PUBLIC),
    ("GET", "/api/v1/communes/", Scope.READ_PUBLIC, PUBLIC),
    ("GET", "/api/v1/sectors/", Scope.READ_PUBLIC, PUBLIC),
    ("GET", "/api/v1/skills/", Scope.READ_PUBLIC, PUBLIC),
    ("GET", "/api/v1/roadmaps/", Scope.READ_PUBLIC, PUBLIC),
    ("GET", "/api/v1/needs/", Scope.READ_PUBLIC, PUBLIC),
    ("GET", "/api/v1/stakeholders/", Scope.READ_PUBLIC, PUBLIC),
    ("GET", "/api/v1/meetings/", Scope.READ_PUBLIC, PUBLIC),
    ("GET", "/api/v1/partnerships/", Scope.READ_PUBLIC, PUBLIC),
    ("GET", "/api/v1/studies/", Scope.READ_PUBLIC, PUBLIC),
    ("GET", "/api/v1/opportunities/", Scope.READ_PUBLIC, PUBLIC),
    ("GET", "/api/v1/open-data/", Scope.READ_PUBLIC, PUBLIC),
    ("GET", "/api/v1/experts/", Scope.READ_EXPERTS, EXPERTS),
    ("GET", "/api/v1/matches/", Scope.READ_EXPERTS, SCOPED),
    ("GET", "/api/v1/projects/", Scope.READ_EXPERTS, SCOPED),
    ("GET", "/api/v1/need-proposals/", Scope.WRITE_NEEDS, TOKEN_ONLY),
    ("POST", "/api/v1/need-proposals/", Scope.WRITE_NEEDS, TOKEN_ONLY),
    ("GET", "/api/v1/engagements/", Scope.WRITE_OUTCOMES, TOKEN_ONLY),
    ("GET", "/api/v1/webhooks/", Scope.WEBHOOKS, TOKEN_ONLY),
    ("GET", "/api/v1/webhook-deliveries/", Scope.WEBHOOKS, TOKEN_ONLY),
]
SESSION_PERSONAS = ["member", "official_a", "official_b", "coordinator"]
PERSONAS = ["anonymous", *SESSION_PERSONAS, *[f"token:{s}" for s in Scope.values], "token:revoked", "token:expired"]

SECRETS = ("Zineb Secretname", "zineb.secret@example.org", "+32 470 99 99 99", "Anvers-Secret", "Née à Tinghir")


def expected_status(persona: str, method: str, scope: str, policy: str) -> int:
    ok = 201 if method == "POST" else 200
    if persona in ("token:revoked", "token:expired"):
        return 401
    if persona.startswith("token:"):
        return ok if persona.removeprefix("token:") == scope else 403
    if persona == "anonymous":
        return 200 if policy == PUBLIC else 401
    if policy == PUBLIC:
        return 200
    if policy == EXPERTS:
        return 200 if persona != "member" else 403
    if policy == SCOPED:
        return 200
    return 403


@pytest.fixture
def world(partner_user, region_a, official_a, taxonomy):
    """A need region A runs from partner_user's proposal; a consenting and a non-consenting
    expert, both matched and engaged on it; a project shared with the partner."""
    roadmap = RoadmapFactory(region=region_a, version=1, created_by=official_a)
    need = NeedFactory(axis=RoadmapAxisFactory(roadmap=roadmap), owner=official_a)
    NeedSkillFactory(need=need)
    NeedProposal.objects.create(
        partner=partner_user.partner, region=region_a, title=need.title, description="…", format=need.format,
        work_mode=need.work_mode, status=ProposalStatus.ACCEPTED, need=need,
    )  # fmt: skip
    consenting = ConsentingExpertFactory(origin_region=region_a)
    private = ConsentingExpertFactory(
        origin_region=region_a,
        display_name=SECRETS[0],
        user=UserFactory(email=SECRETS[1], full_name=SECRETS[0]),
        phone=SECRETS[2],
        city=SECRETS[3],
        bio=SECRETS[4],
    )
    ExpertProfile.objects.filter(pk=private.pk).update(consent_partner_sharing=False)
    for profile in (consenting, private):
        Engagement.objects.create(match=Match.objects.create(need=need, profile=profile, score=0.8, status="accepted"))
    project = ProjectFactory(investor=private.user)
    ProjectPartner.objects.create(project=project, partner=partner_user.partner, consented_at=timezone.now())
    OpportunityFactory()
    return {"need": need, "private": private}


@pytest.fixture
def clients(world, make_token, client_for, request):
    def for_persona(persona: str):
        if persona == "anonymous":
            return APIClient()
        if persona in SESSION_PERSONAS:
            return client_for(request.getfixturevalue(persona))
        kind = persona.removeprefix("token:")
        if kind == "revoked":
            _token, plaintext = make_token(list(Scope.values), revoked=True)
        elif kind == "expired":
            _token, plaintext = make_token(list(Scope.values), expired=True)
        else:
            _token, plaintext = make_token([kind])
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
        return client

    return for_persona


def _proposal_body():
    skill = Skill.objects.filter(concept_type="skill").order_by("pk").first()
    return {
        "region": "05",
        "title": "Formation",
        "description": "…",
        "format": "training",
        "work_mode": "remote",
        "skills": [{"skill_id": skill.pk}],
    }


def _call(client, method, url):
    if method == "POST":
        return client.post(url, _proposal_body(), format="json")
    return client.get(url)


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(persona, clients):
    client = clients(persona)
    failures = []
    for method, url, scope, policy in ENDPOINTS:
        before = NeedProposal.objects.count()
        response = _call(client, method, url)
        expected = expected_status(persona, method, scope, policy)
        if response.status_code != expected:
            failures.append((method, url, response.status_code, expected))
        if response.status_code >= 400:
            assert set(response.json()) == {"error"}, (method, url)
            assert NeedProposal.objects.count() == before, (method, url)  # a refused call changes nothing
    assert failures == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_personal_data_of_a_non_consenting_expert(persona, clients, world):
    client = clients(persona)
    private = world["private"]
    bodies = []
    for method, url, _scope, _policy in ENDPOINTS:
        if method == "GET":
            bodies.append(client.get(url, {"limit": 200}).content.decode())
    bodies.append(client.get(f"/api/v1/experts/{expert_public_id(private.pk)}/").content.decode())
    text = "\n".join(bodies)

    for secret in SECRETS:
        assert secret not in text, (persona, secret)
    if persona.startswith("token:"):
        # Not even the pseudonym of someone who did not agree to partner sharing.
        assert expert_public_id(private.pk) not in text
