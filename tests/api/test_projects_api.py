"""Investment opportunities (public) and projects (shared with a partner by the investor)."""

import pytest
from django.utils import timezone

from partners.enums import Scope
from projects.models import ProjectPartner
from tests.factories import PartnerOrganisationFactory
from tests.projects.factories import OpportunityFactory, ProjectFactory


@pytest.mark.parametrize("rows", [1, 50])
def test_opportunities_queries_constant(rows, api, territories, taxonomy, django_assert_num_queries):
    for _ in range(rows):
        OpportunityFactory()

    with django_assert_num_queries(3):  # count, page, programmes
        response = api.get("/api/v1/opportunities/?limit=50")

    assert len(response.json()["results"]) == rows


def test_opportunities_drafts_hidden(api, territories, taxonomy):
    OpportunityFactory(status="draft", published_at=None)

    assert api.get("/api/v1/opportunities/").json()["results"] == []


def test_opportunities_filter_pairs(api, region_a, region_b, taxonomy):
    in_a = OpportunityFactory(region=region_a)
    OpportunityFactory(region=region_b)

    for query in ({"region": "05"}, {"region_id": region_a.pk}, {"sector": "A", "region": "05"}):
        assert [row["id"] for row in api.get("/api/v1/opportunities/", query).json()["results"]] == [in_a.pk]


@pytest.fixture
def shared_project(partner_user, territories, taxonomy):
    project = ProjectFactory()
    ProjectPartner.objects.create(project=project, partner=partner_user.partner, consented_at=timezone.now())
    return project


def test_projects_partner_sees_only_consented_attachments(shared_project, token_client, partner_user):
    unconsented = ProjectFactory()
    ProjectPartner.objects.create(project=unconsented, partner=partner_user.partner)
    client = token_client([Scope.READ_EXPERTS])

    rows = client.get("/api/v1/projects/").json()["results"]

    assert [row["id"] for row in rows] == [shared_project.pk]
    assert "investor" not in rows[0]
    assert shared_project.investor.email not in str(rows)
    assert client.get(f"/api/v1/projects/{unconsented.pk}/").status_code == 404


def test_projects_other_partner_sees_nothing(shared_project, token_client):
    client = token_client([Scope.READ_EXPERTS], partner=PartnerOrganisationFactory())

    assert client.get("/api/v1/projects/").json()["results"] == []


def test_projects_need_the_scope(shared_project, token_client, api):
    assert token_client([Scope.READ_PUBLIC]).get("/api/v1/projects/").status_code == 403
    assert api.get("/api/v1/projects/").status_code == 401


def test_projects_investor_and_officials(shared_project, client_for, official_a, official_b, member):
    assert [r["id"] for r in client_for(shared_project.investor).get("/api/v1/projects/").json()["results"]] == [
        shared_project.pk
    ]
    assert len(client_for(official_a).get("/api/v1/projects/").json()["results"]) == 1
    assert client_for(official_b).get("/api/v1/projects/").json()["results"] == []
    assert client_for(member).get("/api/v1/projects/").json()["results"] == []


@pytest.mark.parametrize("rows", [1, 50])
def test_projects_queries_constant(rows, official_a, client_for, territories, taxonomy, django_assert_num_queries):
    for _ in range(rows):
        ProjectFactory()
    client = client_for(official_a)
    client.get("/api/v1/projects/")

    # session, user, official's regions, count, page
    with django_assert_num_queries(5):
        response = client.get("/api/v1/projects/?limit=50")

    assert len(response.json()["results"]) == rows
