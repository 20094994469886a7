import pytest
from django.core import mail
from django.db import transaction

from portal.models import Notification, OutboxMessage
from portal.notifications import notification_email_send, notification_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_notification_is_recorded_and_emailed_in_the_users_language():
    user = UserFactory(full_name="Salma Amrani", preferred_language="ar", email="salma@example.org")
    with transaction.atomic():
        notification = notification_send(
            user=user, kind="test.ping", template="tests/ping", params={"note": "x1"}, url="/ar/"
        )
        assert mail.outbox == []  # nothing leaves before commit
    assert notification.subject == "الصفحة غير موجودة"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.subject, message.to) == ("الصفحة غير موجودة", ["salma@example.org"])
    assert message.body.strip() == "Salma Amrani — /ar/ — x1 — العودة إلى الصفحة الرئيسية"
    assert Notification.objects.get().emailed_at is not None
    assert OutboxMessage.objects.get().done_at is not None


def test_notification_email_is_sent_once_even_if_the_task_runs_twice():
    user = UserFactory(preferred_language="fr")
    with transaction.atomic():
        notification = notification_send(user=user, kind="test.ping", template="tests/ping", params={"note": ""})
    assert notification_email_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Page introuvable"


def test_inactive_user_gets_no_email():
    user = UserFactory(is_active=False)
    with transaction.atomic():
        notification_send(user=user, kind="test.ping", template="tests/ping")
    assert mail.outbox == []
    assert Notification.objects.filter(user=user).count() == 1
