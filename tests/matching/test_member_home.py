"""The member's side of the loop (issue 18): their home and "needs for you", "I can help" and
"not for me" (reversible, reasons counted for the need's officials), by persona."""

import pytest
from django.urls import reverse
from django.utils import timezone

from diaspora.querysets import STALE_AFTER
from matching import member_services, services
from matching.enums import MatchStatus
from matching.models import Match, NeedSetAside
from regions.models import NeedInterest
from tests.diaspora.factories import ConsentingExpertFactory
from tests.matching.factories import MatchFactory, SkillFactory, expert, need

pytestmark = pytest.mark.django_db

HOME = "/fr/matching/home/"


def _parts(skill, score=0.8):
    return {
        "score": score,
        "parts": {"skills": 1.0, "languages": 1.0, "availability": 0.5, "experience": 0.8, "region": 1.0},
        "skills": [
            {"skill": skill.pk, "essential": True, "credit": 1.0, "via": skill.pk, "relation": "exact"}
            | {"level": 3, "years": 7}
        ],
        "languages": [{"language": "fr", "min": 4, "level": 6}],
        "tie": "region",
    }


@pytest.fixture
def skill(taxonomy):
    return SkillFactory(labels={"en": "drip irrigation", "fr": "irrigation goutte-à-goutte", "ar": "الري بالتنقيط"})


@pytest.fixture
def ranked(skill, region_a):
    """A consenting expert ranked for one open need of region A."""
    profile = ConsentingExpertFactory()
    need_obj = need(skills=[skill])
    match = MatchFactory(need=need_obj, profile=profile, rank=1, score=0.8, parts=_parts(skill))
    return match


@pytest.mark.parametrize("n_needs", [1, 50])
def test_needs_for_you_constant_queries(skill, region_a, client_for, django_assert_num_queries, n_needs):
    profile = ConsentingExpertFactory()
    for i in range(n_needs):
        MatchFactory(need=need(skills=[skill]), profile=profile, rank=1, score=0.5 + i / 200, parts=_parts(skill))
    client = client_for(profile.user)

    # session, user, the profile (with EXISTS per section), the count and the page of
    # suggestions, the labels of their skills, the needs set aside, the invitations, the
    # digest subscription
    with django_assert_num_queries(9):
        response = client.get(HOME)

    assert response.status_code == 200
    shown = list(response.context["home"].suggestions.object_list)
    assert len(shown) == min(n_needs, 10)
    assert [m.score for m in shown] == sorted((m.score for m in shown), reverse=True)  # best first
    assert not Match.objects.filter(seen_at__isnull=False).exists()  # a GET writes nothing


def test_seen_is_posted_by_the_page_and_marks_only_the_members_own_rows(ranked, client_for):
    other = MatchFactory(need=ranked.need, profile=ConsentingExpertFactory(), rank=2, parts={})
    url = reverse("matching:suggestions_seen")

    page = client_for(ranked.profile.user).get(HOME).content.decode()
    answer = client_for(ranked.profile.user).post(url, {"need": [str(ranked.need_id), "x", "9" * 30]})

    assert f'<input type="hidden" name="need" value="{ranked.need_id}">' in page
    assert answer.status_code == 204
    assert Match.objects.get(pk=ranked.pk).seen_at is not None
    assert Match.objects.get(pk=other.pk).seen_at is None


def test_home_shows_the_explanation_in_the_readers_language(ranked, client_for):
    page = client_for(ranked.profile.user).get("/ar/matching/home/").content.decode()

    assert ranked.need.title in page
    assert "الري بالتنقيط: تطابق تام" in page
    assert "ينحدر من جهة الحاجة" in page


def test_home_hides_the_ranking_from_a_member_who_refused_contact(ranked, client_for):
    ranked.profile.consent_contact = False
    ranked.profile.save()

    response = client_for(ranked.profile.user).get(HOME)

    assert response.context["home"].suggestions is None
    assert ranked.need.title not in response.content.decode()


def test_home_next_step_and_stale_prompt(member, client_for):
    ConsentingExpertFactory(user=member, confirmed_at=timezone.now() - STALE_AFTER - timezone.timedelta(days=1))

    home = client_for(member).get(HOME).context["home"]

    assert home.stale is True
    assert home.next_step.key == "fresh"  # a stale profile is in no ranking: confirming comes first
    assert home.suggestions is None


def test_home_refused_to_other_personas(official_a, partner_user, client_for, client):
    assert client_for(official_a).get(HOME).status_code == 403
    assert client_for(partner_user).get(HOME).status_code == 403
    assert client.get(HOME).status_code == 302


