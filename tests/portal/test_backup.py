"""The backup and restore procedure of docs/operations.md, run for real (issue 15): the shipped
scripts/backup.sh and scripts/restore.sh against a scratch copy of the test database, with
PostgreSQL's own pg_dump and pg_restore.

dump (+ media) → changes after it, an erasure among them → restore into a NEW database (+ media
into a new folder) → erasures replayed from the log file → the erased member is gone again, CV
included, and everything else is as it was dumped."""

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.db import connection

from diaspora.models import ExpertProfile
from diaspora.services import account_erase
from portal.enums import Role
from tests.diaspora.factories import ExpertProfileFactory
from tests.factories import UserFactory
from tests.workers import database_url

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = "/usr/lib/postgresql/15/bin"
PDF = b"%PDF-1.4\n% a CV\n"


def _pg_bin_dir() -> str:
    if not Path(PG_BIN, "pg_restore").exists() and shutil.which("pg_restore") is None:
        pytest.skip("PostgreSQL's client tools are not installed")
    return PG_BIN


def _run(script: str, *args: str, **env: str) -> str:
    base = {
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", "/tmp"),
        "PG_BIN": _pg_bin_dir(),
        "PYTHON": sys.executable,
    }
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / script), *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _query(url: str, sql: str, params=()) -> list[tuple]:
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    conn.close()
    return rows


def _admin(sql: str) -> None:
    conn = psycopg2.connect(database_url().rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


def _snapshot(url: str) -> dict:
    """What "as dumped" is compared on: row counts, and the members' own rows."""
    tables = ["portal_user", "diaspora_expertprofile", "regions_region", "regions_commune", "taxonomy_skill"]
    counts = {table: _query(url, f"SELECT count(*) FROM {table}")[0][0] for table in tables}  # noqa: S608 - fixed names
    profiles = _query(url, "SELECT id, user_id, display_name, cv FROM diaspora_expertprofile ORDER BY id")
    return {"counts": counts, "profiles": profiles}


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_a_new_database_replays_the_erasures(
    territories, tmp_path, settings, erasure_log_file
):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump / pg_restore are PostgreSQL's")
    settings.MEDIA_ROOT = tmp_path / "media"
    erased = ExpertProfileFactory(user=UserFactory(role=Role.MEMBER), display_name="Nadia Erased")
    erased.cv.save("cv.pdf", ContentFile(PDF + b"nadia"))
    kept = ExpertProfileFactory(user=UserFactory(role=Role.MEMBER), display_name="Karim Kept")
    kept.cv.save("cv.pdf", ContentFile(PDF + b"karim"))
    live_url = database_url()
    dumped = _snapshot(live_url)

    # 1. The backup, taken while the site runs.
    backup = Path(_run("backup.sh", str(tmp_path / "backups"), DATABASE_URL=live_url,
                       JUSUR_MEDIA_ROOT=str(settings.MEDIA_ROOT)).strip().splitlines()[-1])  # fmt: skip
    assert sorted(p.name for p in backup.iterdir()) == ["SHA256SUMS", "jusur.dump", "media.tar.gz"]

    # 2. Life goes on: the member erases their account (the real service, committed: its CV file
    # is deleted and its ids go to the erasure log file), another edits, a newcomer signs up.
    account_erase(user=erased.user)
    ExpertProfile.objects.filter(pk=kept.pk).update(display_name="Karim Changed After The Backup")
    UserFactory(role=Role.MEMBER)
    assert not Path(erased.cv.path).exists()
    assert erasure_log_file.read_text().count("\n") == 1

    # 3. Disaster; restore into a new database and a new media folder.
    restored_db = f"{connection.settings_dict['NAME']}_restored"
    restored_url = live_url.rsplit("/", 1)[0] + "/" + restored_db
    restored_media = tmp_path / "media-restored"
    _admin(f'DROP DATABASE IF EXISTS "{restored_db}"')
    _admin(
        f"CREATE DATABASE \"{restored_db}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
    )
    try:
        output = _run(
            "restore.sh",
            str(backup),
            DATABASE_URL=restored_url,
            JUSUR_MEDIA_ROOT=str(restored_media),
            JUSUR_ERASURE_LOG=str(erasure_log_file),
            DJANGO_SECRET_KEY="test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"),
        )
        restored = _snapshot(restored_url)
        erasures = _query(restored_url, "SELECT user_id, profile_id FROM diaspora_erasurelog")
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{restored_db}"')

    # 4. The erased member is gone again, with their CV; the rest is exactly as dumped.
    assert "replay_erasures: 1 account(s) erased again" in output
    assert output.strip().endswith("restore: done")
    assert erasures == [(erased.user_id, erased.pk)]
    assert [row for row in restored["profiles"] if row[0] == erased.pk] == []
    assert restored["profiles"] == [row for row in dumped["profiles"] if row[0] != erased.pk]
    assert (kept.pk, kept.user_id, "Karim Kept", kept.cv.name) in restored["profiles"]
    assert restored["counts"] == {
        **dumped["counts"],
        "portal_user": dumped["counts"]["portal_user"] - 1,
        "diaspora_expertprofile": dumped["counts"]["diaspora_expertprofile"] - 1,
    }
    # CVs live under MEDIA_ROOT/private (diaspora/storage.py).
    assert (restored_media / "private" / kept.cv.name).read_bytes() == PDF + b"karim"
    assert not (restored_media / "private" / erased.cv.name).exists()
    with tarfile.open(backup / "media.tar.gz") as archive:  # the backup did hold it
        assert f"./private/{erased.cv.name}" in archive.getnames()
