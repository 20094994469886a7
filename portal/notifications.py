"""Telling people what happened: an in-portal notification and a translated e-mail.

Every app calls `notification_send()`; the e-mail is rendered in the recipient's own
language and sent by a Celery task through the outbox (so a request never waits on SMTP,
and a message is not lost if Redis is down).

Nothing personal or secret is stored with a notification or its queued e-mail
(docs/decisions/0008-no-personal-data-in-queues.md): the row keeps the template name, the
ids of the objects it is about (`refs`) and a few short codes (`params`: a status, a count,
a date). Subject and body are rendered when they are read or sent, from the database as it
is then: a person erased meanwhile is "a deleted member", never their old name. Secret links
(password reset, e-mail verification) are built by the worker at send time by the "link
builder" their template registered (`register_link_builder`).
"""

import re
from collections.abc import Callable, Iterable
from datetime import date

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from .models import Notification, User
from .outbox import outbox_enqueue

# A param is a code, never a sentence: no spaces, no "@", short. Names, titles and free
# texts are read from the referenced rows at render time instead.
PARAM_PATTERN = re.compile(r"^[\w\-.:/+]{0,64}$")

_LINK_BUILDERS: dict[str, Callable[[User], dict]] = {}

# Dates travel as ISO codes ("2026-12-04"); rendered as they are, Arabic and French readers got
# year-month-day. They become dates again in the template context, so `{{ deadline }}` follows
# the recipient's DATE_FORMAT (portal/formats).
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _param_value(value):
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def register_link_builder(template: str, builder: Callable[[User], dict]) -> None:
    """`builder(user)` returns the secret links of `template`'s e-mail; called at send time only."""
    _LINK_BUILDERS[template] = builder


def _ref(value) -> list | None:
    if value is None:
        return None
    if isinstance(value, models.Model):
        return [value._meta.label_lower, value.pk]
    rows = list(value)
    label = rows[0]._meta.label_lower if rows else ""
    return [label, [row.pk for row in rows]]


def _check_param(name: str, value) -> None:
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, str) and PARAM_PATTERN.match(value):
        return
    raise ValueError(f"notification param {name!r} must be a short code (ids and codes only), not {value!r}")


def _one_line(text: str) -> str:
    # A line break in a header makes the whole message fail to send; titles are refused with one
    # at validation (portal.validators), and rows saved before that are folded here.
    return " ".join(text.split())


def notification_send(
    *,
    user: User,
    kind: str,
    template: str,
    refs: dict[str, models.Model | Iterable[models.Model] | None] | None = None,
    params: dict | None = None,
    url: str = "",
    email: bool = True,
) -> Notification:
    """Record a notification for `user` and queue its e-mail.

    `template` names a pair `<template>_subject.txt` / `<template>_body.txt` (and optionally
    `<template>_body.html`), rendered in the user's preferred language with the rows of
    `refs` ({name: row, or a list of rows}; a row deleted meanwhile is None, or left out of
    its list) and the codes of `params`. The queued message carries the notification id only.
    """
    params = params or {}
    for name, value in params.items():
        _check_param(name, value)
    notification = Notification.objects.create(
        user=user,
        kind=kind,
        template=template,
        refs={name: _ref(value) for name, value in (refs or {}).items()},
        params=params,
        url=url,
    )
    if email and user.is_active:
        outbox_enqueue(task_name="portal.send_notification_email", kwargs={"notification_id": notification.pk})
    return notification


def _load(ref):
    if not ref:
        return None
    label, key = ref
    if not label:
        return []
    manager = apps.get_model(label)._default_manager
    if isinstance(key, list):
        rows = manager.in_bulk(key)
        return [rows[pk] for pk in key if pk in rows]
    return manager.filter(pk=key).first()


def notification_context(notification: Notification) -> dict:
    """The template context of `notification`, read from the database now."""
    context = {name: _param_value(value) for name, value in notification.params.items()}
    context.update({name: _load(ref) for name, ref in notification.refs.items()})
    context.update(
        user=notification.user,
        url=notification.url,
        site_url=settings.JUSUR_SITE_URL,
        deleted_member=gettext("a deleted member"),
    )
    return context


def notification_subject(notification: Notification) -> str:
    """The subject in the recipient's language, rendered from the current database state."""
    if not notification.template:
        return ""
    with translation.override(notification.user.preferred_language):
        return _one_line(render_to_string(f"{notification.template}_subject.txt", notification_context(notification)))


def notification_email_send(*, notification_id: int) -> bool:
    """Render and send one notification's e-mail; idempotent (sent once, even if run twice)."""
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None or not notification.template:
        return False  # erased meanwhile, already sent, or queued before templates were recorded
    user = notification.user
    template = notification.template
    with translation.override(user.preferred_language):
        context = notification_context(notification)
        if template in _LINK_BUILDERS:
            context.update(_LINK_BUILDERS[template](user))
        subject = _one_line(render_to_string(f"{template}_subject.txt", context))
        body = render_to_string(f"{template}_body.txt", context)
        message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        try:
            html = render_to_string(f"{template}_body.html", context)
        except TemplateDoesNotExist:  # the HTML part is optional
            html = None
        if html:
            message.attach_alternative(html, "text/html")
    message.send()
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return True
