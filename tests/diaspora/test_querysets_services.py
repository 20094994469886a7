from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from diaspora.enums import CONSENT_TEXT_VERSION, ConsentPurpose
from diaspora.models import AssociationMembership, ConsentRecord, ExpertProfile
from diaspora.services import (
    association_join,
    association_leave,
    consent_set,
    profile_confirm,
    profile_formats_set,
    profile_languages_set,
    profile_save,
    profile_skills_set,
    staleness_sweep,
)
from portal.enums import EngagementFormat, Language
from portal.models import OutboxMessage
from tests.diaspora.factories import AssociationFactory, ConsentingExpertFactory, ExpertProfileFactory

pytestmark = pytest.mark.django_db


def matching_messages(profile):
    return OutboxMessage.objects.filter(task_name="matching.expert_changed", kwargs={"profile_id": profile.pk})


def test_querysets_follow_consent_activity_and_freshness():
    everything = ConsentingExpertFactory()
    matching_only = ExpertProfileFactory(consent_matching=True)
    stale = ConsentingExpertFactory(confirmed_at=timezone.now() - timedelta(days=366))
    inactive = ConsentingExpertFactory(is_active=False)
    stats_only = ExpertProfileFactory(consent_statistics=True)

    assert set(ExpertProfile.objects.matchable()) == {everything, matching_only}
    assert set(ExpertProfile.objects.contactable()) == {everything}
    assert set(ExpertProfile.objects.for_partners()) == {everything, stale}
    assert set(ExpertProfile.objects.counted_in_statistics()) == {everything, stale, inactive, stats_only}


def test_consent_set_records_each_change_and_updates_state(member_profile):
    written = consent_set(profile=member_profile, choices={"matching": True, "contact": False, "statistics": True})

    member_profile.refresh_from_db()
    assert written == 2  # contact was already withdrawn: no record for a non-change
    assert (member_profile.consent_matching, member_profile.consent_contact, member_profile.consent_statistics) == (
        True,
        False,
        True,
    )
    records = list(ConsentRecord.objects.filter(user=member_profile.user).order_by("purpose"))
    assert [(r.purpose, r.granted, r.text_version) for r in records] == [
        (ConsentPurpose.MATCHING, True, CONSENT_TEXT_VERSION),
        (ConsentPurpose.STATISTICS, True, CONSENT_TEXT_VERSION),
    ]
    assert matching_messages(member_profile).count() == 1


def test_withdrawing_matching_removes_the_profile_from_matching_at_once(member_profile):
    consent_set(profile=member_profile, choices={"matching": True})
    assert ExpertProfile.objects.matchable().filter(pk=member_profile.pk).exists()

    consent_set(profile=member_profile, choices={"matching": False})

    assert not ExpertProfile.objects.matchable().filter(pk=member_profile.pk).exists()
    assert ConsentRecord.objects.filter(user=member_profile.user).count() == 2
    assert ConsentRecord.objects.filter(user=member_profile.user).latest("recorded_at", "pk").granted is False


def test_consent_record_is_append_only(member_profile):
    consent_set(profile=member_profile, choices={"matching": True})
    record = ConsentRecord.objects.get()
    record.granted = False
    with pytest.raises(ValueError):
        record.save()


def test_profile_changes_enqueue_one_debounced_matching_job(member_profile, skills):
    profile_save(user=member_profile.user, data={"display_name": "Salma A.", "hours_per_month": 12})
    profile_skills_set(profile=member_profile, skills=[(skills[0].pk, 3, 4)])
    profile_languages_set(profile=member_profile, languages=[(Language.AR, 7)])
    profile_formats_set(profile=member_profile, formats=[EngagementFormat.CALL])

    message = matching_messages(member_profile).get()
    assert message.dedup_key == f"matching:expert:{member_profile.pk}"
    assert message.available_at > message.created_at


def test_profile_save_without_change_enqueues_nothing(member_profile):
    profile_save(user=member_profile.user, data={"display_name": member_profile.display_name})
    assert matching_messages(member_profile).count() == 0


def test_profile_skills_set_replaces_the_list(member_profile, skills):
    profile_skills_set(profile=member_profile, skills=[(skills[0].pk, 2, 1), (skills[1].pk, 4, 10)])
    profile_skills_set(profile=member_profile, skills=[(skills[1].pk, 3, 11), (skills[2].pk, 1, 0)])

    assert sorted(member_profile.skills.values_list("skill_id", "level", "years")) == sorted(
        [(skills[1].pk, 3, 11), (skills[2].pk, 1, 0)]
    )


def test_staleness_sweep_reminds_once_then_marks_stale(member_profile, django_capture_on_commit_callbacks):
    now = timezone.now()
    ExpertProfile.objects.filter(pk=member_profile.pk).update(confirmed_at=now - timedelta(days=340))
    fresh = ExpertProfileFactory(confirmed_at=now - timedelta(days=100))

    with django_capture_on_commit_callbacks(execute=True):
        first = staleness_sweep(now=now)
    with django_capture_on_commit_callbacks(execute=True):
        second = staleness_sweep(now=now + timedelta(days=1))

    assert first == {"reminded": 1, "marked_stale": 0}
    assert second == {"reminded": 0, "marked_stale": 0}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member_profile.user.email]
    fresh.refresh_from_db()
    assert fresh.stale_reminder_sent_at is None

    later = now + timedelta(days=30)
    assert staleness_sweep(now=later) == {"reminded": 0, "marked_stale": 1}
    assert staleness_sweep(now=later) == {"reminded": 0, "marked_stale": 0}
    member_profile.refresh_from_db()
    assert member_profile.is_stale is True
    assert len(mail.outbox) == 1


def test_profile_confirm_makes_a_stale_profile_matchable_again(member_profile):
    ExpertProfile.objects.filter(pk=member_profile.pk).update(
        confirmed_at=timezone.now() - timedelta(days=400), is_stale=True, consent_matching=True
    )
    member_profile.refresh_from_db()
    assert not ExpertProfile.objects.matchable().filter(pk=member_profile.pk).exists()

    profile_confirm(profile=member_profile)

    member_profile.refresh_from_db()
    assert member_profile.is_stale is False
    assert member_profile.stale_reminder_sent_at is None
    assert ExpertProfile.objects.matchable().filter(pk=member_profile.pk).exists()


def test_association_join_and_leave_are_idempotent(member):
    association = AssociationFactory()

    assert association_join(association=association, user=member) is True
    assert association_join(association=association, user=member) is False
    assert AssociationMembership.objects.filter(association=association, user=member).count() == 1
    assert association_leave(association=association, user=member) is True
    assert association_leave(association=association, user=member) is False
    assert AssociationMembership.objects.count() == 0


def test_staleness_sweep_task_is_registered_under_its_beat_name(member_profile):
    import diaspora.tasks  # noqa: F401 - the worker autodiscovers it; the test imports it
    from portal.celery import app

    ExpertProfile.objects.filter(pk=member_profile.pk).update(confirmed_at=timezone.now() - timedelta(days=370))

    result = app.tasks["diaspora.staleness_sweep"].apply().get()

    assert result == {"reminded": 0, "marked_stale": 1}
    assert ExpertProfile.objects.get(pk=member_profile.pk).is_stale is True
