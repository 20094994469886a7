"""Errors to a Sentry-compatible tracker (issue 15): off unless SENTRY_DSN is set; what it sends
is redacted like the logs, with no request bodies, cookies, query strings or personal fields."""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import sentry_sdk

from portal.sentry import before_breadcrumb, before_send, sentry_options

ROOT = Path(__file__).resolve().parents[2]


def test_nothing_is_sent_by_default():
    assert not sentry_sdk.get_client().is_active()


def test_the_options_keep_personal_data_out():
    options = sentry_options(dsn="https://key@errors.example.org/1", environment="", release="")

    assert options["send_default_pii"] is False
    assert options["max_request_body_size"] == "never"
    assert options["include_local_variables"] is False
    assert {type(i).__name__ for i in options["integrations"]} == {"DjangoIntegration", "CeleryIntegration"}


def test_before_send_redacts_every_string_and_drops_bodies_cookies_and_user_fields():
    event = {
        "message": "Invitation to salma@example.org bounced",
        "exception": {"values": [{"type": "ValueError", "value": "no account for salma@example.org"}]},
        "request": {
            "url": "https://jusur.example.ma/fr/diaspora/verify/MQ:1vQnnS:abcdefghijklmnopqrstuvwxyz012345/",
            "query_string": "q=salma@example.org",
            "data": {"display_name": "Salma Benali"},
            "cookies": {"sessionid": "abc"},
            "method": "POST",
        },
        "user": {"id": 42, "email": "salma@example.org", "username": "salma"},
        "breadcrumbs": {"values": [{"message": "sent to salma@example.org"}]},
    }

    cleaned = before_send(event, {})

    text = json.dumps(cleaned)
    assert "salma" not in text.lower().replace("[redacted]", "")
    assert "abcdefghijklmnop" not in text
    assert cleaned["user"] == {"id": 42}
    assert cleaned["request"] == {"url": "https://jusur.example.ma/fr/diaspora/verify/[redacted]/", "method": "POST"}
    assert before_breadcrumb({"message": "to a@example.org"}, {}) == {"message": "to [redacted]"}


class _Collector(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli  # installed with the load test's tools; only if the SDK chose it

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_with_a_dsn_errors_reach_the_tracker_redacted(tmp_path):
    # A local stand-in for the tracker; the settings module itself turns the SDK on from SENTRY_DSN.
    server = HTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    script = (
        "import logging, django, sentry_sdk; django.setup()\n"
        "logging.getLogger('jusur.tests').error('Delivery to salma@example.org failed')\n"
        "try:\n    raise ValueError('no account for salma@example.org')\n"
        "except ValueError:\n    sentry_sdk.capture_exception()\n"
        "sentry_sdk.flush(5)\n"
    )
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_SECRET_KEY": "test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/1",
        "SENTRY_ENVIRONMENT": "tests",
    }
    try:
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
    finally:
        server.shutdown()

    assert result.returncode == 0, result.stderr
    events = [
        json.loads(line)
        for envelope in _Collector.received
        for line in envelope.splitlines()[1:]
        if line.startswith(b'{"') and b'"event_id"' in line
    ]
    assert len(events) == 2
    text = b"\n".join(_Collector.received).decode()
    assert "salma@example.org" not in text
    messages = sorted(
        event.get("logentry", {}).get("message") or event["exception"]["values"][0]["value"] for event in events
    )
    assert messages == ["Delivery to [redacted] failed", "no account for [redacted]"]
    assert {event["environment"] for event in events} == {"tests"}
