"""Who saw my profile: reads are logged in bulk, shown to the expert only, purged after 24
months, erased with the person; staff read the log only in the admin, and that is logged."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from diaspora.access_log import profile_reads_purge, profile_reads_record, retention_cutoff
from diaspora.enums import ReadCategory, ReadPurpose
from diaspora.models import ProfileRead
from diaspora.services import account_erase
from diaspora.tasks import profile_reads_purge_task
from matching import services as matching_services
from matching.enums import MatchStatus
from matching.models import Match
from portal.enums import Role
from portal.privacy import personal_data_export
from regions.services import need_interest_express
from tests.factories import UserFactory
from tests.matching.factories import SkillFactory, expert, need

pytestmark = pytest.mark.django_db


@pytest.fixture
def skill(taxonomy):
    return SkillFactory()


@pytest.fixture
def read_by_official(member_profile, official_a):
    profile_reads_record(
        reader=official_a, reads=[(member_profile.pk, ReadCategory.PROFILE)], purpose=ReadPurpose.EXPERT_SEARCH
    )
    return ProfileRead.objects.get()


def _rows():
    return list(
        ProfileRead.objects.order_by("profile_id", "pk").values_list(
            "profile_id", "reader_id", "reader_role", "partner_id", "category", "purpose", "need_id"
        )
    )


# --- What is logged --------------------------------------------------------------------


def test_candidate_list_logs_each_candidate_with_contact_when_it_is_shown(skill, official_a, client_for):
    invited, other = expert(skills=[skill]), expert(skills=[skill])
    need_obj = need(skills=[skill], owner=official_a)
    matching_services.full_rematch()
    Match.objects.filter(need=need_obj, profile=invited).update(status=MatchStatus.ACCEPTED)

    response = client_for(official_a).get(reverse("matching:candidate_list", kwargs={"need_id": need_obj.pk}))

    assert response.status_code == 200
    assert invited.user.email in response.content.decode()  # the contact details were shown
    assert _rows() == [
        (invited.pk, official_a.pk, Role.OFFICIAL, None, ReadCategory.CONTACT, ReadPurpose.CANDIDATES, need_obj.pk),
        (other.pk, official_a.pk, Role.OFFICIAL, None, ReadCategory.PROFILE, ReadPurpose.CANDIDATES, need_obj.pk),
    ]


def test_refused_candidate_list_logs_nothing(skill, official_a, official_b, client_for):
    expert(skills=[skill])
    need_obj = need(skills=[skill], owner=official_a)
    matching_services.full_rematch()

    response = client_for(official_b).get(reverse("matching:candidate_list", kwargs={"need_id": need_obj.pk}))

    assert response.status_code == 403
    assert ProfileRead.objects.count() == 0


def test_expert_directory_logs_each_card_shown(skill, coordinator, client_for):
    shown = [expert(skills=[skill]) for _ in range(3)]

    response = client_for(coordinator).get("/fr/diaspora/experts/")

    assert response.status_code == 200
    assert _rows() == [
        (p.pk, coordinator.pk, Role.COORDINATOR, None, ReadCategory.PROFILE, ReadPurpose.EXPERT_SEARCH, None)
        for p in sorted(shown, key=lambda p: p.pk)
    ]


def test_expert_directory_refused_to_a_member_logs_nothing(skill, member, client_for):
    expert(skills=[skill])

    assert client_for(member).get("/fr/diaspora/experts/").status_code == 403
    assert ProfileRead.objects.count() == 0


def test_need_page_logs_the_offers_of_help_it_shows_to_officials(skill, official_a, client_for, client):
    need_obj = need(skills=[skill], owner=official_a)
    volunteer = expert(skills=[skill])
    need_interest_express(need=need_obj, user=volunteer.user, message="Je peux aider")
    need_interest_express(need=need_obj, user=UserFactory(role=Role.MEMBER))  # no profile: nothing to log

    assert client.get(need_obj.get_absolute_url()).status_code == 200  # the public page shows no one
    assert ProfileRead.objects.count() == 0
    page = client_for(official_a).get(need_obj.get_absolute_url()).content.decode()

    assert "Je peux aider" in page
    assert _rows() == [
        (
            volunteer.pk,
            official_a.pk,
            Role.OFFICIAL,
            None,
            ReadCategory.INTEREST,
            ReadPurpose.NEED_INTERESTS,
            need_obj.pk,
        )
    ]


def test_record_writes_nothing_for_an_empty_page(official_a, django_assert_num_queries):
    with django_assert_num_queries(0):
        count = profile_reads_record(reader=official_a, reads=[], purpose=ReadPurpose.EXPERT_SEARCH)
    assert count == 0


def test_record_is_one_insert_for_many_rows(skill, official_a, django_assert_num_queries):
    profiles = [expert(skills=[skill]) for _ in range(20)]

    with django_assert_num_queries(1):  # the bulk INSERT
        profile_reads_record(
            reader=official_a, reads=[(p.pk, ReadCategory.PROFILE) for p in profiles], purpose=ReadPurpose.EXPORT
        )

    assert ProfileRead.objects.count() == 20


# --- The privacy centre ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "heading", "role"),
    [("fr", "Qui a vu mon profil", "Responsable régional"), ("ar", "من اطلع على ملفي", "مسؤول جهوي"),
     ("en", "Who saw my profile", "Regional official")],
)  # fmt: skip
def test_member_sees_their_own_log(language, heading, role, read_by_official, member, official_a, client_for):
    response = client_for(member).get(f"/{language}/diaspora/me/privacy/reads/")

    page = response.content.decode()
    assert response.status_code == 200
    assert heading in page
    assert official_a.full_name in page
    assert role in page
    assert [r.pk for r in response.context["reads"]] == [read_by_official.pk]


def test_privacy_centre_links_to_the_log(member, client_for):
    page = client_for(member).get("/en/diaspora/me/privacy/").content.decode()
    assert reverse("diaspora:privacy_reads") in page


def test_others_never_see_someone_elses_log(read_by_official, official_a, coordinator, client_for):
    other_member = UserFactory(role=Role.MEMBER)
    for persona in (other_member, official_a, coordinator):
        response = client_for(persona).get("/en/diaspora/me/privacy/reads/")
        assert response.status_code == 200
        assert list(response.context["reads"]) == []  # their own (empty) log, never the member's
    assert ProfileRead.objects.count() == 1


def test_anonymous_visitor_is_sent_to_sign_in(client, read_by_official):
    response = client.get("/en/diaspora/me/privacy/reads/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_log_is_part_of_the_export(read_by_official, member):
    rows = personal_data_export(member)["models"]["diaspora.ProfileRead"]
    assert [(r["reader_id"], r["category"], r["purpose"]) for r in rows] == [
        (read_by_official.reader_id, ReadCategory.PROFILE, ReadPurpose.EXPERT_SEARCH)
    ]


# --- The admin -------------------------------------------------------------------------


def _admin_urls(entry):
    return [
        reverse("admin:diaspora_profileread_changelist"),
        reverse("admin:diaspora_profileread_change", args=[entry.pk]),
    ]


def test_officials_coordinators_and_members_cannot_read_the_log_in_the_admin(
    read_by_official, official_a, coordinator, client_for
):
    other_member = UserFactory(role=Role.MEMBER)
    for persona in (other_member, official_a, coordinator):
        for url in _admin_urls(read_by_official):
            response = client_for(persona).get(url)
            assert response.status_code == 302
            assert "/admin/login/" in response["Location"]
    assert ProfileRead.objects.count() == 1


def test_staff_without_the_permission_get_403_and_nothing_is_logged(read_by_official, client_for):
    staff = UserFactory(role=Role.ADMIN, is_staff=True)
    for url in _admin_urls(read_by_official):
        assert client_for(staff).get(url).status_code == 403
    assert ProfileRead.objects.count() == 1


@pytest.mark.parametrize(
    ("admin_page", "shown", "category"),
    [
        ("diaspora_profileread", "read_by_official", ReadCategory.READ_LOG),
        ("diaspora_expertprofile", "member_profile", ReadCategory.PROFILE),
    ],
)
def test_staff_reading_experts_data_in_the_admin_is_logged(
    request, member_profile, client_for, admin_page, shown, category
):
    admin_user = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = client_for(admin_user)
    obj = request.getfixturevalue(shown)

    assert client.get(reverse(f"admin:{admin_page}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{admin_page}_change", args=[obj.pk])).status_code == 200

    logged = list(
        ProfileRead.objects.filter(reader=admin_user).values_list("profile_id", "category", "purpose", "reader_role")
    )
    entry = (member_profile.pk, category, ReadPurpose.ADMINISTRATION, Role.ADMIN)
    assert logged == [entry, entry]


def test_the_admin_log_is_read_only(read_by_official, client_for):
    client = client_for(UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True))
    change = reverse("admin:diaspora_profileread_change", args=[read_by_official.pk])
    delete = reverse("admin:diaspora_profileread_delete", args=[read_by_official.pk])

    assert client.get(reverse("admin:diaspora_profileread_add")).status_code == 403
    assert client.post(change, {"category": ReadCategory.CONTACT}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    read_by_official.refresh_from_db()
    assert read_by_official.category == ReadCategory.PROFILE


# --- Retention and erasure -------------------------------------------------------------


def test_purge_deletes_entries_older_than_24_months(member_profile, official_a):
    now = timezone.now()
    profile_reads_record(reader=official_a, reads=[(member_profile.pk, ReadCategory.PROFILE)] * 3, purpose="export")
    old, edge, recent = ProfileRead.objects.order_by("pk")
    ProfileRead.objects.filter(pk=old.pk).update(read_at=retention_cutoff(now) - timedelta(seconds=1))
    ProfileRead.objects.filter(pk=edge.pk).update(read_at=retention_cutoff(now) + timedelta(seconds=1))

    assert profile_reads_purge(now=now) == 1
    assert sorted(ProfileRead.objects.values_list("pk", flat=True)) == [edge.pk, recent.pk]


def test_purge_task_is_scheduled_and_purges(member_profile, official_a):
    profile_reads_record(reader=official_a, reads=[(member_profile.pk, ReadCategory.PROFILE)], purpose="export")
    ProfileRead.objects.update(read_at=timezone.now() - timedelta(days=800))

    assert profile_reads_purge_task.delay().get() == 1
    assert ProfileRead.objects.count() == 0
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert profile_reads_purge_task.name == "diaspora.profile_reads_purge"
    assert "diaspora.profile_reads_purge" in names


def test_retention_cutoff_is_24_calendar_months():
    cutoff = retention_cutoff(datetime(2026, 3, 31, 12, 0, tzinfo=UTC))
    assert cutoff == datetime(2024, 3, 31, 12, 0, tzinfo=UTC)
    leap = retention_cutoff(datetime(2026, 2, 28, 8, 0, tzinfo=UTC))
    assert leap == datetime(2024, 2, 28, 8, 0, tzinfo=UTC)
    assert retention_cutoff(datetime(2025, 2, 28, tzinfo=UTC)).date().isoformat() == "2023-02-28"


def test_retention_cutoff_falls_back_to_the_months_last_day():
    # 24 months before 29 February 2028 is 29 February 2026, which does not exist.
    assert retention_cutoff(datetime(2028, 2, 29, tzinfo=UTC)).date().isoformat() == "2026-02-28"


def test_erasing_the_expert_removes_their_entries(read_by_official, member_profile):
    account_erase(user=member_profile.user)
    assert ProfileRead.objects.count() == 0


def test_erasing_the_reader_keeps_the_entry_without_their_name(read_by_official, member, official_a, client_for):
    account_erase(user=official_a)

    read_by_official.refresh_from_db()
    assert (read_by_official.reader_id, read_by_official.reader_role) == (None, Role.OFFICIAL)
    page = client_for(member).get("/en/diaspora/me/privacy/reads/").content.decode()
    assert "An account since deleted" in page
