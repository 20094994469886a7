"""Partners propose needs (scope write:needs); they land with the region's officials."""

import pytest

from partners.enums import ProposalStatus, Scope
from partners.models import NeedProposal
from partners.services import need_proposal_accept, need_proposal_decline
from regions.enums import NeedStatus
from taxonomy.models import Skill
from tests.regions.factories import RoadmapAxisFactory, RoadmapFactory

URL = "/api/v1/need-proposals/"


@pytest.fixture
def body(taxonomy, region_a):
    skill = Skill.objects.filter(concept_type="skill").order_by("pk").first()
    return {
        "region": "05",
        "axis_kind": "diaspora_skills",
        "title": "Irrigation goutte-à-goutte",
        "description": "Accompagner une coopérative d'Azilal.",
        "format": "remote_advice",
        "work_mode": "remote",
        "skills": [{"skill_id": skill.pk, "weight": 4, "essential": True}],
        "languages": [{"language": "fr", "min_level": 4}],
    }


def test_proposal_created_and_officials_told(token_client, body, official_a, official_b):
    client = token_client([Scope.WRITE_NEEDS])

    response = client.post(URL, body, format="json")

    assert response.status_code == 201
    proposal = NeedProposal.objects.get()
    assert response.json()["status"] == "submitted"
    assert proposal.region.code == "05"
    assert official_a.notifications.filter(kind="need_proposal").count() == 1
    assert not official_b.notifications.exists()
    assert client.get(URL).json()["results"][0]["id"] == proposal.pk


@pytest.mark.parametrize("scopes", [[Scope.READ_PUBLIC], [Scope.READ_EXPERTS, Scope.WEBHOOKS]])
def test_proposal_refused_without_write_needs(scopes, token_client, body):
    response = token_client(scopes).post(URL, body, format="json")

    assert response.status_code == 403
    assert not NeedProposal.objects.exists()


@pytest.mark.parametrize("persona", ["member", "official_a", "coordinator"])
def test_proposal_refused_for_sessions(persona, request, client_for, body):
    response = client_for(request.getfixturevalue(persona)).post(URL, body, content_type="application/json")

    assert response.status_code == 403
    assert not NeedProposal.objects.exists()


def test_proposal_refused_outside_the_token_region(token_client, body, region_b):
    response = token_client([Scope.WRITE_NEEDS], region=region_b).post(URL, body, format="json")

    assert response.status_code == 403
    assert not NeedProposal.objects.exists()


def test_proposal_refuses_unknown_skill(token_client, body):
    body["skills"] = [{"skill_id": 999999999, "weight": 3}]

    response = token_client([Scope.WRITE_NEEDS]).post(URL, body, format="json")

    assert response.status_code == 400
    assert "skills" in response.json()["error"]["fields"]
    assert not NeedProposal.objects.exists()


def test_proposal_accepted_becomes_a_draft_need(token_client, body, official_a, region_a):
    roadmap = RoadmapFactory(region=region_a, version=1, created_by=official_a)
    RoadmapAxisFactory(roadmap=roadmap, kind="diaspora_skills")
    token_client([Scope.WRITE_NEEDS]).post(URL, body, format="json")
    proposal = NeedProposal.objects.get()

    need = need_proposal_accept(proposal=proposal, by=official_a)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.need == need
    assert need.status == NeedStatus.DRAFT
    assert need.owner == official_a
    assert need.region == region_a
    assert [(s.weight, s.essential) for s in need.skills.all()] == [(4, True)]


def test_proposal_cannot_be_accepted_by_another_regions_official(token_client, body, official_b, region_a, official_a):
    from django.core.exceptions import PermissionDenied

    roadmap = RoadmapFactory(region=region_a, version=1, created_by=official_a)
    RoadmapAxisFactory(roadmap=roadmap)
    token_client([Scope.WRITE_NEEDS]).post(URL, body, format="json")
    proposal = NeedProposal.objects.get()

    with pytest.raises(PermissionDenied):
        need_proposal_accept(proposal=proposal, by=official_b)
    with pytest.raises(PermissionDenied):
        need_proposal_decline(proposal=proposal, by=official_b)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


# --- the officials' page -------------------------------------------------------------------

PAGE = "/fr/partners/proposals/"


@pytest.fixture
def proposal(token_client, body, official_a, region_a):
    roadmap = RoadmapFactory(region=region_a, version=1, created_by=official_a)
    RoadmapAxisFactory(roadmap=roadmap, kind="diaspora_skills")
    token_client([Scope.WRITE_NEEDS]).post(URL, body, format="json")
    return NeedProposal.objects.get()


def test_officials_page_lists_their_regions_proposals(proposal, client_for, official_a, official_b):
    assert list(client_for(official_a).get(PAGE).context["proposals"]) == [proposal]
    assert list(client_for(official_b).get(PAGE).context["proposals"]) == []
    assert official_a.notifications.get().url == PAGE


@pytest.mark.parametrize("persona", ["member", "partner_user"])
def test_proposals_page_refused_to_others(proposal, request, client_for, persona):
    assert client_for(request.getfixturevalue(persona)).get(PAGE).status_code == 403


def test_accept_from_the_page_opens_the_draft_need(proposal, client_for, official_a):
    response = client_for(official_a).post(f"{PAGE}{proposal.pk}/accept/")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert response.status_code == 302
    assert response["Location"] == f"/fr/regions/05/needs/{proposal.need_id}/edit/"


def test_another_regions_official_cannot_accept_or_decline(proposal, client_for, official_b):
    client = client_for(official_b)
    assert client.post(f"{PAGE}{proposal.pk}/accept/").status_code == 404
    assert client.post(f"{PAGE}{proposal.pk}/decline/").status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_decline_asks_for_confirmation_first(proposal, client_for, official_a):
    client = client_for(official_a)
    assert client.get(f"{PAGE}{proposal.pk}/decline/").status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert client.post(f"{PAGE}{proposal.pk}/decline/").status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
