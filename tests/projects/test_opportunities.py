import pytest
from django.core.exceptions import PermissionDenied

from portal.models import Notification
from projects.models import Opportunity, OpportunityInterest
from projects.services import opportunity_close, opportunity_interest_express, opportunity_publish
from regions.models import Province
from tests.projects.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def _opportunity_post(sector_a, region, province, **changes):
    data = {
        "title": "Zone d'activités de Fquih Ben Salah",
        "description": "Lots viabilisés pour l'agro-industrie.",
        "language": "fr",
        "sector": sector_a.pk,
        "region": region.pk,
        "province": province.pk,
        "investment_min_mad": "1000000",
        "investment_max_mad": "20000000",
        "expected_jobs": "150",
        "land_available": "on",
        "contact_office": "CRI Béni Mellal-Khénifra",
        "contact_email": "contact@cri-bmk.ma",
    }
    data.update(changes)
    return data


def test_official_posts_a_draft_then_publishes_it(client_for, official_a, region_a, sector_a):
    province = Province.objects.get(code="05.255")
    client = client_for(official_a)
    response = client.post("/fr/investment/opportunities/new/", _opportunity_post(sector_a, region_a, province))
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert (opportunity.status, opportunity.created_by, opportunity.region) == ("draft", official_a, region_a)
    assert client.get("/fr/investment/").context["opportunities"].__len__() == 1  # officials see their drafts
    client.post(f"/fr/investment/opportunities/{opportunity.pk}/publish/")
    opportunity.refresh_from_db()
    assert opportunity.status == "published"
    assert opportunity.published_at is not None


