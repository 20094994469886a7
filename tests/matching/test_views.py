"""Pages: the owner's candidate list, invitations; permissions by persona; constant queries."""

import pytest
from django.urls import reverse

from matching import services
from matching.enums import MatchStatus
from matching.models import Match
from tests.matching.factories import SkillFactory, expert, need

pytestmark = pytest.mark.django_db


@pytest.fixture
def skill(taxonomy):
    return SkillFactory()


def _candidates(need_obj):
    return reverse("matching:candidate_list", kwargs={"need_id": need_obj.pk})


@pytest.mark.parametrize("n_experts", [1, 12])
def test_candidate_list_constant_queries(skill, official_a, client_for, django_assert_num_queries, n_experts):
    for _ in range(n_experts):
        expert(skills=[skill])
    need_obj = need(skills=[skill], owner=official_a)
    services.full_rematch()
    client = client_for(official_a)

    # session, user, need, the user's regions, candidates, skill labels, the "not for me"
    # counts, and one bulk INSERT of the reads (diaspora.access_log.profile_reads_record)
    with django_assert_num_queries(8):
        response = client.get(_candidates(need_obj))

    assert response.status_code == 200
    assert len(response.context["candidates"]) == n_experts


def test_candidate_list_refused_to_other_personas(
    skill, official_a, official_b, member, partner_user, client_for, client
):
    expert(skills=[skill])
    need_obj = need(skills=[skill], owner=official_a)
    services.full_rematch()

    assert client_for(official_b).get(_candidates(need_obj)).status_code == 403
    assert client_for(member).get(_candidates(need_obj)).status_code == 403
    assert client_for(partner_user).get(_candidates(need_obj)).status_code == 403
    assert client.get(_candidates(need_obj)).status_code == 302
    assert client_for(official_a).get(reverse("matching:candidate_list", kwargs={"need_id": 999999})).status_code == 404


def test_candidate_list_offers_no_invitation_without_contact_consent(skill, official_a, client_for):
    reachable = expert(skills=[skill])
    unreachable = expert(skills=[skill], consent_contact=False)
    need_obj = need(skills=[skill], owner=official_a)
    services.full_rematch()

    page = client_for(official_a).get(_candidates(need_obj)).content.decode()

    def row(profile):  # from the candidate's own <li> to the next candidate's (or the list's end)
        return page.split(f'id="match-{Match.objects.get(profile=profile).pk}"')[1].split('class="candidate"')[0]

    reachable_row, unreachable_row = row(reachable), row(unreachable)
    assert 'class="no-contact"' not in reachable_row
    assert "/invite/" in reachable_row
    assert 'class="no-contact"' in unreachable_row
    assert "/invite/" not in unreachable_row


def test_invite_and_accept_through_the_pages(skill, official_a, client_for):
    profile = expert(skills=[skill])
    need_obj = need(skills=[skill], owner=official_a)
    services.full_rematch()
    match = Match.objects.get()

    invite = client_for(official_a).post(
        reverse("matching:match_invite", kwargs={"pk": match.pk}), {"message": "Salam"}
    )
    page = client_for(profile.user).get(reverse("matching:invitation_detail", kwargs={"pk": match.pk}))
    answer = client_for(profile.user).post(reverse("matching:invitation_accept", kwargs={"pk": match.pk}))
    listing = client_for(official_a).get(_candidates(need_obj))

    assert invite.status_code == 302
    assert page.status_code == 200
    assert answer.status_code == 302
    assert Match.objects.get().status == MatchStatus.ACCEPTED
    assert profile.user.email in listing.content.decode()


def test_invite_twice_is_an_error_message_not_a_500(skill, official_a, client_for):
    expert(skills=[skill])
    need(skills=[skill], owner=official_a)
    services.full_rematch()
    match = Match.objects.get()
    client = client_for(official_a)
    client.post(reverse("matching:match_invite", kwargs={"pk": match.pk}))

    response = client.post(reverse("matching:match_invite", kwargs={"pk": match.pk}), follow=True)

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]][-1] == "Cet expert a déjà été invité."  # French by default


def test_someone_elses_invitation_is_forbidden(skill, official_a, member, client_for):
    expert(skills=[skill])
    need(skills=[skill], owner=official_a)
    services.full_rematch()
    match = Match.objects.get()
    services.match_invite(match=match, by=official_a)

    response = client_for(member).post(reverse("matching:invitation_accept", kwargs={"pk": match.pk}))

    assert response.status_code == 403
    assert Match.objects.get().status == MatchStatus.INVITED


