"""Migration portal.0003: stored subjects dropped, queued e-mails cut down to their notification id."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("portal", "0003_consent_partner_pseudonym_key")]
AFTER = [("portal", "0004_erasure_notification_refs")]


pytestmark = pytest.mark.usefixtures("latest_schema_after")  # not left at AFTER for later tests


@pytest.mark.django_db(transaction=True)
def test_queued_contexts_and_stored_subjects_are_gone_after_the_migration():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("portal", "User").objects.create(email="salma@example.org", full_name="Salma Amrani")
    Notification = old.get_model("portal", "Notification")
    OutboxMessage = old.get_model("portal", "OutboxMessage")
    pending = Notification.objects.create(user=user, kind="diaspora.password_reset", subject="Réinitialisez")
    sent = Notification.objects.create(user=user, kind="matching.accepted", subject="Salma Amrani a accepté")
    secret = {"path": "/fr/diaspora/password-reset/MQ/secret-token/"}
    OutboxMessage.objects.create(
        task_name="portal.send_notification_email",
        kwargs={"notification_id": pending.pk, "template": "diaspora/emails/password_reset", "context": secret},
    )
    OutboxMessage.objects.create(
        task_name="portal.send_notification_email",
        kwargs={"notification_id": sent.pk, "template": "matching/emails/accepted", "context": {"expert_name": "S"}},
        done_at="2026-12-01T10:00:00Z",
    )
    OutboxMessage.objects.create(task_name="matching.expert_changed", kwargs={"profile_id": 7})

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps

    messages = new.get_model("portal", "OutboxMessage").objects.order_by("pk")
    assert [m.kwargs for m in messages] == [
        {"notification_id": pending.pk},
        {"notification_id": sent.pk},
        {"profile_id": 7},
    ]
    notifications = new.get_model("portal", "Notification").objects.order_by("pk")
    assert [(n.template, n.refs, n.params) for n in notifications] == [
        ("diaspora/emails/password_reset", {}, {}),  # still unsent: the worker builds a fresh link
        ("", {}, {}),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'portal_notification'")
        assert "subject" not in {row[0] for row in cursor.fetchall()}
