"""Every operation of the schema × every persona → the expected status; a refused call changes
nothing; and no personal data of an expert who did not consent to partner sharing is reachable
anywhere on the API."""

import datetime as dt
import re
import uuid
from pathlib import Path

import pytest
import yaml
from django.utils import timezone
from rest_framework.test import APIClient

from dashboards.models import OpenDataSnapshot
from diaspora.models import ExpertProfile
from matching.models import Engagement, Match
from partners.enums import ProposalStatus, Scope, WebhookEvent
from partners.models import EngagementOutcome, NeedProposal, WebhookDelivery, WebhookSubscription
from portal.api.pseudonyms import pseudonyms_for
from projects.models import ProjectPartner
from regions.models import Commune, Partnership, Study
from taxonomy.models import Skill
from tests.diaspora.factories import ConsentingExpertFactory
from tests.factories import UserFactory
from tests.projects.factories import OpportunityFactory, ProjectFactory
from tests.regions.factories import (
    MeetingFactory,
    NeedFactory,
    NeedSkillFactory,
    RoadmapAxisFactory,
    RoadmapFactory,
    StakeholderFactory,
)

PUBLIC = "public"  # read:public; any session, anonymous too
EXPERTS = "experts"  # read:experts; officials and coordinators by session
SCOPED = "scoped"  # read:experts; officials, coordinators and members by session (their own rows)
TOKEN_ONLY = "token"  # a write scope or webhooks: partner tokens only

# A detail row of region A that is not the persona's own: a member or an official of region B
# is told it does not exist (404), not that it is forbidden.
NOT_THEIRS = {"member": 404, "official_b": 404}
# A token restricted to region B holds every scope: it reads reference data, its own
# organisation's rows, and experts (who belong to no region: origin is a filter, not a limit),
# but region A's rows do not exist for it, and it cannot propose a need to region A.
OTHER_REGION = {"token:region_b": 404}
# The subscription (need.published, made by an unrestricted token) is managed only by tokens
# of its region that hold its events' scope: not by a webhooks-only token (nor can that one
# subscribe to need.published: 400), nor by a token restricted to region B.
OTHER_SUBSCRIPTION = {"token:webhooks": 404, "token:region_b": 404}