def test_member_lands_on_their_home_after_sign_in(member, client):
    response = client.post(
        "/fr/accounts/login/", {"username": member.email, "password": "correct horse battery"}, follow=False
    )

    assert response.status_code == 302
    assert response["Location"] == "/fr/start/"  # portal.menu.home_url_for decides, for every role
    assert client.get(response["Location"])["Location"] == HOME


def test_i_can_help_flags_the_official_list_and_is_reversible(ranked, client_for):
    client = client_for(ranked.profile.user)

    client.post(reverse("matching:suggestion_help", kwargs={"need_id": ranked.need_id}), {"message": "Disponible"})
    flagged = Match.objects.get(pk=ranked.pk).interested
    client.post(reverse("matching:suggestion_help_undo", kwargs={"need_id": ranked.need_id}))

    assert flagged is True
    assert Match.objects.get(pk=ranked.pk).interested is False
    assert not NeedInterest.objects.exists()


def test_withdrawn_interest_loses_its_flag_at_the_next_rematch(skill, region_a):
    profile = expert(skills=[skill])
    need_obj = need(skills=[skill])
    services.full_rematch()
    member_services.suggestion_help(user=profile.user, need_id=need_obj.pk)
    NeedInterest.objects.all().delete()  # taken back through the need's own page, say

    services.need_rematch(need_id=need_obj.pk)

    assert Match.objects.get().interested is False


def test_not_for_me_leaves_the_list_counts_for_the_official_and_comes_back(ranked, official_a, client_for):
    client = client_for(ranked.profile.user)
    url = reverse("matching:suggestion_set_aside", kwargs={"need_id": ranked.need_id})

    client.post(url, {"reason": "dates"})
    after = client.get(HOME).context["home"]
    candidates = client_for(official_a).get(reverse("matching:candidate_list", kwargs={"need_id": ranked.need_id}))
    client.post(reverse("matching:suggestion_set_aside_undo", kwargs={"need_id": ranked.need_id}))

    assert list(after.suggestions.object_list) == []
    assert [row.need_id for row in after.set_aside] == [ranked.need_id]
    assert candidates.context["set_aside"][0]["text"] == "1 expert a répondu : Les dates ne conviennent pas"
    assert ranked.profile.display_name in candidates.content.decode()  # still ranked, not named as refusing
    assert not NeedSetAside.objects.exists()
    assert list(client.get(HOME).context["home"].suggestions.object_list) == [Match.objects.get(pk=ranked.pk)]


def test_not_for_me_with_an_unknown_reason_changes_nothing(ranked, client_for):
    response = client_for(ranked.profile.user).post(
        reverse("matching:suggestion_set_aside", kwargs={"need_id": ranked.need_id}), {"reason": "<script>"}
    )

    assert response.status_code == 302
    assert not NeedSetAside.objects.exists()


def test_a_member_cannot_answer_for_another(ranked, client_for):
    other = ConsentingExpertFactory()
    member_services.suggestion_set_aside(user=ranked.profile.user, need_id=ranked.need_id, reason="time")
    client = client_for(other.user)

    client.post(reverse("matching:suggestion_set_aside_undo", kwargs={"need_id": ranked.need_id}))
    client.post(reverse("matching:suggestion_help", kwargs={"need_id": ranked.need_id}))
    client.post(reverse("matching:suggestion_set_aside", kwargs={"need_id": ranked.need_id}))

    assert list(NeedSetAside.objects.values_list("profile_id", "reason")) == [(ranked.profile_id, "time")]
    assert not NeedInterest.objects.exists()
    assert Match.objects.get(pk=ranked.pk).interested is False


def test_set_aside_counts_refused_to_other_personas(ranked, official_b, member, partner_user, client_for):
    member_services.suggestion_set_aside(user=ranked.profile.user, need_id=ranked.need_id, reason="dates")
    url = reverse("matching:candidate_list", kwargs={"need_id": ranked.need_id})

    for user in (official_b, member, partner_user):
        response = client_for(user).get(url)
        assert response.status_code == 403
        assert "a répondu" not in response.content.decode()


def test_officials_and_partners_cannot_use_the_member_doors(ranked, official_a, client_for):
    client = client_for(official_a)

    client.post(reverse("matching:suggestion_help", kwargs={"need_id": ranked.need_id}))
    client.post(reverse("matching:suggestion_set_aside", kwargs={"need_id": ranked.need_id}), {"reason": "dates"})

    assert not NeedSetAside.objects.exists()
    assert not NeedInterest.objects.exists()


def test_invited_needs_leave_the_suggestions(ranked, official_a, client_for):
    services.match_invite(match=ranked, by=official_a)

    home = client_for(ranked.profile.user).get(HOME).context["home"]

    assert list(home.suggestions.object_list) == []
    assert [m.status for m in home.invitations] == [MatchStatus.INVITED]
