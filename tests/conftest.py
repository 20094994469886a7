"""Shared fixtures: reference data, and the personas every permission test uses."""

import pytest
import redis
from django.conf import settings
from django.test import Client
from django.utils import translation

from portal.enums import Role
from regions.models import Region
from regions.services import territories_load
from taxonomy.models import Skill
from taxonomy.services import starter_taxonomy_load
from tests.auth import force_login_verified
from tests.factories import PartnerOrganisationFactory, UserFactory
from tests.workers import QUEUE, start_worker, stop_worker

PILOT_A = "05"  # Béni Mellal-Khénifra: "this region" in persona tests
PILOT_B = "02"  # Oriental: "another region"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load territories and the starter taxonomy once; every test's transaction rolls back to this."""
    with django_db_blocker.unblock():
        territories_load()
        starter_taxonomy_load()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the project's default language. A request activates its language in
    the thread and Django leaves it there, so `reverse()` in the next test would otherwise build
    addresses in whatever language the previous test's last request used (since the API answers
    in English without Accept-Language, that is English after any API call)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def erasure_log_file(settings, tmp_path):
    """Each test its own erasure log file (settings.JUSUR_ERASURE_LOG), never the project's."""
    settings.JUSUR_ERASURE_LOG = tmp_path / "erasure-log.jsonl"
    return settings.JUSUR_ERASURE_LOG


@pytest.fixture
def latest_schema_after():
    """For a migration test that moves the schema back: later tests expect every app at its
    latest migration again."""
    yield
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def territories(db):
    """The 12 regions, provinces and communes (reloaded if a transactional test flushed them)."""
    if not Region.objects.exists():
        territories_load()


@pytest.fixture
def taxonomy(db):
    """Sectors and the starter skills in ar/fr/en."""
    if not Skill.objects.exists():
        starter_taxonomy_load()


@pytest.fixture
def region_a(territories):
    return Region.objects.get(code=PILOT_A)


@pytest.fixture
def region_b(territories):
    return Region.objects.get(code=PILOT_B)


@pytest.fixture
def member(db):
    return UserFactory(role=Role.MEMBER)


@pytest.fixture
def official_a(region_a):
    return UserFactory(role=Role.OFFICIAL, regions=[region_a])


@pytest.fixture
def official_b(region_b):
    return UserFactory(role=Role.OFFICIAL, regions=[region_b])


@pytest.fixture
def coordinator(db):
    return UserFactory(role=Role.COORDINATOR)


@pytest.fixture
def partner_user(db):
    return UserFactory(role=Role.PARTNER, partner=PartnerOrganisationFactory())


def _client_for(user) -> Client:
    return force_login_verified(Client(), user)


@pytest.fixture
def client_for():
    """`client_for(user)`: a test client signed in as `user` (second factor given, if owed)."""
    return _client_for


@pytest.fixture
def real_broker():
    """Publish to Redis for real (unit tests run tasks in-process), on this run's own queue."""
    from portal.celery import app

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete(QUEUE)
    default_queue = app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = QUEUE
    yield app
    app.conf.task_always_eager = True
    app.conf.task_default_queue = default_queue
    broker.delete(QUEUE)


@pytest.fixture
def celery_worker_process(real_broker):
    """A real Celery worker (two processes) consuming this run's queue."""
    process = start_worker(concurrency=2)
    yield process
    stop_worker(process)


@pytest.fixture
def admin_client(admin_user):
    """pytest-django's admin client, past the second step staff owe (portal.twofactor)."""
    return force_login_verified(Client(), admin_user)
