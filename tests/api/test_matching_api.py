"""Matches (scoped) and engagement outcomes reported by the partner that runs them."""

import pytest

from diaspora.models import ExpertProfile
from matching.models import Engagement, Match
from partners.enums import ProposalStatus, Scope
from partners.models import EngagementOutcome, NeedProposal
from portal.api.pseudonyms import pseudonyms_for
from tests.diaspora.factories import ConsentingExpertFactory
from tests.factories import PartnerOrganisationFactory
from tests.regions.factories import NeedFactory, NeedSkillFactory, RoadmapAxisFactory, RoadmapFactory


@pytest.fixture
def run(partner_user, region_a, official_a, taxonomy):
    """A need region A's official accepted from partner_user's proposal, with an engagement."""
    roadmap = RoadmapFactory(region=region_a, version=1, created_by=official_a)
    need = NeedFactory(axis=RoadmapAxisFactory(roadmap=roadmap), owner=official_a)
    NeedSkillFactory(need=need)
    NeedProposal.objects.create(
        partner=partner_user.partner, region=region_a, title=need.title, description="…", format=need.format,
        work_mode=need.work_mode, status=ProposalStatus.ACCEPTED, need=need,
    )  # fmt: skip
    profile = ConsentingExpertFactory(origin_region=region_a)
    match = Match.objects.create(need=need, profile=profile, score=0.9, rank=1, status="accepted")
    return Engagement.objects.create(match=match)


def test_matches_partner_sees_the_needs_it_runs(run, token_client, partner_user):
    mine = token_client([Scope.READ_EXPERTS])
    other = token_client([Scope.READ_EXPERTS], partner=PartnerOrganisationFactory())

    rows = mine.get("/api/v1/matches/").json()["results"]

    assert [(row["id"], row["expert"]) for row in rows] == [
        (run.match_id, pseudonyms_for(partner_user.partner).public_id(run.match.profile_id))
    ]
    assert other.get("/api/v1/matches/").json()["results"] == []
    assert other.get(f"/api/v1/matches/{run.match_id}/").status_code == 404


def test_matches_hidden_when_the_expert_stops_sharing_with_partners(run, token_client):
    ExpertProfile.objects.filter(pk=run.match.profile_id).update(consent_partner_sharing=False)

    assert token_client([Scope.READ_EXPERTS]).get("/api/v1/matches/").json()["results"] == []


@pytest.mark.parametrize(("persona", "visible"), [("official_a", True), ("official_b", False), ("coordinator", True)])
def test_matches_officials_see_their_regions(persona, visible, run, request, client_for):
    rows = client_for(request.getfixturevalue(persona)).get("/api/v1/matches/").json()["results"]

    assert bool(rows) is visible


def test_matches_members_see_their_own(run, client_for, member):
    own = client_for(run.match.profile.user).get("/api/v1/matches/").json()["results"]
    stranger = client_for(member).get("/api/v1/matches/").json()["results"]

    assert [row["id"] for row in own] == [run.match_id]
    assert stranger == []


def test_matches_list_queries(run, token_client, django_assert_num_queries):
    client = token_client([Scope.READ_EXPERTS])
    client.get("/api/v1/matches/")

    # token, page, one bulk INSERT of the partner's reads (diaspora.access_log)
    with django_assert_num_queries(3):
        client.get("/api/v1/matches/?limit=50")


def test_outcome_posted_by_the_partner_running_the_engagement(run, token_client, official_a):
    client = token_client([Scope.WRITE_OUTCOMES])

    assert [row["id"] for row in client.get("/api/v1/engagements/").json()["results"]] == [run.pk]
    response = client.post(
        f"/api/v1/engagements/{run.pk}/outcomes/", {"status": "completed", "beneficiaries": 40}, format="json"
    )

    assert response.status_code == 201
    outcome = EngagementOutcome.objects.get()
    assert (outcome.engagement, outcome.status, outcome.beneficiaries) == (run, "completed", 40)
    assert official_a.notifications.filter(kind="engagement_outcome").count() == 1


def test_outcome_refused_for_another_partner_or_without_scope(run, token_client):
    other = token_client([Scope.WRITE_OUTCOMES], partner=PartnerOrganisationFactory())
    no_scope = token_client([Scope.READ_EXPERTS, Scope.READ_PUBLIC])

    assert (
        other.post(f"/api/v1/engagements/{run.pk}/outcomes/", {"status": "completed"}, format="json").status_code == 404
    )
    assert (
        no_scope.post(f"/api/v1/engagements/{run.pk}/outcomes/", {"status": "completed"}, format="json").status_code
        == 403
    )
    assert not EngagementOutcome.objects.exists()
