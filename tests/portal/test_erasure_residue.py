"""After erasure, nothing of the person is left: not in a dump of the whole database, not in
the media folder, not in any log record (issue 13 item 4, decision 0008).

A member with a unique marker in every field walks through every flow that stores something
(sign-up and verification, profile, CV, invitation with an official's message, engagement with
notes and ratings, project with a document, interest in a need, notifications, a password
reset, failed and successful sign-ins), then erases their account from the privacy centre.

What is asynchronous runs where it runs in production: in a real Celery worker (a separate
process, through Redis and the outbox), which sends the e-mails (to files the test reads) and
whose own log output is searched too, for the whole walk and after the erasure.
"""

import email
import email.policy
import logging
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from diaspora import services as diaspora_services
from diaspora.enums import ConsentPurpose
from matching import services as matching_services
from matching.models import Engagement, Match
from portal.enums import EngagementFormat, LanguageLevel, SkillLevel
from portal.models import OutboxMessage
from projects.services import project_note_add, project_submit
from regions.models import Province
from regions.services import need_interest_express
from taxonomy.models import Sector
from tests.matching.factories import SkillFactory, need
from tests.security.pdf import valid_pdf
from tests.workers import start_worker, stop_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PASSWORD = "Tamazight-Agadir-2026"
# Every marker is unique to this test; the dump and the files are searched case-insensitively.
MARKERS = {
    "full name": "Qzfullname Amrouchqz",
    "e-mail": "Qz.Erasure.Person@Qzmail-Example.ORG",
    "display name": "Qzdisplay Tazirqz",
    "phone": "+33 7 91 82 73 64",
    "city": "Qzcityville",
    "bio": "Qzbio hydraulicienne des oasis",
    "job title": "Qzjob ingenieure en chef",
    "organisation": "Qzorg Sahara Water",
    "degree": "Qzdegree master hydraulique",
    "institution": "Qzinstitution EHTP",
    "cv content": "Qzcv-content-8841",
    "cv file name": "qzcv-file-name",
    "project title": "Qzproject huilerie solaire",
    "project description": "Qzprojectdesc trituration en deux phases",
    "document content": "Qzdoc-content-5512",
    "document file name": "qzdoc-file-name",
    "official note": "Qznote about the investor",
    "invitation message": "Qzinvite votre experience nous aiderait",
    "engagement note": "Qzdeliverable rapport final",
    "interest message": "Qzinterest je peux aider",
}


def pdf(name: str, marker: str) -> SimpleUploadedFile:
    content = valid_pdf(marker)  # a real PDF (uploads are parsed), carrying the marker in its content
    return SimpleUploadedFile(f"{name}.pdf", content, content_type="application/pdf")


def found_in(text: str) -> list[str]:
    lowered = text.lower()
    return sorted(label for label, marker in MARKERS.items() if marker.lower() in lowered)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield Path(settings.MEDIA_ROOT)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def worker(real_broker, media_root, tmp_path):
    """A real worker, at DEBUG level, with this test's media folder; it sends e-mails to files in
    `worker.mail_dir` (outside the media folder) and writes all its output to `worker.log_path`."""
    mail_dir = tmp_path / "mail"
    log_path = tmp_path / "worker.log"
    env = {"JUSUR_TEST_MEDIA_ROOT": str(media_root), "JUSUR_TEST_EMAIL_DIR": str(mail_dir)}
    process = start_worker(extra_env=env, log_path=log_path, log_level="debug")
    process.mail_dir, process.log_path = mail_dir, log_path
    yield process
    stop_worker(process)


def drain() -> None:
    """Wait until the worker has run every queued task (the delayed ones included)."""

    def settled():
        pending = OutboxMessage.objects.filter(done_at__isnull=True)
        return not pending.exists() or pending.exclude(last_error="").exists()

    assert wait_for(settled, timeout=30)
    assert list(OutboxMessage.objects.filter(done_at__isnull=True).values_list("task_name", "last_error")) == []


def sent_emails(mail_dir: Path) -> list[email.message.EmailMessage]:
    """The e-mails the worker sent, oldest first (the file backend writes one file per
    connection, messages separated by a line of 79 dashes)."""
    messages = []
    for path in sorted(mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime_ns):
        for part in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if part.strip():
                messages.append(email.message_from_bytes(part, policy=email.policy.default))
    return messages


class Records(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name}: {text}")


@pytest.fixture
def log_records():
    """Every log record of every logger, at DEBUG level, as emitted (before any handler filter)."""
    handler = Records()
    root = logging.getLogger()
    loggers = [root] + [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    levels = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)
    for lg, level in levels:
        lg.setLevel(level)


def pg_dump() -> str:
    db = connection.settings_dict
    binary = shutil.which("pg_dump") or "/usr/lib/postgresql/15/bin/pg_dump"
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    command = [binary, "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"], db["NAME"]]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout


def media_text(root: Path) -> str:
    parts = []
    for path in root.rglob("*"):
        parts.append(str(path.relative_to(root)))
        if path.is_file():
            parts.append(path.read_bytes().decode("latin-1"))
    return "\n".join(parts)


