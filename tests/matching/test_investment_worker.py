"""Integration: investment suggestions kept current by a real Celery worker through the outbox."""

import pytest

from diaspora.services import consent_set
from matching.models import InvestmentMatch
from portal.models import OutboxMessage
from projects.enums import OpportunityStatus
from projects.services import opportunity_publish
from tests.diaspora.factories import ConsentingExpertFactory
from tests.projects.factories import OpportunityFactory, ProjectFactory
from tests.workers import start_worker, stop_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(real_broker):
    process = start_worker()
    yield process
    stop_worker(process)


def test_published_opportunity_then_consent_withdrawn(worker, member, official_a, taxonomy, region_a):
    profile = ConsentingExpertFactory(user=member, origin_region=region_a)
    project = ProjectFactory(investor=member)
    draft = OpportunityFactory(status=OpportunityStatus.DRAFT, published_at=None)

    opportunity_publish(opportunity=draft, by=official_a)  # commits, the outbox publishes

    assert wait_for(lambda: InvestmentMatch.objects.filter(opportunity=draft, project=project).exists())
    consent_set(profile=profile, choices={"matching": False})  # expert_changed, then the re-match
    assert wait_for(lambda: not InvestmentMatch.objects.exists())
    assert wait_for(lambda: OutboxMessage.objects.filter(done_at__isnull=True).count() == 0)