# (method, path with {world key}, scope, policy, statuses that differ from the policy's).
# The DELETE comes last: the rows it removes are read by the operations before it.
ENDPOINTS = [
    ("GET", "/api/v1/regions/", Scope.READ_PUBLIC, PUBLIC, {}),
    ("GET", "/api/v1/regions/{region}/", Scope.READ_PUBLIC, PUBLIC, {}),
    ("GET", "/api/v1/provinces/", Scope.READ_PUBLIC, PUBLIC, {}),
    ("GET", "/api/v1/provinces/{province}/", Scope.READ_PUBLIC, PUBLIC, {}),
    ("GET", "/api/v1/communes/", Scope.READ_PUBLIC, PUBLIC, {}),
    ("GET", "/api/v1/communes/{commune}/", Scope.READ_PUBLIC, PUBLIC, {}),
    ("GET", "/api/v1/sectors/", Scope.READ_PUBLIC, PUBLIC, {}),
    ("GET", "/api/v1/sectors/{sector}/", Scope.READ_PUBLIC, PUBLIC, {}),
    ("GET", "/api/v1/skills/", Scope.READ_PUBLIC, PUBLIC, {}),
    ("GET", "/api/v1/skills/{skill}/", Scope.READ_PUBLIC, PUBLIC, {}),
    ("GET", "/api/v1/roadmaps/", Scope.READ_PUBLIC, PUBLIC, {}),
    ("GET", "/api/v1/roadmaps/{roadmap}/", Scope.READ_PUBLIC, PUBLIC, OTHER_REGION),
    ("GET", "/api/v1/needs/", Scope.READ_PUBLIC, PUBLIC, {}),
    ("GET", "/api/v1/needs/{need}/", Scope.READ_PUBLIC, PUBLIC, OTHER_REGION),
    ("GET", "/api/v1/stakeholders/", Scope.READ_PUBLIC, PUBLIC, {}),
    ("GET", "/api/v1/stakeholders/{stakeholder}/", Scope.READ_PUBLIC, PUBLIC, OTHER_REGION),
    ("GET", "/api/v1/meetings/", Scope.READ_PUBLIC, PUBLIC, {}),
    ("GET", "/api/v1/meetings/{meeting}/", Scope.READ_PUBLIC, PUBLIC, OTHER_REGION),
    ("GET", "/api/v1/partnerships/", Scope.READ_PUBLIC, PUBLIC, {}),
    ("GET", "/api/v1/partnerships/{partnership}/", Scope.READ_PUBLIC, PUBLIC, OTHER_REGION),
    ("GET", "/api/v1/studies/", Scope.READ_PUBLIC, PUBLIC, {}),
    ("GET", "/api/v1/studies/{study}/", Scope.READ_PUBLIC, PUBLIC, OTHER_REGION),
    ("GET", "/api/v1/opportunities/", Scope.READ_PUBLIC, PUBLIC, {}),
    ("GET", "/api/v1/opportunities/{opportunity}/", Scope.READ_PUBLIC, PUBLIC, OTHER_REGION),
    ("GET", "/api/v1/open-data/", Scope.READ_PUBLIC, PUBLIC, {}),
    ("GET", "/api/v1/open-data/{table}/", Scope.READ_PUBLIC, PUBLIC, {}),
    ("GET", "/api/v1/experts/", Scope.READ_EXPERTS, EXPERTS, {}),
    ("GET", "/api/v1/experts/{expert}/", Scope.READ_EXPERTS, EXPERTS, {}),
    ("GET", "/api/v1/matches/", Scope.READ_EXPERTS, SCOPED, {}),
    ("GET", "/api/v1/matches/{match}/", Scope.READ_EXPERTS, SCOPED, NOT_THEIRS | OTHER_REGION),
    ("GET", "/api/v1/projects/", Scope.READ_EXPERTS, SCOPED, {}),
    ("GET", "/api/v1/projects/{project}/", Scope.READ_EXPERTS, SCOPED, NOT_THEIRS | OTHER_REGION),
    ("GET", "/api/v1/need-proposals/", Scope.WRITE_NEEDS, TOKEN_ONLY, {}),
    ("POST", "/api/v1/need-proposals/", Scope.WRITE_NEEDS, TOKEN_ONLY, {"token:region_b": 403}),
    ("GET", "/api/v1/need-proposals/{proposal}/", Scope.WRITE_NEEDS, TOKEN_ONLY, {}),
    ("GET", "/api/v1/engagements/", Scope.WRITE_OUTCOMES, TOKEN_ONLY, {}),
    ("GET", "/api/v1/engagements/{engagement}/", Scope.WRITE_OUTCOMES, TOKEN_ONLY, OTHER_REGION),
    ("POST", "/api/v1/engagements/{engagement}/outcomes/", Scope.WRITE_OUTCOMES, TOKEN_ONLY, OTHER_REGION),
    ("GET", "/api/v1/webhooks/", Scope.WEBHOOKS, TOKEN_ONLY, {}),
    ("POST", "/api/v1/webhooks/", Scope.WEBHOOKS, TOKEN_ONLY, {"token:webhooks": 400}),
    ("GET", "/api/v1/webhooks/{subscription}/", Scope.WEBHOOKS, TOKEN_ONLY, OTHER_SUBSCRIPTION),
    ("GET", "/api/v1/webhook-deliveries/", Scope.WEBHOOKS, TOKEN_ONLY, {}),
    ("GET", "/api/v1/webhook-deliveries/{delivery}/", Scope.WEBHOOKS, TOKEN_ONLY, OTHER_SUBSCRIPTION),
    ("DELETE", "/api/v1/webhooks/{subscription}/", Scope.WEBHOOKS, TOKEN_ONLY, OTHER_SUBSCRIPTION),
]
SESSION_PERSONAS = ["member", "official_a", "official_b", "coordinator"]
TOKEN_PERSONAS = [*[f"token:{s}" for s in Scope.values], "token:region_b", "token:revoked", "token:expired"]
PERSONAS = ["anonymous", *SESSION_PERSONAS, *TOKEN_PERSONAS]
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"

SECRETS = ("Zineb Secretname", "zineb.secret@example.org", "+32 470 99 99 99", "Anvers-Secret", "Née à Tinghir")
SUCCESS = {"GET": 200, "POST": 201, "DELETE": 204}


def expected_status(persona: str, method: str, scope: str, policy: str, overrides: dict) -> int:
    ok = SUCCESS[method]
    if persona in ("token:revoked", "token:expired"):
        return 401
    if persona in overrides:
        return overrides[persona]
    if persona == "token:region_b":
        return ok
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


def test_matrix_covers_every_operation_of_the_schema():
    schema = yaml.safe_load(SCHEMA_FILE.read_text())
    documented = {
        (method.upper(), re.sub(r"\{\w+\}", "{}", path)) for path, item in schema["paths"].items() for method in item
    }
    tested = [(method, re.sub(r"\{\w+\}", "{}", path)) for method, path, *_ in ENDPOINTS]

    assert len(tested) == len(set(tested))
    assert set(tested) == documented


