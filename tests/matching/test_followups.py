"""No silent dead ends: reminders, escalations, closure notices, interests folded, digest."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from matching import services
from matching.enums import MatchStatus
from matching.models import Match
from regions.enums import NeedStatus
from regions.models import NeedInterest
from tests.matching.factories import SkillFactory, expert, need

pytestmark = pytest.mark.django_db


@pytest.fixture
def skill(taxonomy):
    return SkillFactory()


@pytest.fixture
def invited(skill, official_a):
    profile = expert(skills=[skill])
    need_obj = need(skills=[skill], owner=official_a, response_deadline=timezone.localdate() + timedelta(days=2))
    services.full_rematch()
    match = Match.objects.get()
    services.match_invite(match=match, by=official_a)
    mail.outbox.clear()
    return match, profile, need_obj


def test_reminder_then_escalation_each_sent_once(invited, official_a, django_capture_on_commit_callbacks):
    _match, profile, _need = invited
    today = timezone.localdate()

    with django_capture_on_commit_callbacks(execute=True):
        first = services.invitations_remind(today=today)
        again = services.invitations_remind(today=today)
        late = services.invitations_remind(today=today + timedelta(days=5))
        late_again = services.invitations_remind(today=today + timedelta(days=6))

    assert (first, again, late, late_again) == (1, 0, 1, 0)
    assert [m.to for m in mail.outbox] == [[profile.user.email], [official_a.email]]


def test_experts_told_when_need_closes(invited, django_capture_on_commit_callbacks):
    _match, profile, need_obj = invited
    need_obj.status = NeedStatus.FULFILLED
    need_obj.save(update_fields=["status"])

    with django_capture_on_commit_callbacks(execute=True):
        services.need_rematch(need_id=need_obj.pk)
        services.need_rematch(need_id=need_obj.pk)

    assert [m.to for m in mail.outbox] == [[profile.user.email]]
    assert Match.objects.get().status == MatchStatus.INVITED


def test_interest_folded_into_the_list_flagged(skill, official_a):
    ranked = expert(skills=[skill])
    volunteer = expert(skills=[])
    need_obj = need(skills=[skill], owner=official_a)
    NeedInterest.objects.create(need=need_obj, user=ranked.user)
    NeedInterest.objects.create(need=need_obj, user=volunteer.user)

    services.need_rematch(need_id=need_obj.pk)

    assert sorted(Match.objects.values_list("profile_id", "rank", "interested")) == sorted(
        [(ranked.pk, 1, True), (volunteer.pk, None, True)]
    )


def test_weekly_digest_lists_matching_needs_once(skill, official_a, django_capture_on_commit_callbacks):
    profile = expert(skills=[skill])
    other = expert(skills=[])
    need_obj = need(skills=[skill], owner=official_a)
    services.digest_subscribe(user=profile.user, subscribed=True)
    services.digest_subscribe(user=other.user, subscribed=True)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.weekly_digest_send()
        second = services.weekly_digest_send()

    assert (first, second) == (1, 0)
    assert [m.to for m in mail.outbox] == [[profile.user.email]]
    assert need_obj.title in mail.outbox[0].body
    assert need_obj.region.name_fr in mail.outbox[0].body
    # The way out is a link in the member's language, to the page that turns the digest off.
    assert f"{settings.JUSUR_SITE_URL}/fr/matching/digest/" in mail.outbox[0].body
    assert Client().get("/fr/matching/digest/").status_code == 302  # behind sign-in, as it must be
