"""Logs as JSON lines (issue 15): one object per line, the request id and the user's primary key
on each, never an e-mail address (decision 0008). The tests write through the real handler that
settings.LOGGING configured (its filters and formatter), pointed at a buffer."""

import io
import json
import logging
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from django.test import Client

from portal import logs
from tests.diaspora.factories import ExpertProfileFactory

HEX32 = re.compile(r"^[0-9a-f]{32}$")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log_lines():
    """The console handler of settings.LOGGING, writing into a buffer; returns the parsed lines."""
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    root_level = logging.getLogger().level
    logging.getLogger().setLevel(logging.INFO)

    def read() -> list[dict]:
        return [json.loads(line) for line in buffer.getvalue().splitlines()]

    read.raw = buffer.getvalue
    yield read
    handler.setStream(previous)
    logging.getLogger().setLevel(root_level)


def _request_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "jusur.request"]


def test_an_e_mail_address_in_a_message_does_not_reach_the_output(log_lines):
    logger = logging.getLogger("jusur.tests")

    logger.warning("Invitation to %s bounced", "salma.benali@example.org", extra={"note": "cc a.b@example.com"})
    try:
        raise ValueError("no account for salma.benali@example.org")
    except ValueError:
        logger.exception("lookup failed")

    assert "@example" not in log_lines.raw()
    first, second = log_lines()
    assert set(first) >= {"time", "level", "logger", "message"}
    assert (first["level"], first["logger"], first["message"]) == (
        "WARNING",
        "jusur.tests",
        "Invitation to [redacted] bounced",
    )
    assert first["note"] == "cc [redacted]"
    assert "ValueError: no account for [redacted]" in second["exc_info"]
    assert len(log_lines.raw().splitlines()) == 2  # the traceback stays inside its line


def test_a_request_line_carries_the_request_id_and_the_user_pk_only(log_lines, member, client_for):
    ExpertProfileFactory(user=member, display_name="Salma Benali")
    client = client_for(member)

    response = client.get("/fr/diaspora/me/", headers={"X-Request-ID": "f3b9c1d2e4a5b6c7d8e9f0a1b2c3d4e5"})

    assert response["X-Request-ID"] == "f3b9c1d2e4a5b6c7d8e9f0a1b2c3d4e5"
    (line,) = _request_lines(log_lines())
    duration = line.pop("duration_ms")
    assert isinstance(duration, float) and duration >= 0
    assert datetime.fromisoformat(line.pop("time")).tzinfo is not None
    assert line == {
        "level": "INFO",
        "logger": "jusur.request",
        "message": f"GET /fr/diaspora/me/ {response.status_code}",
        "method": "GET",
        "path": "/fr/diaspora/me/",
        "view": response.wsgi_request.resolver_match.view_name,
        "status": response.status_code,
        "request_id": "f3b9c1d2e4a5b6c7d8e9f0a1b2c3d4e5",
        "user_id": member.pk,
    }
    assert response.status_code == 200
    assert member.email not in log_lines.raw()
    assert "Salma" not in log_lines.raw()


def test_an_anonymous_request_gets_a_new_id_and_no_user(log_lines, territories):
    response = _get("/fr/regions/05/roadmap/")

    (line,) = _request_lines(log_lines())
    assert HEX32.match(response["X-Request-ID"])
    assert line["request_id"] == response["X-Request-ID"]
    assert "user_id" not in line
    assert (line["status"], line["view"]) == (200, "regions:region_page")


@pytest.mark.parametrize(
    "sent",
    ["salma.benali@example.org", "x" * 65, "short", 'abc"def ghi jkl', "id\nforged log line"],
)
def test_a_request_id_that_does_not_look_like_one_is_replaced(sent, log_lines, db):
    response = _get("/healthz/live", headers={"X-Request-ID": sent})

    assert HEX32.match(response["X-Request-ID"])
    assert sent not in log_lines.raw()


def test_the_path_of_a_secret_link_is_redacted_in_the_request_line(log_lines, db):
    # An invalid link: Django's own "Bad Request" line (with the request attached) is written too.
    _get("/fr/diaspora/verify/MQ:1vQnnS:abcdefghijklmnopqrstuvwxyz012345/?next=a@example.org")

    (line,) = _request_lines(log_lines())
    assert "abcdefghijklmnopqrstuvwxyz" not in log_lines.raw()
    assert "example.org" not in log_lines.raw()
    assert line["path"] == "/fr/diaspora/verify/[redacted]/"
    assert len(log_lines()) == 2


def test_a_record_logged_inside_a_request_context_carries_its_id(log_lines):
    token = logs.context_bind(request_id="0123456789abcdef")
    try:
        logging.getLogger("jusur.tests").info("inside")
    finally:
        logs.context_reset(token)
    logging.getLogger("jusur.tests").info("outside")

    inside, outside = log_lines()
    assert inside["request_id"] == "0123456789abcdef"
    assert "request_id" not in outside


def test_a_task_queued_during_a_request_carries_its_id_in_a_header():
    headers = {}
    token = logs.context_bind(request_id="0123456789abcdef")
    try:
        logs._task_publish(headers=headers)
    finally:
        logs.context_reset(token)

    assert headers == {"jusur_request_id": "0123456789abcdef"}


def _get(path: str, **kwargs):
    return Client().get(path, **kwargs)


def _log_format(**env: str) -> subprocess.CompletedProcess:
    base = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    read = "from django.conf import settings; print(settings.LOGGING['handlers']['console']['formatter'])"
    return subprocess.run([sys.executable, "-c", read], cwd=ROOT, env={**base, **env}, capture_output=True, text=True)


def test_production_logs_json_and_development_text_unless_told():
    secret = {"DJANGO_SECRET_KEY": "test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"}

    assert _log_format(**secret).stdout.strip() == "json"
    assert _log_format(DJANGO_DEBUG="1").stdout.strip() == "text"
    assert _log_format(DJANGO_DEBUG="1", JUSUR_LOG_FORMAT="JSON").stdout.strip() == "json"
    refused = _log_format(JUSUR_LOG_FORMAT="xml", **secret)
    assert refused.returncode == 1
    assert "ImproperlyConfigured: JUSUR_LOG_FORMAT must be one of json, text" in refused.stderr
