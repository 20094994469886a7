"""No secret link or token is stored, shown or logged (issue 14 item 1, decision 0008).

Password-reset and verification links exist only in the e-mail the worker sends: the queued
message holds a notification id, the notification holds ids and codes, the outbox admin shows
no arguments, and the log filter masks what third-party code would print.
"""

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client

from portal.models import Notification, OutboxMessage
from portal.redaction import RedactingFilter, redact
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Tamazight-Agadir-2026"


def link_path(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0).replace(settings.JUSUR_SITE_URL, "")


def secret_of(path: str) -> str:
    """The secret part of a link: what follows /verify/ or /password-reset/."""
    return re.search(r"/(?:verify|password-reset)/(.+?)/?$", path).group(1)


def stored_rows() -> str:
    """Every column of every outbox message and notification, as PostgreSQL holds them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(m)::text FROM portal_outboxmessage m")
        rows = [r[0] for r in cursor.fetchall()]
        cursor.execute("SELECT row_to_json(n)::text FROM portal_notification n")
        rows += [r[0] for r in cursor.fetchall()]
    return "\n".join(rows)


@pytest.mark.django_db(transaction=True)
def test_password_reset_link_is_in_the_email_only_and_works():
    user = UserFactory(email="salma@example.org", full_name="Salma Amrani", preferred_language="fr")
    user.set_password(PASSWORD)
    user.save()

    assert Client().post("/fr/diaspora/password-reset/", {"email": "salma@example.org"}).status_code == 302

    path = link_path(mail.outbox[-1])
    token = secret_of(path)
    assert path.startswith("/fr/diaspora/password-reset/")
    assert OutboxMessage.objects.get(task_name="portal.send_notification_email").kwargs == {
        "notification_id": Notification.objects.get(kind="diaspora.password_reset").pk
    }
    assert token.split("/")[-1] not in stored_rows()
    page = Client().get(path, follow=True)
    assert (page.status_code, page.context["validlink"]) == (200, True)


@pytest.mark.django_db(transaction=True)
def test_verification_link_is_in_the_email_only_carries_no_address_and_works():
    client = Client()
    client.post(
        "/fr/diaspora/signup/",
        {"full_name": "Yassine Ouali", "email": "yassine@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    path = link_path(mail.outbox[-1])
    token = secret_of(path)
    assert token not in stored_rows()
    # Signed, not encrypted: the payload must not carry the address (not even compressed).
    from django.core import signing

    from diaspora.services import VERIFICATION_SALT

    assert "yassine" not in str(signing.loads(token, salt=VERIFICATION_SALT))
    assert client.get(path).status_code == 302  # verified
    signed_in = client.post("/fr/diaspora/login/", {"username": "yassine@example.org", "password": PASSWORD})
    assert signed_in.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_outbox_admin_shows_no_message_arguments(client_for):
    user = UserFactory(email="salma@example.org", preferred_language="fr")
    Client().post("/fr/diaspora/password-reset/", {"email": "salma@example.org"})
    secret = secret_of(link_path(mail.outbox[-1])).split("/")[-1]
    message = OutboxMessage.objects.get(task_name="portal.send_notification_email")
    admin = client_for(UserFactory(is_staff=True, is_superuser=True))

    listing = admin.get("/fr/admin/portal/outboxmessage/")
    page = admin.get(f"/fr/admin/portal/outboxmessage/{message.pk}/change/")

    assert (listing.status_code, page.status_code) == (200, 200)
    listing, page = listing.content.decode(), page.content.decode()

    assert "portal.send_notification_email" in page
    for html in (listing, page):
        assert secret not in html
        assert "notification_id" not in html
        assert user.email not in html


def test_redaction_masks_addresses_signed_tokens_and_secret_links():
    text = (
        "GET /fr/diaspora/verify/.eJyrVirNS8xVslJKTEnMS8_PS8lMzSvRz0ktTi1SKM7P:1tXyZb:Zq3kM0Vx9sJp2dQ1wW4yR7uT/ "
        "by Salma.Amrani@Example.org, reset /en/diaspora/password-reset/MTI/ch3x9k-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d/ "
        "token jsr_ab12_SECRETPART header Bearer abc.def"
    )

    assert redact(text) == (
        "GET /fr/diaspora/verify/[redacted]/ by [redacted], reset /en/diaspora/password-reset/[redacted] "
        "token [redacted] header Bearer [redacted]"
    )
    assert redact("/fr/diaspora/password-reset/sent/") == "/fr/diaspora/password-reset/sent/"


def test_log_filter_rewrites_the_record_and_its_traceback():
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Bad Request: %s", ("x@y.org",), None)
    try:
        raise ValueError("refused: someone@example.org")
    except ValueError:
        record.exc_info = sys.exc_info()

    assert RedactingFilter().filter(record) is True
    assert record.getMessage() == "Bad Request: [redacted]"
    assert "someone@example.org" not in record.exc_text
    assert "refused: [redacted]" in record.exc_text


def _settings_in_production(**env: str) -> subprocess.CompletedProcess:
    base = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_SECRET_KEY": "x" * 50,
    }
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=60
    )


def test_production_sends_by_smtp_and_refuses_to_print_emails():
    default = _settings_in_production()
    console = _settings_in_production(DJANGO_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    debug = _settings_in_production(DJANGO_DEBUG="1")

    assert default.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend", default.stderr
    assert console.returncode == 1
    assert "would print e-mails with secret links" in console.stderr
    assert debug.stdout.strip() == "django.core.mail.backends.console.EmailBackend", debug.stderr