@pytest.fixture
def world(partner_user, region_a, official_a, taxonomy, make_token, settings):
    """A need region A runs from partner_user's proposal; a consenting and a non-consenting
    expert, both matched and engaged on it; a project shared with the partner; one row of each
    other resource; a webhook subscription with a delivery. Returns what the paths name."""
    settings.JUSUR_WEBHOOKS_ALLOW_PRIVATE = True  # the POST /webhooks/ body names no real host
    roadmap = RoadmapFactory(region=region_a, version=1, created_by=official_a)
    axis = RoadmapAxisFactory(roadmap=roadmap)
    need = NeedFactory(axis=axis, owner=official_a)
    NeedSkillFactory(need=need)
    proposal = NeedProposal.objects.create(
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
    engagements = {
        profile: Engagement.objects.create(
            match=Match.objects.create(need=need, profile=profile, score=0.8, status="accepted")
        )
        for profile in (consenting, private)
    }
    project = ProjectFactory(investor=private.user, region=region_a)
    ProjectPartner.objects.create(project=project, partner=partner_user.partner, consented_at=timezone.now())
    meeting = MeetingFactory(region=region_a)
    partnership = Partnership.objects.create(
        region=region_a, title="Partenariat", objective="Formation", start_date=dt.date(2025, 1, 1)
    )
    study = Study.objects.create(title="Étude", authors="A. Auteur", year=2024)
    study.regions.add(region_a)
    snapshot = OpenDataSnapshot.objects.create(
        table="funnel-by-region", columns=["region"], rows=[{"region": "05"}], refreshed_at=timezone.now()
    )
    token, _plaintext = make_token([Scope.READ_PUBLIC, Scope.WEBHOOKS])
    subscription = WebhookSubscription.objects.create(
        partner=partner_user.partner, token=token, url="https://hooks.example.org/jusur",
        events=[WebhookEvent.NEED_PUBLISHED], secret="whsec_dGVzdA==",
    )  # fmt: skip
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event=WebhookEvent.NEED_PUBLISHED, event_id=uuid.uuid4(), object_id=need.pk,
    )  # fmt: skip
    commune = Commune.objects.filter(region=region_a).order_by("code").first()
    return {
        "private": private,
        "private_engagement": engagements[private],
        "region": region_a.code,
        "province": commune.province.code,
        "commune": commune.code,
        "sector": "A",
        "skill": Skill.objects.order_by("pk").values_list("pk", flat=True).first(),
        "roadmap": roadmap.pk,
        "need": need.pk,
        "stakeholder": StakeholderFactory(region=region_a).pk,
        "meeting": meeting.pk,
        "partnership": partnership.pk,
        "study": study.pk,
        "opportunity": OpportunityFactory(region=region_a).pk,
        "table": snapshot.table,
        "expert": pseudonyms_for(partner_user.partner).public_id(consenting.pk),
        "portal_expert": pseudonyms_for(None).public_id(consenting.pk),
        "match": engagements[consenting].match_id,
        "project": project.pk,
        "proposal": proposal.pk,
        "engagement": engagements[consenting].pk,
        "subscription": subscription.pk,
        "delivery": delivery.pk,
    }


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
        elif kind == "region_b":
            _token, plaintext = make_token(list(Scope.values), region=request.getfixturevalue("region_b"))
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


BODIES = {
    "/api/v1/need-proposals/": _proposal_body,
    "/api/v1/engagements/{engagement}/outcomes/": lambda: {"status": "completed", "beneficiaries": 12},
    "/api/v1/webhooks/": lambda: {"url": "https://hooks.example.org/new", "events": ["need.published"]},
}


def _call(client, method, path, world):
    url = path.format(**world)
    if not isinstance(client, APIClient):
        url = path.format(**{**world, "expert": world["portal_expert"]})  # a session: the portal's ids
    if method == "POST":
        return client.post(url, BODIES[path](), format="json")
    if method == "DELETE":
        return client.delete(url)
    return client.get(url)


def _writes() -> tuple[int, ...]:
    return (
        NeedProposal.objects.count(),
        EngagementOutcome.objects.count(),
        WebhookSubscription.objects.count(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(persona, clients, world):
    client = clients(persona)
    failures = []
    for method, path, scope, policy, overrides in ENDPOINTS:
        before = _writes()
        response = _call(client, method, path, world)
        expected = expected_status(persona, method, scope, policy, overrides)
        if response.status_code != expected:
            failures.append((method, path, response.status_code, expected))
        if response.status_code >= 400:
            assert set(response.json()) == {"error"}, (method, path)
            assert _writes() == before, (method, path)  # a refused call changes nothing
    assert failures == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_personal_data_of_a_non_consenting_expert(persona, clients, world, partner_user):
    client = clients(persona)
    private = world["private"]
    engagement = world["private_engagement"]
    bodies = [
        client.get(path.format(**world), {"limit": 200}).content.decode()
        for method, path, *_ in ENDPOINTS
        if method == "GET"
    ]
    for url in (
        f"/api/v1/experts/{pseudonyms_for(partner_user.partner).public_id(private.pk)}/",
        f"/api/v1/experts/{pseudonyms_for(None).public_id(private.pk)}/",
        f"/api/v1/matches/{engagement.match_id}/",
        f"/api/v1/engagements/{engagement.pk}/",
    ):
        bodies.append(client.get(url).content.decode())
    text = "\n".join(bodies)

    for secret in SECRETS:
        assert secret not in text, (persona, secret)
    if persona.startswith("token:"):
        # Not even the pseudonym of someone who did not agree to partner sharing.
        assert pseudonyms_for(partner_user.partner).public_id(private.pk) not in text
