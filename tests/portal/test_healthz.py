import pytest

from portal.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_cache_and_broker(client, settings):
    # Tests run tasks in-process; for the probe, point at the real Redis broker as production does.
    celery_app.conf.task_always_eager = False
    try:
        response = client.get("/healthz")
    finally:
        celery_app.conf.task_always_eager = True
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "broker": "ok"}}


def test_healthz_broker_down_is_reported_not_fatal(client):
    celery_app.conf.task_always_eager = False
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/healthz")
    finally:
        celery_app.conf.broker_url = original
        celery_app.conf.task_always_eager = True
    body = response.json()
    assert response.status_code == 200
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("down")
