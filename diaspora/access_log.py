"""Who read an expert's personal data: the log the expert sees in the privacy centre.

Every page, export or API call that shows an identified expert to someone else calls
`profile_reads_record` once with every expert it shows: one bulk INSERT per request, never one
per row, so a list stays at a constant number of queries. Entries are kept 24 months
(`profile_reads_purge`, a beat task), are part of the expert's export and are erased with them
(diaspora/privacy.py). The expert reads their own entries (`profile_read_list`); staff read
anyone's only in the admin, and that read is logged as well (diaspora/admin.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from portal.enums import Role

from .enums import ReadPurpose
from .models import ProfileRead

RETENTION_MONTHS = 24


def _reader_columns(reader) -> dict:
    """A signed-in user, or a partner's API token (partners.api.authentication.TokenPrincipal,
    whose pk is None): the organisation is the reader then."""
    if getattr(reader, "pk", None) is None:
        return {"reader_id": None, "reader_role": Role.PARTNER, "partner_id": getattr(reader, "partner_id", None)}
    return {"reader_id": reader.pk, "reader_role": reader.role, "partner_id": reader.partner_id}


def profile_reads_record(*, reader, reads: Iterable[tuple], purpose: ReadPurpose, need_id: int | None = None) -> int:
    """Log that `reader` read each (profile id, ReadCategory[, need id]) of `reads`, for
    `purpose` (and the need: its own, else `need_id`): one INSERT whatever their number (none
    when empty). Returns the number of entries."""
    columns = _reader_columns(reader)
    now = timezone.now()
    rows = [
        ProfileRead(
            profile_id=profile_id,
            category=category,
            purpose=purpose,
            need_id=own_need[0] if own_need else need_id,
            read_at=now,
            **columns,
        )
        for profile_id, category, *own_need in reads
    ]
    if rows:
        ProfileRead.objects.bulk_create(rows)
    return len(rows)


def profile_read_list(*, user) -> QuerySet[ProfileRead]:
    """The reads of `user`'s own profile, newest first, with who read it (one query a page)."""
    return (
        ProfileRead.objects.filter(profile__user=user)
        .select_related("reader", "partner", "need")
        .order_by("-read_at", "-pk")
    )


def retention_cutoff(now: datetime) -> datetime:
    """The same moment RETENTION_MONTHS calendar months earlier (the 31st falls back to the
    month's last day)."""
    months = now.year * 12 + now.month - 1 - RETENTION_MONTHS
    year, month = divmod(months, 12)
    month += 1
    for day in (now.day, 30, 29, 28):
        try:
            return now.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def profile_reads_purge(*, now: datetime | None = None) -> int:
    """Delete entries older than RETENTION_MONTHS. Returns how many."""
    cutoff = retention_cutoff(now or timezone.now())
    deleted, _ = ProfileRead.objects.filter(read_at__lt=cutoff).delete()
    return deleted


def profile_reads_erase(queryset, user) -> int:
    """Erasure (portal/privacy.py): the reads of the person's profile are deleted; where the
    person was the reader, the entry stays for the expert who was read, without the name."""
    deleted, _ = ProfileRead.objects.filter(profile__user=user).delete()
    blanked = ProfileRead.objects.filter(reader=user).update(reader=None)
    return deleted + blanked
