"""The webhook permission matrix, beside the API's (test_permission_matrix.py): every event ×
every token persona → delivered or not, and what is delivered equals what the API answers
that token for the event's object at that moment.

Events are made by the apps' real services (need_transition, match_respond, engagement_update,
project_transition) and delivered to a real HTTP receiver. Each token persona of the API
matrix subscribes to every event, its token given the `webhooks` scope too (without it
nothing is ever delivered: test_webhooks.py); the subscriptions are written directly, as the
API would refuse the events beyond a token's scopes — delivery must not rely on that.
Session personas and the anonymous visitor have no webhooks.

The world holds, for each event, an object the partner may read and objects it may not:
a need of region B (read:public, but not for a token restricted to region A… here B), a
match and an engagement of an expert who refused partner sharing, a match and an engagement
on a need the partner does not run, a project not attached to the partner, a closed need.
"""

from collections import Counter

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from standardwebhooks import Webhook

from diaspora.models import ExpertProfile
from matching.models import Engagement, Match
from matching.services import engagement_update, match_respond
from partners.enums import ProposalStatus, Scope
from partners.models import NeedProposal, WebhookDelivery, WebhookSubscription
from portal.api.pseudonyms import pseudonyms_for
from projects.models import ProjectPartner
from projects.services import project_transition
from regions.services import need_transition
from tests.api.test_permission_matrix import TOKEN_PERSONAS
from tests.diaspora.factories import ConsentingExpertFactory
from tests.factories import UserFactory
from tests.projects.factories import ProjectFactory
from tests.regions.factories import NeedFactory, NeedSkillFactory, RoadmapAxisFactory, RoadmapFactory

pytestmark = pytest.mark.django_db

PERSONAS = [*TOKEN_PERSONAS, "token:all"]
OBJECT_PATHS = {
    "need.published": "/api/v1/needs/{}/",
    "need.closed": "/api/v1/needs/{}/",
    "match.accepted": "/api/v1/matches/{}/",
    "engagement.completed": "/api/v1/engagements/{}/",
    "project.status_changed": "/api/v1/projects/{}/",
}

PUBLIC_NEEDS = {
    ("need.published", "need_run"),
    ("need.published", "need_other"),
    ("need.published", "need_b"),
    ("need.closed", "need_run"),  # fulfilled: still public
}
EXPERT_DATA = {("match.accepted", "match_shared"), ("project.status_changed", "project_attached")}
OUTCOMES = {("engagement.completed", "engagement_shared")}
# Who receives what. Never delivered to anyone: the match and engagement of the expert who
# refused partner sharing, those on the need the partner does not run, the project not
# attached to the partner, the closing of need_other (a closed need leaves the API).
EXPECTED = {
    "token:read:public": PUBLIC_NEEDS,
    "token:read:experts": EXPERT_DATA,
    "token:write:needs": set(),
    "token:write:outcomes": OUTCOMES,
    "token:webhooks": set(),
    "token:region_b": {("need.published", "need_b")},
    "token:revoked": set(),
    "token:expired": set(),
    "token:all": PUBLIC_NEEDS | EXPERT_DATA | OUTCOMES,
}
EMITTED = {
    ("need.published", "need_run"),
    ("need.published", "need_other"),
    ("need.published", "need_b"),
    ("match.accepted", "match_shared"),
    ("match.accepted", "match_private"),
    ("match.accepted", "match_other"),
    ("engagement.completed", "engagement_shared"),
    ("engagement.completed", "engagement_private"),
    ("engagement.completed", "engagement_other"),
    ("project.status_changed", "project_attached"),
    ("project.status_changed", "project_unattached"),
    ("need.closed", "need_run"),
    ("need.closed", "need_other"),
}


@pytest.fixture
def personas(make_token, partner_user, receiver, region_b):
    """persona -> (subscription, API client with the same token)."""
    result = {}
    for number, persona in enumerate(PERSONAS):
        kind = persona.removeprefix("token:")
        options = {}
        scopes = [kind, Scope.WEBHOOKS] if kind in Scope.values else list(Scope.values)
        if kind in ("revoked", "expired"):
            options[kind] = True
        if kind == "region_b":
            options["region"] = region_b
        token, plaintext = make_token(scopes, **options)
        subscription = WebhookSubscription.objects.create(
            partner=partner_user.partner, token=token, url=f"{receiver.url}/{number}",
            events=list(OBJECT_PATHS), secret="whsec_" + "QUJD" * 11,
        )  # fmt: skip
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
        result[persona] = (subscription, client)
    return result


def _need(axis, owner, *, run_by=None):
    region = axis.roadmap.region
    need = NeedFactory(axis=axis, owner=owner, status="draft", published_at=None)
    NeedSkillFactory(need=need)
    if run_by is not None:
        NeedProposal.objects.create(
            partner=run_by, region=region, title=need.title, description="…", format=need.format,
            work_mode=need.work_mode, status=ProposalStatus.ACCEPTED, need=need,
        )  # fmt: skip
    return need


