"""The erasure log that a backup restore cannot roll back.

`ErasureLog` rows live in the database, so restoring a dump taken before an erasure brings
back the person *and* forgets that they were erased. This file is the durable copy: one JSON
line per erasure, `{"user_id", "profile_id", "user_joined_at", "erased_at"}` — ids and dates
only, nothing that names anyone — appended and fsync'd after the erasure's transaction commits, on a path configured
apart from the database (`settings.JUSUR_ERASURE_LOG`). `manage.py replay_erasures` reads it.

Crash window: if the process dies between the database commit and the append, the erasure is
done but missing from the file. `erasures_replay` closes it the next time it runs on the live
database (it appends every `ErasureLog` row missing from the file before replaying), so run
it once after any crash or deploy, and always after a restore (docs/operations.md).
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from portal.privacy import personal_data_erase

from .models import ErasureLog, ExpertProfile


def erasure_log_path() -> Path:
    return Path(settings.JUSUR_ERASURE_LOG)


def erasure_log_append(*, entries: list[dict]) -> None:
    """Append `entries` ({"user_id", "profile_id", "user_joined_at", "erased_at"}) and fsync. The file is opened
    in append mode (O_APPEND): concurrent writers on one host never overwrite each other."""
    if not entries:
        return
    path = erasure_log_path()
    created = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(_line(e), sort_keys=True) + "\n" for e in entries)
    if not created and not _ends_with_newline(path):
        lines = "\n" + lines  # a write torn by a crash stays an unreadable line of its own
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, lines.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:  # the new directory entry must survive a crash too
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        if handle.seek(0, os.SEEK_END) == 0:
            return True
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def _line(entry: dict) -> dict:
    erased_at = entry["erased_at"]
    joined = entry.get("user_joined_at")
    return {
        "user_id": int(entry["user_id"]),
        "profile_id": int(entry["profile_id"]) if entry.get("profile_id") else None,
        "user_joined_at": joined.isoformat() if isinstance(joined, datetime) else joined,
        "erased_at": erased_at.isoformat() if isinstance(erased_at, datetime) else str(erased_at),
    }


def erasure_log_read() -> list[dict]:
    """Every entry of the file, oldest first. A line that is not a complete entry (a write torn
    by a crash) is skipped: it never names an id that was not erased."""
    path = erasure_log_path()
    if not path.exists():
        return []
    entries = []
    with path.open(encoding="utf-8") as handle:
        for raw in handle:
            try:
                entry = json.loads(raw)
                entries.append(
                    {
                        "user_id": int(entry["user_id"]),
                        "profile_id": int(entry["profile_id"]) if entry.get("profile_id") else None,
                        "user_joined_at": entry.get("user_joined_at"),
                        "erased_at": entry["erased_at"],
                    }
                )
            except (ValueError, KeyError, TypeError):
                continue
    return entries


def erasures_replay() -> int:
    """After a backup restore: erase again every account of the erasure log (the file, and the
    database's `ErasureLog` rows) that came back. Idempotent. Returns the number of accounts
    erased again.

    An id is erased again only if the account behind it is the one that was erased (same
    creation time): a restore rewinds the id sequences, so a new member may have been given
    the id of someone erased after the backup was taken. Then the sequences are moved past
    every logged id, so that no new account takes one of them again."""
    in_file = erasure_log_read()
    known = {(e["user_id"], e["profile_id"]) for e in in_file}
    # Rows committed but never appended (the crash window): into the file first.
    missing = [
        {
            "user_id": log.user_id,
            "profile_id": log.profile_id,
            "user_joined_at": log.user_joined_at,
            "erased_at": log.erased_at,
        }
        for log in ErasureLog.objects.order_by("pk")
        if (log.user_id, log.profile_id) not in known
    ]
    erasure_log_append(entries=missing)
    entries = [*in_file, *missing]
    User = get_user_model()
    count = 0
    for entry in entries:
        user = User.objects.filter(pk=entry["user_id"]).first()
        joined = _when(entry.get("user_joined_at"))
        with transaction.atomic():
            if user is not None and (joined is None or user.date_joined == joined):
                personal_data_erase(user)  # the profile with it
                count += 1
            # The restored database forgot this erasure: log it there again.
            logs = ErasureLog.objects.filter(user_id=entry["user_id"], profile_id=entry["profile_id"])
            if not logs.exists():
                ErasureLog.objects.create(
                    user_id=entry["user_id"],
                    profile_id=entry["profile_id"],
                    user_joined_at=joined,
                    erased_at=_when(entry["erased_at"]) or timezone.now(),
                )
            logs.update(replayed_at=timezone.now())
    _sequences_past(
        {
            User: max((e["user_id"] for e in entries), default=0),
            ExpertProfile: max((e["profile_id"] or 0 for e in entries), default=0),
        }
    )
    return count


def _sequences_past(last_ids: dict) -> None:
    """PostgreSQL: the next id of each model's table is above `last_ids[model]` (never lower
    than it already was). SQLite (the demo) never reuses an AUTOINCREMENT id it handed out."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model, last_id in last_ids.items():
            if last_id:
                table = model._meta.db_table
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    "GREATEST(%s, nextval(pg_get_serial_sequence(%s, 'id'))))",
                    [table, last_id, table],
                )


def _when(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
