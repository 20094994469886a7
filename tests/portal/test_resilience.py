"""Issue 15, items 4 and 5: the site keeps answering when Redis is down (a private
redis-server, really stopped), and a down database is a 503 with Retry-After."""

import socket
import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from rest_framework.test import APIClient

from partners.enums import Scope
from partners.services import api_token_create
from portal.api import throttling
from portal.cache import BEAT_TICK_KEY
from portal.models import OutboxMessage
from portal.tasks import outbox_relay_task
from tests.workers import PrivateRedisServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_redis(settings):
    server = PrivateRedisServer()
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    throttling.local_counts.clear()
    throttling._fallback_logged_at = 0.0
    yield server
    server.stop()
    throttling.local_counts.clear()


def _token_client(partner_user) -> APIClient:
    _token, plaintext = api_token_create(
        partner=partner_user.partner, created_by=partner_user, name="t", scopes=[Scope.READ_PUBLIC]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return client


def test_with_redis_down_the_api_and_a_dashboard_answer(private_redis, partner_user, client_for, official_a, region_a):
    from tests.dashboards.conftest import build_region

    build_region(region_a)
    api = _token_client(partner_user)
    cache.set("probe", 1)
    assert cache.get("probe") == 1  # the private Redis serves the cache

    private_redis.stop()

    assert [api.get("/api/v1/regions/").status_code for _ in range(3)] == [200, 200, 200]
    assert api.get("/api/v1/needs/").status_code == 200
    response = client_for(official_a).get(f"/fr/dashboards/region/{region_a.code}/")
    assert response.status_code == 200
    assert Client().get("/fr/").status_code == 200
    visitor = Client()
    assert visitor.get("/fr/accounts/login/").status_code == 200
    refused = visitor.post("/fr/accounts/login/", {"username": "nobody@example.org", "password": "wrong-Pass-123"})
    assert refused.status_code == 200  # the form answers (wrong credentials), not a 500
    assert cache.is_down()


def test_with_redis_down_throttling_counts_per_process(private_redis, territories, partner_user, settings, caplog):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/min"}}
    api = _token_client(partner_user)
    private_redis.stop()

    statuses = [api.get("/api/v1/regions/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert api.get("/api/v1/regions/").json()["error"]["code"] == "throttled"
    messages = [record.getMessage() for record in caplog.records]
    assert any(message.startswith("Cache unavailable (ConnectionError)") for message in messages)
    assert "API throttling counts per process: the shared cache is down" in messages


def test_healthz_is_degraded_and_ready_still_200_with_redis_down(private_redis, client):
    private_redis.stop()

    health = client.get("/healthz")
    ready = client.get("/healthz/ready")

    assert health.status_code == 200
    assert health.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "cache": "down: ConnectionError", "broker": "in-process"},
    }
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"] == "down: ConnectionError"
    assert body["checks"]["beat"] == {"status": "unknown", "last_tick_age": None, "max_age": 180}
    assert client.get("/healthz/live").json() == {"status": "ok"}


def test_ready_reports_beat_tick_and_oldest_pending_outbox_age(client, settings):
    settings.JUSUR_READY_OUTBOX_MAX_AGE = 60
    cache.delete(BEAT_TICK_KEY)
    outbox_relay_task()  # what beat runs every 30 s records its tick
    OutboxMessage.objects.create(task_name="portal.noop", created_at=_ago(120))
    OutboxMessage.objects.create(task_name="portal.noop", created_at=_ago(900), failed=True)  # parked: not pending

    body = client.get("/healthz/ready").json()

    assert body["checks"]["beat"]["status"] == "ok"
    assert 0 <= body["checks"]["beat"]["last_tick_age"] <= 5
    assert body["checks"]["outbox"]["status"] == "late"
    assert 120 <= body["checks"]["outbox"]["oldest_pending_age"] <= 125
    assert body["status"] == "degraded"
    cache.set(BEAT_TICK_KEY, time.time() - 1000, None)
    assert client.get("/healthz/ready").json()["checks"]["beat"]["status"] == "stale"


def _ago(seconds):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() - timedelta(seconds=seconds)


def _database_down():
    # At the database boundary: every query fails as with PostgreSQL unreachable.
    return mock.patch.object(CursorWrapper, "execute", side_effect=OperationalError("connection refused"))


def test_database_down_is_503_with_retry_after(territories):
    client = Client(raise_request_exception=False)
    with _database_down():
        api = client.get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE="en")
        page = client.get("/fr/regions/")
        ready = client.get("/healthz/ready")
        live = client.get("/healthz/live")
        api_fr = client.get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE="fr")

    assert api.status_code == 503
    assert api["Retry-After"] == "30"
    assert api.json() == {
        "error": {"code": "unavailable", "message": "The service is temporarily unavailable. Please try again shortly."}
    }
    assert api_fr.json()["error"]["message"].startswith("Le service est momentanément indisponible.")
    assert page.status_code == 503
    assert page["Retry-After"] == "30"
    assert "The service is temporarily unavailable." in page.content.decode()
    assert ready.status_code == 503
    assert ready.json()["status"] == "down"
    assert ready.json()["checks"]["database"] == "down: OperationalError"
    assert live.status_code == 200


def test_other_errors_stay_500(client):
    client = Client(raise_request_exception=False)
    with mock.patch("regions.views.public.region_list", side_effect=RuntimeError("bug")):
        response = client.get("/fr/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_api_oversize_body_is_413_json(client):
    response = client.post("/api/v1/regions/", data=b"x" * (2 * 1024 * 1024), content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_a_redis_that_does_not_answer_costs_one_short_timeout_then_is_skipped(settings):
    # A socket that accepts connections (the kernel's backlog) but never replies: socket_timeout.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    try:
        settings.CACHES = {
            "default": {
                "BACKEND": "portal.cache.ResilientRedisCache",
                "LOCATION": f"redis://127.0.0.1:{silent.getsockname()[1]}/0",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
        started = time.monotonic()
        values = [cache.get(f"k{n}", "miss") for n in range(20)]
        elapsed = time.monotonic() - started
    finally:
        silent.close()

    assert values == ["miss"] * 20
    assert 0.5 <= elapsed < 1.5  # one timeout, then the breaker skips Redis
    assert cache.is_down()


@pytest.mark.parametrize("path", ["/healthz", "/healthz/live", "/healthz/ready"])
def test_health_endpoints_are_exempt_from_the_ssl_redirect(settings, path):
    settings.SECURE_SSL_REDIRECT = True

    assert Client().get(path).status_code == 200
    assert Client().get("/fr/").status_code == 301