@pytest.fixture
def world(partner_user, region_a, region_b, official_a, official_b, taxonomy):
    partner = partner_user.partner
    axis_a = RoadmapAxisFactory(roadmap=RoadmapFactory(region=region_a, created_by=official_a))
    need_run = _need(axis_a, official_a, run_by=partner)
    need_other = _need(axis_a, official_a)
    shared = ConsentingExpertFactory(origin_region=region_a)
    private = ConsentingExpertFactory(origin_region=region_a)
    ExpertProfile.objects.filter(pk=private.pk).update(consent_partner_sharing=False)
    project_attached = ProjectFactory(investor=UserFactory(role="member"), region=region_a)
    ProjectPartner.objects.create(project=project_attached, partner=partner, consented_at=timezone.now())
    return {
        "need_run": need_run,
        "need_other": need_other,
        "need_b": _need(RoadmapAxisFactory(roadmap=RoadmapFactory(region=region_b, created_by=official_b)), official_b),
        "match_shared": Match.objects.create(need=need_run, profile=shared, score=0.8, status="invited"),
        "match_private": Match.objects.create(need=need_run, profile=private, score=0.7, status="invited"),
        "match_other": Match.objects.create(need=need_other, profile=shared, score=0.6, status="invited"),
        "project_attached": project_attached,
        "project_unattached": ProjectFactory(investor=UserFactory(role="member"), region=region_a),
        "official_a": official_a,
        "official_b": official_b,
    }


def _steps(world):
    """The events, made through the apps' services, in order."""
    official_a = world["official_a"]
    yield lambda: need_transition(need=world["need_run"], to="open", by=official_a)
    yield lambda: need_transition(need=world["need_other"], to="open", by=official_a)
    yield lambda: need_transition(need=world["need_b"], to="open", by=world["official_b"])
    for name in ("match_shared", "match_private", "match_other"):
        match = world[name]
        yield lambda match=match: match_respond(match=match, by=match.profile.user, accept=True)
    for name in ("shared", "private", "other"):
        match = world[f"match_{name}"]
        yield lambda match=match: engagement_update(
            engagement=Engagement.objects.get(match=match), by=official_a, status="completed"
        )
    for name in ("project_attached", "project_unattached"):
        project = world[name]
        yield lambda project=project: project_transition(project=project, to="under_review", by=official_a)
    yield lambda: need_transition(need=world["need_run"], to="in_progress", by=official_a)
    yield lambda: need_transition(need=world["need_run"], to="fulfilled", by=official_a)
    yield lambda: need_transition(need=world["need_other"], to="closed", by=official_a)


def _object_names(world) -> dict[tuple[str, int], str]:
    names = {}
    for name, value in world.items():
        if name.startswith(("need_", "match_", "project_")):
            names[(name.split("_")[0], value.pk)] = name
    for match_name in ("match_shared", "match_private", "match_other"):
        engagement = Engagement.objects.filter(match=world[match_name]).first()
        if engagement is not None:
            names[("engagement", engagement.pk)] = "engagement_" + match_name.removeprefix("match_")
    return names


def test_webhook_matrix(world, personas, receiver, django_capture_on_commit_callbacks):
    by_path = {f"/hook/{number}": persona for number, persona in enumerate(PERSONAS)}
    delivered = {persona: set() for persona in PERSONAS}
    mismatches = []
    for step in _steps(world):
        seen = len(receiver.requests)
        with django_capture_on_commit_callbacks(execute=True):
            step()
        names = _object_names(world)
        for request in receiver.requests[seen:]:
            persona = by_path[request["path"]]
            subscription, client = personas[persona]
            body = Webhook(subscription.secret).verify(request["body"], request["headers"])
            kind = body["type"].split(".")[0]
            delivered[persona].add((body["type"], names[(kind, body["data"]["id"])]))
            # At this moment, the same token reads exactly the same through the API.
            response = client.get(OBJECT_PATHS[body["type"]].format(body["data"]["id"]))
            if response.status_code != 200 or response.json() != body["data"]:
                mismatches.append((persona, body["type"], response.status_code))

    assert mismatches == []
    assert delivered == EXPECTED
    # Every event was emitted: a missing row above is a refusal, not a silent emitter.
    assert WebhookDelivery.objects.filter(subscription=personas["token:all"][0]).count() == len(EXPECTED["token:all"])
    assert all(pair in EMITTED for pairs in EXPECTED.values() for pair in pairs)


def test_webhook_matrix_no_undelivered_object_is_readable(world, personas, django_capture_on_commit_callbacks):
    """The other half: for every event emitted and every persona, an object that was not
    delivered is one the API refuses to that token."""
    for step in _steps(world):
        with django_capture_on_commit_callbacks(execute=True):
            step()
    names = {name: pk for (kind, pk), name in _object_names(world).items()}
    # Read after the last step: need_run is fulfilled (still public), need_other closed.
    for persona in PERSONAS:
        _subscription, client = personas[persona]
        for event, name in sorted(EMITTED - EXPECTED[persona]):
            if (event, name) in {("need.published", "need_other")}:
                continue  # published then closed: readable at its event, not any more
            status = client.get(OBJECT_PATHS[event].format(names[name])).status_code
            assert status != 200, (persona, event, name)


def test_no_delivery_leaks_an_object_the_api_hides(
    world, personas, receiver, partner_user, django_capture_on_commit_callbacks
):
    """Issue 13's three leaks, each through its real emitter: a project not attached to the
    partner, a match of an expert who refused partner sharing (and one on a need the partner
    does not run), an engagement of a need the partner does not run — none reaches even a
    subscriber whose token holds every scope, and the private expert's pseudonym is never sent."""
    for step in _steps(world):
        with django_capture_on_commit_callbacks(execute=True):
            step()

    events = WebhookDelivery.objects.filter(subscription=personas["token:all"][0]).values_list("event", flat=True)
    assert Counter(events) == {
        "need.published": 3,
        "need.closed": 1,
        "match.accepted": 1,
        "engagement.completed": 1,
        "project.status_changed": 1,
    }
    private_pk = world["match_private"].profile_id
    pseudonyms = {pseudonyms_for(partner).public_id(private_pk) for partner in (None, partner_user.partner)}
    assert receiver.requests
    assert not any(p in request["body"].decode() for p in pseudonyms for request in receiver.requests)
