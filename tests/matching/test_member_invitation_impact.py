"""Invitations that say everything, answered in two steps; the impact page and the opt-in public
line (issue 18)."""

import pytest
from django.urls import reverse

from diaspora.models import ConsentRecord
from matching import services
from matching.enums import EngagementStatus, MatchStatus
from matching.models import Engagement, Match
from tests.diaspora.factories import ConsentingExpertFactory
from tests.matching.factories import MatchFactory, SkillFactory, need

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(taxonomy, official_a):
    skill = SkillFactory()
    need_obj = need(skills=[skill], owner=official_a, title="Station de pompage solaire", description="Dimensionner.")
    match = MatchFactory(need=need_obj, profile=ConsentingExpertFactory(), rank=1, parts={})
    return services.match_invite(match=match, by=official_a, message="Nous avons besoin de vous")


def _url(name, match):
    return reverse(f"matching:{name}", kwargs={"pk": match.pk})


def test_invitation_page_shows_the_need_in_full(invited, client_for):
    page = client_for(invited.profile.user).get(_url("invitation_detail", invited)).content.decode()

    for text in (
        "Station de pompage solaire",
        "Dimensionner.",
        invited.need.region.name_fr,
        invited.need.get_format_display(),
        invited.need.axis.title,
        "Nous avons besoin de vous",
        "Pourquoi vous avez été choisi",
        _url("invitation_accept", invited),
        _url("invitation_decline", invited),
    ):
        assert str(text) in page
    assert 'name="rating"' not in page  # nothing to rate yet


def test_accept_asks_for_confirmation_first(invited, client_for):
    client = client_for(invited.profile.user)

    confirm = client.get(_url("invitation_accept", invited))
    unchanged = Match.objects.get(pk=invited.pk).status
    client.post(_url("invitation_accept", invited))

    assert confirm.status_code == 200
    assert "Oui, j’accepte" in confirm.content.decode()
    assert unchanged == MatchStatus.INVITED
    assert Match.objects.get(pk=invited.pk).status == MatchStatus.ACCEPTED


def test_decline_with_a_reason_is_shown_to_the_official(invited, official_a, client_for):
    client_for(invited.profile.user).post(_url("invitation_decline", invited), {"reason": "time"})

    listing = client_for(official_a).get(reverse("matching:candidate_list", kwargs={"need_id": invited.need_id}))

    assert Match.objects.get(pk=invited.pk).decline_reason == "time"
    assert "Pas assez de temps" in listing.content.decode()


def test_decline_with_an_unknown_reason_changes_nothing(invited, client_for):
    response = client_for(invited.profile.user).post(_url("invitation_decline", invited), {"reason": "bogus"})

    assert response.status_code == 200  # the form again, with its error
    assert Match.objects.get(pk=invited.pk).status == MatchStatus.INVITED


def test_another_member_cannot_answer(invited, member, client_for):
    ConsentingExpertFactory(user=member)

    assert client_for(member).get(_url("invitation_accept", invited)).status_code == 403
    assert client_for(member).post(_url("invitation_decline", invited)).status_code == 403
    assert Match.objects.get(pk=invited.pk).status == MatchStatus.INVITED


def test_rating_only_once_completed(invited, official_a, client_for):
    expert_client = client_for(invited.profile.user)
    expert_client.post(_url("invitation_accept", invited))
    early = expert_client.post(_url("engagement_update", invited), {"rating": "5"}, follow=True)
    before = expert_client.get(_url("invitation_detail", invited)).content.decode()

    client_for(official_a).post(
        _url("engagement_update", invited),
        {"status": "completed", "note": "Étude livrée", "thanks": "Merci pour la station !", "rating": "5"},
    )
    after = expert_client.get(_url("invitation_detail", invited)).content.decode()
    expert_client.post(_url("engagement_update", invited), {"rating": "4"})

    engagement = Engagement.objects.get()
    assert "Vous pourrez évaluer un engagement une fois qu’il sera terminé." in early.content.decode()
    assert 'name="rating"' not in before
    assert 'name="rating"' in after and "Merci pour la station !" in after
    assert '<option value="" selected>—</option>' in after  # no rating chosen in advance
    assert (engagement.status, engagement.expert_rating, engagement.owner_rating) == (EngagementStatus.COMPLETED, 4, 5)


def test_impact_page_and_the_opt_in_public_line(invited, official_a, client_for, client):
    expert_client = client_for(invited.profile.user)
    expert_client.post(_url("invitation_accept", invited))
    services.engagement_update(
        engagement=Engagement.objects.get(), by=official_a, status="completed", note="Étude livrée", thanks="Merci"
    )

    impact = expert_client.get(reverse("matching:impact")).content.decode()
    hidden = client.get(reverse("matching:contributor_list")).content.decode()
    expert_client.post(reverse("matching:impact_public"), {"show": "1"})
    shown = client.get(reverse("matching:contributor_list")).content.decode()
    expert_client.post(reverse("matching:impact_public"), {"show": "0"})
    withdrawn = client.get(reverse("matching:contributor_list")).content.decode()

    line = f"a contribué à 1 besoin en {invited.need.region.name_fr}"
    name = invited.profile.display_name
    assert "Étude livrée" in impact and "Merci" in impact and line in impact
    assert name not in hidden  # off by default
    assert name in shown and line in shown
    assert name not in withdrawn
    assert list(
        ConsentRecord.objects.filter(purpose="public_contributions").order_by("pk").values_list("granted", flat=True)
    ) == [True, False]


def test_impact_refused_to_other_personas(official_a, partner_user, client_for, client):
    assert client_for(official_a).get(reverse("matching:impact")).status_code == 403
    assert client_for(partner_user).get(reverse("matching:impact")).status_code == 403
    assert client.get(reverse("matching:impact")).status_code == 302