def link_in(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+", body).group(0).replace(settings.JUSUR_SITE_URL, "")


def last_email_to(mail_dir: Path, address: str):
    drain()
    messages = [m for m in sent_emails(mail_dir) if m["To"].lower() == address.lower()]
    return messages[-1]


def walk_every_flow(official, region, mail_dir: Path) -> Client:
    """The member's life on Jusur, through the pages a person uses and the services behind them."""
    member = Client()
    email = MARKERS["e-mail"]
    response = member.post(
        "/fr/diaspora/signup/",
        {"full_name": MARKERS["full name"], "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert member.get(link_in(last_email_to(mail_dir, email))).status_code == 302  # the verification link
    user = get_user_model().objects.get(email__iexact=email)

    # A password reset requested and completed (its link is in the e-mail only).
    assert Client().post("/fr/diaspora/password-reset/", {"email": email.upper()}).status_code == 302
    reset = Client()
    form_page = reset.get(link_in(last_email_to(mail_dir, email)), follow=True)
    assert form_page.status_code == 200
    done = reset.post(form_page.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302
    signed_in = member.post("/fr/diaspora/login/", {"username": email.lower(), "password": PASSWORD})
    assert signed_in.status_code == 302

    # Profile, background, CV, consent.
    skill = SkillFactory()
    profile = diaspora_services.profile_save(
        user=user,
        data={
            "display_name": MARKERS["display name"],
            "phone": MARKERS["phone"],
            "city": MARKERS["city"],
            "bio": MARKERS["bio"],
            "country_of_residence": "FR",
            "origin_region": region,
            "hours_per_month": 10,
        },
    )
    diaspora_services.profile_skills_set(profile=profile, skills=[(skill.pk, SkillLevel.ADVANCED, 8)])
    diaspora_services.profile_languages_set(profile=profile, languages=[("fr", LanguageLevel.C2)])
    diaspora_services.profile_formats_set(profile=profile, formats=[EngagementFormat.REMOTE_ADVICE])
    diaspora_services.profile_background_set(
        profile=profile,
        experiences=[{"title": MARKERS["job title"], "organisation": MARKERS["organisation"], "start_year": 2010}],
        education=[{"degree": MARKERS["degree"], "institution": MARKERS["institution"], "year": 2008}],
    )
    diaspora_services.profile_cv_set(profile=profile, upload=pdf(MARKERS["cv file name"], MARKERS["cv content"]))
    diaspora_services.consent_set(profile=profile, choices={p.value: True for p in ConsentPurpose})
    diaspora_services.profile_confirm(profile=profile)

    # Interest in a need; an official's invitation with a message; an engagement with notes.
    need_obj = need(skills=[skill], owner=official, format=EngagementFormat.REMOTE_ADVICE)
    need_interest_express(need=need_obj, user=user, message=MARKERS["interest message"])
    drain()  # the worker's re-match of the profile and the need, before the full one here
    matching_services.full_rematch()
    match = Match.objects.get(profile=profile, need=need_obj)
    matching_services.match_invite(match=match, by=official, message=MARKERS["invitation message"])
    matching_services.match_respond(match=match, by=user, accept=True)
    engagement = Engagement.objects.get(match=match)
    matching_services.engagement_update(
        engagement=engagement, by=official, status="completed", note=MARKERS["engagement note"], rating=5
    )
    matching_services.engagement_update(engagement=engagement, by=user, rating=4)

    # An investment project with a document, and an official's note about it.
    province = Province.objects.filter(region=region).order_by("code").first()
    project = project_submit(
        investor=user,
        data={
            "title": MARKERS["project title"],
            "description": MARKERS["project description"],
            "language": "fr",
            "sector": Sector.objects.order_by("code").first(),
            "region": region,
            "province": province,
            "commune": province.communes.order_by("code").first(),
            "amount_mad": 2_400_000,
            "share_from_abroad_pct": 70,
            "own_contribution_mad": 800_000,
            "expected_jobs": 12,
            "stage": "business_plan",
            "support_needed": ["land"],
        },
        documents=[pdf(MARKERS["document file name"], MARKERS["document content"])],
    )
    project_note_add(project=project, by=official, body=f"{MARKERS['official note']} {MARKERS['full name']}")

    # A failed sign-in typed in another letter case, from another browser.
    stranger = Client()
    assert stranger.post("/fr/diaspora/login/", {"username": email.swapcase(), "password": "wrong"}).status_code == 200
    return member


def test_erasure_leaves_no_marker_in_the_database_the_media_or_the_logs(
    territories, taxonomy, region_a, official_a, media_root, log_records, worker
):
    member = walk_every_flow(official_a, region_a, worker.mail_dir)
    drain()
    stored_as_files = {"cv content", "document content"}
    renamed = {"cv file name"}  # the CV is stored as "cv.pdf"; a document keeps its name in a column
    assert found_in(pg_dump()) == sorted(set(MARKERS) - stored_as_files - renamed)  # the walk stored them
    assert found_in(media_text(media_root)) == sorted(stored_as_files)
    # The worker rendered and sent the e-mails (they reach the person, so they hold the markers).
    assert len(sent_emails(worker.mail_dir)) >= 6
    assert "e-mail" in found_in(media_text(worker.mail_dir))
    assert mail.outbox == []  # none was sent in this process
    queued_before = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first()

    erased = member.post("/fr/diaspora/me/privacy/delete/", {"password": PASSWORD, "confirm": "on"})
    drain()  # the erasure's own jobs (matching forgets the profile) ran in the worker

    assert (erased.status_code, erased["Location"]) == (302, "/fr/")
    erasure_jobs = OutboxMessage.objects.filter(pk__gt=queued_before, done_at__isnull=False)
    assert list(erasure_jobs.values_list("task_name", flat=True)) == ["matching.expert_changed"]
    assert found_in(pg_dump()) == []
    assert found_in(media_text(media_root)) == []
    assert any(line.startswith("axes.") for line in log_records.lines)  # the capture saw the sign-ins
    assert found_in("\n".join(log_records.lines)) == []
    stop_worker(worker)  # its output is complete
    worker_log = worker.log_path.read_text(errors="replace")
    assert "portal.send_notification_email" in worker_log  # the worker logged the tasks it ran
    assert found_in(worker_log) == []
