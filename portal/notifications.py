"""Telling people what happened: an in-portal notification and a translated e-mail.

Every app calls `notification_send()`; the e-mail is rendered in the recipient's own
language and sent by a Celery task through the outbox (so a request never waits on SMTP,
and a message is not lost if Redis is down).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification, User
from .outbox import outbox_enqueue


def _one_line(text: str) -> str:
    # A line break in a header makes the whole message fail to send; titles are refused with one
    # at validation (portal.validators), and rows saved before that are folded here.
    return " ".join(text.split())


def notification_send(
    *, user: User, kind: str, template: str, context: dict, url: str = "", email: bool = True
) -> Notification:
    """Record a notification for `user` and queue its e-mail.

    `template` names a pair `<template>_subject.txt` / `<template>_body.txt` (and optionally
    `<template>_body.html`); they are rendered in the user's preferred language. `context`
    must be JSON-serialisable (ids and strings), since the e-mail is rendered in the worker.
    """
    with translation.override(user.preferred_language):
        subject = _one_line(render_to_string(f"{template}_subject.txt", context))
    notification = Notification.objects.create(user=user, kind=kind, subject=subject[:255], url=url)
    if email and user.is_active:
        outbox_enqueue(
            task_name="portal.send_notification_email",
            kwargs={"notification_id": notification.pk, "template": template, "context": context},
        )
    return notification


def notification_email_send(*, notification_id: int, template: str, context: dict) -> bool:
    """Render and send one notification's e-mail; idempotent (sent once, even if run twice)."""
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    if notification.emailed_at is not None:
        return False
    user = notification.user
    with translation.override(user.preferred_language):
        context = {**context, "user": user, "url": notification.url, "site_url": settings.JUSUR_SITE_URL}
        subject = _one_line(render_to_string(f"{template}_subject.txt", context))
        body = render_to_string(f"{template}_body.txt", context)
        message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        try:
            html = render_to_string(f"{template}_body.html", context)
        except Exception:  # noqa: BLE001 - the HTML part is optional
            html = None
        if html:
            message.attach_alternative(html, "text/html")
    message.send()
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return True
