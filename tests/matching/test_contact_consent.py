"""Contact details of an accepted match follow the expert's contact consent at every read
(issue 13, item 2): the candidate page, the API and the e-mails, by persona."""

import pytest
from django.urls import reverse

from diaspora.services import consent_set
from matching import selectors, services
from matching.enums import MatchStatus
from matching.models import Match
from portal.models import Notification, OutboxMessage
from tests.matching.factories import SkillFactory, expert, need

pytestmark = pytest.mark.django_db

PHONE = "+33 6 11 22 33 44"


@pytest.fixture
def accepted(taxonomy, official_a):
    skill = SkillFactory()
    profile = expert(skills=[skill], phone=PHONE)
    need_obj = need(skills=[skill], owner=official_a)
    services.full_rematch()
    match = Match.objects.get(profile=profile, need=need_obj)
    services.match_invite(match=match, by=official_a, message="Salam")
    services.match_respond(match=match, by=profile.user, accept=True)
    return Match.objects.select_related("need", "profile__user").get(pk=match.pk)


def _page(client, match) -> tuple[int, str]:
    response = client.get(reverse("matching:candidate_list", kwargs={"need_id": match.need_id}))
    return response.status_code, response.content.decode()


def test_candidate_page_shows_contact_until_the_expert_withdraws_contact_consent(accepted, official_a, client_for):
    email = accepted.profile.user.email
    _, before = _page(client_for(official_a), accepted)

    consent_set(profile=accepted.profile, choices={"contact": False})
    status, after = _page(client_for(official_a), accepted)

    assert (email in before, PHONE in before) == (True, True)
    assert status == 200
    assert f'id="match-{accepted.pk}"' in after  # still a candidate (matching consent holds)
    assert (email in after, PHONE in after, 'class="contact"' in after) == (False, False, False)
    assert Match.objects.get(pk=accepted.pk).status == MatchStatus.ACCEPTED  # nothing else changed


def test_match_contact_is_none_once_contact_consent_is_withdrawn(accepted, official_a):
    consent_set(profile=accepted.profile, choices={"contact": False})

    assert selectors.match_contact(match=accepted, user=official_a) is None


def test_contact_comes_back_when_consent_is_given_again(accepted, official_a, client_for):
    consent_set(profile=accepted.profile, choices={"contact": False})
    consent_set(profile=accepted.profile, choices={"contact": True})

    _, page = _page(client_for(official_a), accepted)

    assert accepted.profile.user.email in page


def test_other_personas_never_see_the_contact(accepted, official_b, member, partner_user, client_for, client):
    email = accepted.profile.user.email

    answers = {
        "official_b": _page(client_for(official_b), accepted),
        "member": _page(client_for(member), accepted),
        "partner": _page(client_for(partner_user), accepted),
        "anonymous": _page(client, accepted),
    }

    assert {name: status for name, (status, _) in answers.items()} == {
        "official_b": 403,
        "member": 403,
        "partner": 403,
        "anonymous": 302,
    }
    assert not any(email in body or PHONE in body for _, body in answers.values())


def test_matches_api_never_carries_contact_details(accepted, official_a, client_for):
    body = client_for(official_a).get("/api/v1/matches/").content.decode()

    assert str(accepted.pk) in body
    assert accepted.profile.user.email not in body and PHONE not in body


def test_queued_emails_carry_no_contact_details(accepted):
    # The owner's "accepted" e-mail is rendered later by a worker: nothing queued for it, nor
    # its notification, may be a contact detail that could outlive a withdrawal.
    queued = str(list(OutboxMessage.objects.values_list("kwargs", flat=True)))
    notification = Notification.objects.get(template="matching/emails/accepted")
    stored = str([notification.refs, notification.params, notification.url])

    assert queued and f"'notification_id': {notification.pk}" in queued
    for text in (queued, stored):
        assert accepted.profile.user.email not in text and PHONE not in text


@pytest.mark.parametrize("n_accepted", [1, 6])
def test_candidate_page_with_accepted_matches_has_constant_queries(
    taxonomy, official_a, client_for, django_assert_num_queries, n_accepted
):
    skill = SkillFactory()
    need_obj = need(skills=[skill], owner=official_a)
    profiles = [expert(skills=[skill]) for _ in range(n_accepted)]
    services.full_rematch()
    for match in Match.objects.filter(need=need_obj):
        services.match_invite(match=match, by=official_a)
        services.match_respond(match=match, by=match.profile.user, accept=True)
    client = client_for(official_a)
    first = Match.objects.filter(need=need_obj).first()

    # session, user, need, the user's regions, candidates, skill labels, contact details, the
    # "not for me" counts, and one bulk INSERT into the read log (diaspora.access_log)
    with django_assert_num_queries(9):
        status, page = _page(client, first)

    assert status == 200
    assert page.count('class="contact"') == len(profiles)