def test_expert_sees_their_invitations(skill, official_a, client_for):
    profile = expert(skills=[skill])
    need_obj = need(skills=[skill], owner=official_a)
    services.full_rematch()
    services.match_invite(match=Match.objects.get(), by=official_a)

    response = client_for(profile.user).get(reverse("matching:invitation_list"))

    assert response.status_code == 200
    assert [m.need_id for m in response.context["page_obj"].object_list] == [need_obj.pk]


def test_member_subscribes_to_the_weekly_digest(member, client_for):
    client = client_for(member)

    on = client.post(reverse("matching:digest"), {"subscribe": "1"})
    listing = client.get(reverse("matching:invitation_list"))
    off = client.post(reverse("matching:digest"), {"subscribe": "0"})

    assert (on.status_code, off.status_code) == (302, 302)
    assert listing.context["digest"] is True
    assert client.get(reverse("matching:invitation_list")).context["digest"] is False


# --- withdrawing an invitation -----------------------------------------------------------


@pytest.fixture
def invited(skill, official_a):
    expert(skills=[skill])
    need(skills=[skill], owner=official_a)
    services.full_rematch()
    match = Match.objects.get()
    services.match_invite(match=match, by=official_a)
    return match


def _withdraw(match):
    return reverse("matching:match_withdraw", kwargs={"pk": match.pk})


def test_candidate_list_offers_to_withdraw_an_invitation(invited, official_a, client_for):
    response = client_for(official_a).get(_candidates(invited.need))

    assert _withdraw(invited) in response.content.decode()


def test_withdraw_asks_for_confirmation_then_withdraws(invited, official_a, client_for):
    client = client_for(official_a)

    confirm = client.get(_withdraw(invited))
    status_after_get = Match.objects.get().status
    done = client.post(_withdraw(invited), {"reason": "Besoin reformulé"}, follow=True)

    assert confirm.status_code == 200
    assert "Retirer l'invitation" in confirm.content.decode()
    assert status_after_get == MatchStatus.INVITED
    assert done.redirect_chain == [(_candidates(invited.need) + f"#match-{invited.pk}", 302)]
    assert [str(m) for m in done.context["messages"]] == ["L'invitation a été retirée et l'expert prévenu."]
    assert Match.objects.filter(status=MatchStatus.WITHDRAWN, withdrawal_reason="Besoin reformulé").count() == 1


def test_withdraw_of_an_accepted_invitation_is_an_error_message(invited, official_a, client_for):
    services.match_respond(match=invited, by=invited.profile.user, accept=True)

    response = client_for(official_a).post(_withdraw(invited), follow=True)

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "L'expert a déjà accepté : au lieu de retirer l'invitation, enregistrez l'engagement comme annulé."
    ]
    assert Match.objects.get().status == MatchStatus.ACCEPTED


def test_withdraw_refused_to_other_personas(invited, official_b, member, client_for, client):
    assert client_for(official_b).get(_withdraw(invited)).status_code == 403
    assert client_for(official_b).post(_withdraw(invited)).status_code == 403
    assert client_for(member).post(_withdraw(invited)).status_code == 403
    assert client_for(invited.profile.user).post(_withdraw(invited)).status_code == 403
    assert client.post(_withdraw(invited)).status_code == 302  # to the sign-in page
    assert Match.objects.get().status == MatchStatus.INVITED


def test_expert_page_shows_the_withdrawal_and_no_answer_form(invited, official_a, client_for):
    services.match_withdraw(match=invited, by=official_a, reason="Besoin reformulé")
    client = client_for(invited.profile.user)

    page = client.get(reverse("matching:invitation_detail", kwargs={"pk": invited.pk}))
    answer = client.post(reverse("matching:invitation_accept", kwargs={"pk": invited.pk}))

    html = page.content.decode()
    assert page.context["can_answer"] is False
    assert "La région a retiré cette invitation le" in html
    assert "Besoin reformulé" in html
    assert "/accept/" not in html
    assert answer.status_code == 302  # back to the page: nothing left to answer
    assert Match.objects.get().status == MatchStatus.WITHDRAWN
