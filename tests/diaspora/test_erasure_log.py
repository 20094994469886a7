"""The erasure log outside the database (settings.JUSUR_ERASURE_LOG) and its replay."""

import io
import json
import shutil
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from diaspora.erasure_log import erasure_log_read, erasures_replay
from diaspora.models import ErasureLog, ExpertProfile
from diaspora.services import account_erase
from portal.enums import Role
from tests.diaspora.factories import ExpertProfileFactory
from tests.factories import UserFactory
from tests.matching.factories import need

User = get_user_model()


def _restore_rows(user_pk, profile_pk, email, joined):
    """What a backup taken before the erasure brings back: the rows, with their ids, and not
    the ErasureLog row (it was written after the dump)."""
    ErasureLog.objects.all().delete()
    restored = User.objects.create(pk=user_pk, email=email, date_joined=joined)
    ExpertProfileFactory(pk=profile_pk, user=restored)


def test_erasure_appends_ids_only_to_the_file_after_commit(
    member_profile, erasure_log_file, django_capture_on_commit_callbacks
):
    user_pk, profile_pk = member_profile.user.pk, member_profile.pk

    with django_capture_on_commit_callbacks(execute=True):
        log = account_erase(user=member_profile.user)

    lines = erasure_log_file.read_text().splitlines()
    assert [json.loads(line) for line in lines] == [
        {
            "user_id": user_pk,
            "profile_id": profile_pk,
            "user_joined_at": member_profile.user.date_joined.isoformat(),
            "erased_at": log.erased_at.isoformat(),
        }
    ]
    assert "Salma" not in erasure_log_file.read_text()
    assert erasure_log_file.stat().st_mode & 0o777 == 0o600


def test_refused_erasure_writes_nothing_to_the_file(official_a, erasure_log_file, django_capture_on_commit_callbacks):
    need(owner=official_a)  # an official who owns a need cannot be erased yet

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        account_erase(user=official_a)

    assert not erasure_log_file.exists()
    assert User.objects.filter(pk=official_a.pk).exists()
    assert ErasureLog.objects.count() == 0


def test_replay_reads_the_file_when_the_restored_database_forgot_the_erasure(
    member_profile, django_capture_on_commit_callbacks
):
    user_pk, profile_pk, email = member_profile.user.pk, member_profile.pk, member_profile.user.email
    joined = member_profile.user.date_joined
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=member_profile.user)
    _restore_rows(user_pk, profile_pk, email, joined)

    out = io.StringIO()
    call_command("replay_erasures", stdout=out)

    assert "1 account(s) erased again" in out.getvalue()
    assert not User.objects.filter(pk=user_pk).exists()
    assert not ExpertProfile.objects.filter(pk=profile_pk).exists()
    # The database's own log has the erasure again.
    assert list(ErasureLog.objects.values_list("user_id", "profile_id")) == [(user_pk, profile_pk)]
    assert ErasureLog.objects.get().replayed_at is not None


def test_replay_twice_erases_nothing_the_second_time(member_profile, django_capture_on_commit_callbacks):
    user_pk, profile_pk, email = member_profile.user.pk, member_profile.pk, member_profile.user.email
    joined = member_profile.user.date_joined
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=member_profile.user)
    _restore_rows(user_pk, profile_pk, email, joined)

    assert erasures_replay() == 1
    assert erasures_replay() == 0
    assert ErasureLog.objects.count() == 1
    assert len(erasure_log_read()) == 1


def test_replay_leaves_alone_a_new_account_given_an_erased_id(member_profile, django_capture_on_commit_callbacks):
    # Erased after the backup; the restore rewound the id sequence; a new member signed up
    # and was given the same id (and could be given the same profile id).
    user_pk, profile_pk = member_profile.user.pk, member_profile.pk
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=member_profile.user)
    ErasureLog.objects.all().delete()
    newcomer = User.objects.create(pk=user_pk, email="newcomer@example.org")
    ExpertProfileFactory(pk=profile_pk, user=newcomer)

    assert erasures_replay() == 0

    assert User.objects.filter(pk=user_pk, email="newcomer@example.org").exists()
    assert ExpertProfile.objects.filter(pk=profile_pk, user=newcomer).exists()


