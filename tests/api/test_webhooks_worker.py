"""Integration: webhook deliveries made by a real Celery worker against Redis, queued through
the outbox by the apps' real services, received by a real HTTP receiver."""

import time

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from standardwebhooks import Webhook

from diaspora.models import ExpertProfile
from matching.models import Match
from matching.services import match_respond
from partners.enums import DeliveryStatus, ProposalStatus, Scope
from partners.models import NeedProposal, WebhookDelivery
from partners.webhooks import webhook_subscription_create
from projects.models import ProjectPartner
from projects.services import project_transition
from tests.diaspora.factories import ConsentingExpertFactory
from tests.factories import UserFactory
from tests.projects.factories import ProjectFactory
from tests.regions.factories import NeedFactory
from tests.workers import start_worker, stop_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(real_broker):
    # The worker's own settings must let it post to the receiver on 127.0.0.1.
    process = start_worker(extra_env={"JUSUR_WEBHOOKS_ALLOW_PRIVATE": "1"})
    yield process
    stop_worker(process)


def test_worker_delivers_only_what_the_api_shows(
    worker, receiver, make_token, partner_user, region_a, official_a, taxonomy
):
    token, plaintext = make_token([Scope.READ_EXPERTS, Scope.WEBHOOKS])
    subscription = webhook_subscription_create(
        token=token, url=receiver.url, events=["match.accepted", "project.status_changed"]
    )
    # No NeedSkillFactory here: its cached skill ids are stale once a transactional test has
    # flushed and reloaded the taxonomy.
    need = NeedFactory(owner=official_a)
    NeedProposal.objects.create(
        partner=partner_user.partner, region=region_a, title=need.title, description="…", format=need.format,
        work_mode=need.work_mode, status=ProposalStatus.ACCEPTED, need=need,
    )  # fmt: skip
    shared, private = ConsentingExpertFactory(), ConsentingExpertFactory()
    ExpertProfile.objects.filter(pk=private.pk).update(consent_partner_sharing=False)
    matches = [Match.objects.create(need=need, profile=p, score=0.8, status="invited") for p in (shared, private)]
    attached, unattached = ProjectFactory(investor=UserFactory(role="member")), ProjectFactory()
    ProjectPartner.objects.create(project=attached, partner=partner_user.partner, consented_at=timezone.now())

    # Each service commits; the outbox publishes to Redis; the worker delivers.
    for match in matches:
        match_respond(match=match, by=match.profile.user, accept=True)
    for project in (attached, unattached):
        project_transition(project=project, to="under_review", by=official_a)

    assert wait_for(lambda: len(receiver.requests) >= 2)
    time.sleep(2)  # leave time for anything that should not come
    assert list(WebhookDelivery.objects.values_list("event", "object_id", "status").order_by("pk")) == [
        ("match.accepted", matches[0].pk, DeliveryStatus.SUCCEEDED),
        ("project.status_changed", attached.pk, DeliveryStatus.SUCCEEDED),
    ]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    bodies = sorted(
        (Webhook(subscription.secret).verify(r["body"], r["headers"]) for r in receiver.requests),
        key=lambda body: body["type"],
    )
    assert [body["type"] for body in bodies] == ["match.accepted", "project.status_changed"]
    assert bodies[0]["data"] == client.get(f"/api/v1/matches/{matches[0].pk}/").json()
    assert bodies[1]["data"] == client.get(f"/api/v1/projects/{attached.pk}/").json()
