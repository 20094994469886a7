"""A partner's API reads of experts are logged, attributed to the partner organisation."""

import pytest

from diaspora.enums import ReadCategory, ReadPurpose
from diaspora.models import ProfileRead
from matching.models import Engagement, Match
from partners.enums import ProposalStatus, Scope
from partners.models import NeedProposal
from portal.api.pseudonyms import pseudonyms_for
from portal.enums import Role
from tests.diaspora.factories import ConsentingExpertFactory, ExpertProfileFactory
from tests.regions.factories import NeedFactory, RoadmapAxisFactory, RoadmapFactory

URL = "/api/v1/experts/"


@pytest.fixture
def reader(token_client):
    return token_client([Scope.READ_EXPERTS])


def _rows():
    return list(
        ProfileRead.objects.order_by("profile_id", "pk").values_list(
            "profile_id", "reader_id", "reader_role", "partner_id", "category", "purpose", "need_id"
        )
    )


def test_list_logs_each_expert_read_by_the_partner_organisation(reader, partner_user, region_a):
    first, second = ConsentingExpertFactory(origin_region=region_a), ConsentingExpertFactory(origin_region=region_a)
    ExpertProfileFactory(origin_region=region_a)  # not shared with partners: neither shown nor logged

    response = reader.get(URL)

    assert response.status_code == 200
    assert len(response.json()["results"]) == 2
    org = partner_user.partner_id
    assert _rows() == [
        (first.pk, None, Role.PARTNER, org, ReadCategory.PSEUDONYMISED, ReadPurpose.PARTNER_API, None),
        (second.pk, None, Role.PARTNER, org, ReadCategory.PSEUDONYMISED, ReadPurpose.PARTNER_API, None),
    ]


def test_detail_logs_one_read(reader, partner_user, region_a):
    profile = ConsentingExpertFactory(origin_region=region_a)

    assert reader.get(f"{URL}{pseudonyms_for(partner_user.partner).public_id(profile.pk)}/").status_code == 200

    assert _rows() == [
        (profile.pk, None, Role.PARTNER, partner_user.partner_id, ReadCategory.PSEUDONYMISED, "partner_api", None)
    ]


def test_refused_reads_log_nothing(token_client, reader, partner_user, region_a):
    private = ExpertProfileFactory(origin_region=region_a)
    shared = ConsentingExpertFactory(origin_region=region_a)

    assert reader.get(f"{URL}{pseudonyms_for(partner_user.partner).public_id(private.pk)}/").status_code == 404
    assert reader.get(f"{URL}0123456789abcdef/").status_code == 404
    assert token_client([Scope.READ_PUBLIC]).get(URL).status_code == 403
    assert (
        token_client([Scope.READ_PUBLIC])
        .get(f"{URL}{pseudonyms_for(partner_user.partner).public_id(shared.pk)}/")
        .status_code
        == 403
    )
    assert ProfileRead.objects.count() == 0


@pytest.fixture
def run_match(partner_user, region_a, official_a, taxonomy):
    """An accepted match (with its engagement) on a need the partner runs."""
    need = NeedFactory(axis=RoadmapAxisFactory(roadmap=RoadmapFactory(region=region_a, created_by=official_a)))
    NeedProposal.objects.create(
        partner=partner_user.partner, region=region_a, title=need.title, description="…", format=need.format,
        work_mode=need.work_mode, status=ProposalStatus.ACCEPTED, need=need,
    )  # fmt: skip
    match = Match.objects.create(need=need, profile=ConsentingExpertFactory(), score=0.5, rank=1, status="accepted")
    Engagement.objects.create(match=match)
    return match


@pytest.mark.parametrize(
    ("scope", "path"),
    [(Scope.READ_EXPERTS, "matches"), (Scope.WRITE_OUTCOMES, "engagements")],
)
def test_partner_reads_of_matches_and_engagements_are_logged_with_the_need(
    scope, path, token_client, partner_user, run_match
):
    client = token_client([scope])
    pk = run_match.pk if path == "matches" else run_match.engagement.pk

    assert len(client.get(f"/api/v1/{path}/").json()["results"]) == 1
    assert client.get(f"/api/v1/{path}/{pk}/").status_code == 200

    entry = (
        run_match.profile_id, None, Role.PARTNER, partner_user.partner_id, ReadCategory.PSEUDONYMISED,
        ReadPurpose.PARTNER_API, run_match.need_id,
    )  # fmt: skip
    assert _rows() == [entry, entry]


def test_reporting_an_outcome_is_not_a_read(token_client, run_match):
    client = token_client([Scope.WRITE_OUTCOMES])

    response = client.post(
        f"/api/v1/engagements/{run_match.engagement.pk}/outcomes/", {"status": "completed"}, format="json"
    )

    assert response.status_code == 201
    assert ProfileRead.objects.count() == 0
