"""Scheduled jobs on needs: expiry and deadline reminders (regions.tasks runs them)."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.enums import Role
from portal.notifications import notification_send

from ..enums import NeedStatus, ReminderKind
from ..models import Need, NeedReminder
from .needs import need_transition


def needs_expire(*, today: date | None = None) -> int:
    """Expire open needs whose end date has passed. Idempotent: an expired need is not open."""
    today = today or timezone.localdate()
    count = 0
    for pk in Need.objects.open().filter(end_date__lt=today).values_list("pk", flat=True):
        try:
            need_transition(need=Need(pk=pk), to=NeedStatus.EXPIRED, by=None)
        except (ValidationError, PermissionDenied):
            continue  # changed meanwhile by someone else
        count += 1
    return count


REMINDER_DAYS_BEFORE = 3


def region_coordinators(region_id: int) -> list:
    """The national coordinators following `region` (their `regions`), or all of them if none is assigned."""
    User = get_user_model()
    active = User.objects.filter(is_active=True, role=Role.COORDINATOR)
    assigned = list(active.filter(regions=region_id).order_by("pk"))
    return assigned or list(active.order_by("pk"))


def _remind(need: Need, kind: str, recipient) -> bool:
    """Record and send one reminder unless it was already sent (the unique row is the claim)."""
    try:
        with transaction.atomic():
            NeedReminder.objects.create(need=need, kind=kind, recipient=recipient, deadline=need.response_deadline)
            notification_send(
                user=recipient,
                kind=f"regions.{kind}",
                template=f"regions/emails/{kind}",
                refs={"need": need},
                params={"deadline": need.response_deadline.isoformat()},
                url=need.get_absolute_url(),
            )
    except IntegrityError:
        return False
    return True


def deadline_reminders(*, today: date | None = None) -> int:
    """Remind the owner and the region's coordinators before a response deadline; escalate to
    the coordinators (and tell the owner) after it. Each (need, kind, person, deadline) is sent
    once however often this runs. Returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    active = Need.objects.filter(status__in=(NeedStatus.OPEN, NeedStatus.IN_PROGRESS), response_deadline__isnull=False)
    soon = active.filter(response_deadline__gte=today, response_deadline__lte=today + timedelta(REMINDER_DAYS_BEFORE))
    late = active.filter(response_deadline__lt=today)
    coordinators: dict[int, list] = {}
    for kind, needs in ((ReminderKind.BEFORE_DEADLINE, soon), (ReminderKind.ESCALATION, late)):
        for need in needs.select_related("owner", "region").order_by("pk"):
            if need.region_id not in coordinators:
                coordinators[need.region_id] = region_coordinators(need.region_id)
            recipients = {need.owner_id: need.owner} | {c.pk: c for c in coordinators[need.region_id]}
            for recipient in recipients.values():
                sent += _remind(need, kind, recipient)
    return sent
