"""Freshness: profiles confirmed, reminded before they go stale, and set aside when they do."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from portal.notifications import notification_send

from ..models import ExpertProfile
from ..querysets import REMIND_BEFORE, stale_cutoff
from .profiles import matching_changed


def staleness_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Send the reminder once to profiles that turn stale within a month, and mark stale those
    not re-confirmed for twelve months. Idempotent: each UPDATE claims only rows not yet done,
    so running it twice sends nothing twice."""
    now = now or timezone.now()
    cutoff = stale_cutoff(now)
    reminded = 0
    due = ExpertProfile.objects.filter(
        is_active=True,
        is_stale=False,
        stale_reminder_sent_at__isnull=True,
        confirmed_at__lt=cutoff + REMIND_BEFORE,
        confirmed_at__gte=cutoff,
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            # The conditional UPDATE is the claim: a concurrent sweep gets 0 rows and skips.
            if not ExpertProfile.objects.filter(pk=pk, stale_reminder_sent_at__isnull=True).update(
                stale_reminder_sent_at=now
            ):
                continue
            profile = ExpertProfile.objects.select_related("user").get(pk=pk)
            stale_on = (profile.confirmed_at - cutoff + now).date()
            with translation.override(profile.user.preferred_language):
                path = reverse("diaspora:profile_detail")
            notification_send(
                user=profile.user,
                kind="diaspora.profile_reconfirm",
                template="diaspora/emails/reconfirm",
                refs={"profile": profile},
                params={"stale_on": stale_on.isoformat(), "path": path},
                url=path,
            )
            reminded += 1
    stale_ids = list(ExpertProfile.objects.filter(is_stale=False, confirmed_at__lt=cutoff).values_list("pk", flat=True))
    marked = 0
    for pk in stale_ids:
        with transaction.atomic():
            if ExpertProfile.objects.filter(pk=pk, is_stale=False).update(is_stale=True):
                matching_changed(ExpertProfile(pk=pk))
                marked += 1
    return {"reminded": reminded, "marked_stale": marked}