def test_replay_appends_an_erasure_the_crash_window_left_out_of_the_file(member_profile, erasure_log_file):
    # No on_commit callback runs here: as if the process died right after the commit.
    user_pk, profile_pk = member_profile.user.pk, member_profile.pk
    account_erase(user=member_profile.user)
    assert not erasure_log_file.exists()

    erasures_replay()

    assert [(e["user_id"], e["profile_id"]) for e in erasure_log_read()] == [(user_pk, profile_pk)]


def test_a_torn_line_is_skipped_and_the_next_append_starts_a_new_line(
    member, erasure_log_file, django_capture_on_commit_callbacks
):
    erasure_log_file.write_text('{"user_id": 99999, "profile_')  # a write cut by a crash
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=member)

    assert [e["user_id"] for e in erasure_log_read()] == [member.pk]
    assert len(erasure_log_file.read_text().splitlines()) == 2


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/lib/postgresql/15/bin")
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def _pg_args(settings_dict) -> list[str]:
    args = ["-h", settings_dict["HOST"] or "127.0.0.1", "-p", str(settings_dict["PORT"] or 5432)]
    if settings_dict["USER"]:
        args += ["-U", settings_dict["USER"]]
    return args


@pytest.mark.django_db(transaction=True)
def test_backup_erase_restore_replay_on_postgresql(territories, tmp_path, erasure_log_file):
    if connection.vendor != "postgresql":
        pytest.skip("the backup cycle is PostgreSQL's (pg_dump / pg_restore)")
    member = UserFactory(role=Role.MEMBER, email="restored@example.org")
    profile = ExpertProfileFactory(user=member, display_name="Nadia Restored")
    user_pk, profile_pk = member.pk, profile.pk
    settings_dict = connection.settings_dict
    env = {"PGPASSWORD": settings_dict["PASSWORD"] or "", "PATH": "/usr/bin:/bin"}
    dump = tmp_path / "backup.dump"
    # 1. The nightly backup, taken before the erasure.
    subprocess.run(
        [_pg_tool("pg_dump"), *_pg_args(settings_dict), "-Fc", "-f", str(dump), settings_dict["NAME"]],
        check=True,
        env=env,
    )

    # 2. The member erases their account through the real service (committed for real); so
    # does someone who joined after the backup.
    account_erase(user=member)
    latecomer = UserFactory(role=Role.MEMBER)
    latecomer_profile_pk = ExpertProfileFactory(user=latecomer).pk
    account_erase(user=latecomer)
    assert not User.objects.filter(pk=user_pk).exists()
    assert len(erasure_log_read()) == 2

    # 3. The backup is restored over the database: the member and their profile come back, and
    # the database's own erasure log forgets them.
    connection.close()
    subprocess.run(
        [
            _pg_tool("pg_restore"),
            *_pg_args(settings_dict),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "-d",
            settings_dict["NAME"],
            str(dump),
        ],
        check=True,
        env=env,
    )
    assert User.objects.filter(pk=user_pk).exists()
    assert ExpertProfile.objects.get(pk=profile_pk).display_name == "Nadia Restored"
    assert ErasureLog.objects.count() == 0

    # 4. The replay, from the file the restore did not touch.
    call_command("replay_erasures", stdout=io.StringIO())

    assert not User.objects.filter(pk=user_pk).exists()
    assert not ExpertProfile.objects.filter(pk=profile_pk).exists()
    assert list(ErasureLog.objects.order_by("pk").values_list("user_id", flat=True)) == [user_pk, latecomer.pk]
    # The restore rewound the id sequences; the replay moved them past every erased id.
    newcomer = UserFactory(role=Role.MEMBER)
    assert newcomer.pk > latecomer.pk
    assert ExpertProfileFactory(user=newcomer).pk > latecomer_profile_pk