def test_official_cannot_post_for_another_region(client_for, official_b, region_a, sector_a):
    province = Province.objects.get(code="05.255")
    response = client_for(official_b).post(
        "/fr/investment/opportunities/new/", _opportunity_post(sector_a, region_a, province)
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["region"]
    assert Opportunity.objects.count() == 0


@pytest.mark.parametrize("persona", ["member", "partner_user"])
def test_only_officials_post_opportunities(client_for, request, region_a, sector_a, persona):
    province = Province.objects.get(code="05.255")
    client = client_for(request.getfixturevalue(persona))
    assert (
        client.post("/fr/investment/opportunities/new/", _opportunity_post(sector_a, region_a, province)).status_code
        == 403
    )
    assert Opportunity.objects.count() == 0


def test_opportunity_range_must_be_ordered(client_for, official_a, region_a, sector_a):
    province = Province.objects.get(code="05.255")
    response = client_for(official_a).post(
        "/en/investment/opportunities/new/",
        _opportunity_post(sector_a, region_a, province, investment_min_mad="9000000", investment_max_mad="2000000"),
    )
    assert response.context["form"].errors["investment_max_mad"] == ["The maximum must be at least the minimum."]
    assert Opportunity.objects.count() == 0


def test_drafts_are_hidden_from_the_public_and_other_regions(client, client_for, official_b, territories, taxonomy):
    draft = OpportunityFactory(status="draft", published_at=None)
    assert client.get(f"/fr/investment/opportunities/{draft.pk}/").status_code == 404
    assert client_for(official_b).get(f"/fr/investment/opportunities/{draft.pk}/").status_code == 404
    assert list(client.get("/fr/investment/").context["opportunities"]) == []


def test_other_region_cannot_publish_edit_or_close(client_for, official_b, territories, taxonomy):
    draft = OpportunityFactory(status="draft", published_at=None)
    title = draft.title
    client = client_for(official_b)
    assert client.post(f"/fr/investment/opportunities/{draft.pk}/publish/").status_code == 404
    assert client.post(f"/fr/investment/opportunities/{draft.pk}/close/").status_code == 404
    assert client.post(f"/fr/investment/opportunities/{draft.pk}/edit/", {"title": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        opportunity_publish(opportunity=draft, by=official_b)
    draft.refresh_from_db()
    assert (draft.status, draft.title) == ("draft", title)


def test_close_asks_for_confirmation_first(client_for, official_a, territories, taxonomy):
    opportunity = OpportunityFactory()
    client = client_for(official_a)
    page = client.get(f"/en/investment/opportunities/{opportunity.pk}/close/")
    assert page.status_code == 200
    assert "Close this opportunity?" in page.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.status == "published"
    client.post(f"/en/investment/opportunities/{opportunity.pk}/close/")
    opportunity.refresh_from_db()
    assert opportunity.status == "closed"


def test_member_expresses_interest_once_and_the_region_is_told(client_for, member, official_a, territories, taxonomy):
    opportunity = OpportunityFactory(created_by=official_a)
    client = client_for(member)
    for _ in range(2):
        response = client.post(
            f"/fr/investment/opportunities/{opportunity.pk}/interest/", {"message": "Je suis à Lyon"}
        )
        assert response.status_code == 302
    assert list(OpportunityInterest.objects.values_list("investor", "message")) == [(member.pk, "Je suis à Lyon")]
    assert Notification.objects.filter(user=official_a, kind="projects.interest").count() == 1
    assert (
        "Je suis à Lyon"
        in client_for(official_a).get(f"/fr/investment/opportunities/{opportunity.pk}/").content.decode()
    )


def test_interest_is_refused_on_closed_opportunities_and_to_non_members(
    official_a, partner_user, member, territories, taxonomy
):
    opportunity = OpportunityFactory()
    with pytest.raises(PermissionDenied):
        opportunity_interest_express(opportunity=opportunity, by=official_a)
    with pytest.raises(PermissionDenied):
        opportunity_interest_express(opportunity=opportunity, by=partner_user)
    opportunity_close(opportunity=opportunity, by=official_a)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        opportunity_interest_express(opportunity=opportunity, by=member)
    assert OpportunityInterest.objects.count() == 0


def test_withdrawing_interest_asks_for_confirmation(client_for, member, territories, taxonomy):
    opportunity = OpportunityFactory()
    opportunity_interest_express(opportunity=opportunity, by=member)
    client = client_for(member)
    assert client.get(f"/fr/investment/opportunities/{opportunity.pk}/interest/withdraw/").status_code == 200
    assert OpportunityInterest.objects.count() == 1
    client.post(f"/fr/investment/opportunities/{opportunity.pk}/interest/withdraw/")
    assert OpportunityInterest.objects.count() == 0


def test_public_listing_filters(client, territories, taxonomy):
    from regions.models import Region
    from taxonomy.models import Sector

    oriental = Region.objects.get(code="02")
    OpportunityFactory(title="Olives", investment_min_mad=500_000, investment_max_mad=2_000_000)
    OpportunityFactory(
        title="Hôtel à Saïdia",
        region=oriental,
        province=Province.objects.get(code="02.113"),
        sector=Sector.objects.get(code="I"),
        investment_min_mad=20_000_000,
        investment_max_mad=80_000_000,
    )
    OpportunityFactory(title="Fermée", status="closed")

    def titles(query):
        return sorted(o.title for o in client.get(f"/fr/investment/?{query}").context["opportunities"])

    assert titles("") == ["Fermée", "Hôtel à Saïdia", "Olives"]
    assert titles("region=02") == ["Hôtel à Saïdia"]
    assert titles("region_id=" + str(oriental.pk)) == ["Hôtel à Saïdia"]
    # The API's names and values on the page too: `<fk>` by code, `<fk>_id` by id.
    assert titles("sector=I") == ["Hôtel à Saïdia"]
    assert titles("sector_id=" + str(Sector.objects.get(code="I").pk)) == ["Hôtel à Saïdia"]
    assert titles("province=02.113") == ["Hôtel à Saïdia"]
    assert titles("province_id=" + str(Province.objects.get(code="02.113").pk)) == ["Hôtel à Saïdia"]
    assert titles("amount_max=3000000") == ["Fermée", "Olives"]
    assert titles("amount_min=10000000") == ["Hôtel à Saïdia"]
    assert titles("status=published") == ["Hôtel à Saïdia", "Olives"]
    assert titles("q=saïdia") == ["Hôtel à Saïdia"]
    assert titles("amount_min=-4&amount_max=abc&region=99") == ["Fermée", "Hôtel à Saïdia", "Olives"]


@pytest.mark.parametrize("rows", [1, 50])
def test_public_listing_queries_are_constant(client, territories, taxonomy, rows, django_assert_num_queries):
    OpportunityFactory.create_batch(rows)
    # filter form choices (sectors, regions, provinces), count, page
    with django_assert_num_queries(5):
        response = client.get("/ar/investment/")
    assert response.status_code == 200
    assert len(response.context["opportunities"]) == min(rows, 20)


@pytest.mark.parametrize("rows", [1, 50])
def test_member_listing_queries_are_constant(
    client_for, member, territories, taxonomy, rows, django_assert_num_queries
):
    for opportunity in OpportunityFactory.create_batch(rows):
        opportunity_interest_express(opportunity=opportunity, by=member)
    client = client_for(member)
    with django_assert_num_queries(7):
        response = client.get("/fr/investment/?page=1")
    assert all(o.my_interest for o in response.context["opportunities"])


def test_empty_listing_says_so(client, territories, taxonomy):
    assert "No opportunity matches these filters yet." in client.get("/en/investment/").content.decode()


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("amount_min=NaN", 200),
        ("amount_min=1e400", 200),
        ("amount_max=-1", 200),
        ("sector=abc", 200),
        ("province=-1", 200),
        ("region=%00", 400),  # NUL: portal.middleware refuses the request before the page
        ("status=open", 200),
        ("page=abc", 200),
        ("page=-3", 200),
        ("q=" + "x" * 500, 200),
    ],
)
def test_listing_never_fails_on_bad_filters(client, territories, taxonomy, query, status):
    OpportunityFactory()
    response = client.get(f"/fr/investment/?{query}")
    assert response.status_code == status


@pytest.mark.parametrize("path", ["opportunities/999999/", "opportunity-documents/999999/", "opportunities/abc/"])
def test_unknown_ids_are_404(client, territories, path):
    assert client.get(f"/fr/investment/{path}").status_code == 404
