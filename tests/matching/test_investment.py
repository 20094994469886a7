"""Investor ↔ opportunity suggestions through the database: the re-match service, its hooks,
and who sees what (personas, consent, constant query counts)."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from diaspora.services import consent_set
from matching import services
from matching.models import InvestmentMatch, InvestmentSuggestionNotice
from portal.models import Notification, OutboxMessage
from projects.enums import OpportunityStatus, ProjectStatus
from projects.services import opportunity_close, opportunity_publish, project_transition
from tests.diaspora.factories import ConsentingExpertFactory, ExpertProfileFactory
from tests.projects.factories import OpportunityFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def investor(member, region_a):
    ConsentingExpertFactory(user=member, origin_region=region_a)
    return member


@pytest.fixture
def project(investor, taxonomy, region_a):
    return ProjectFactory(investor=investor)


@pytest.fixture
def opportunity(taxonomy, region_a):
    return OpportunityFactory()


def _rows():
    return sorted(
        InvestmentMatch.objects.values_list("opportunity_id", "project_id", "score", "opportunity_rank", "project_rank")
    )


def test_rematch_stores_ranked_explained_pairs(project, opportunity):
    run = services.investment_rematch()
    match = InvestmentMatch.objects.get()
    assert (run.matches_count, match.opportunity_id, match.project_id) == (1, opportunity.pk, project.pk)
    assert (match.opportunity_rank, match.project_rank) == (1, 1)
    assert match.parts == {
        "score": match.score,
        "parts": {"sector": 0.8, "place": 1.0, "amount": 1.0, "stage": 0.8},
        "sector": "section",
        "place": "province",
        "amount": "inside",
        "stage": "business_plan",
    }
    assert match.score == pytest.approx((0.35 * 0.8 + 0.30 + 0.20 + 0.15 * 0.8) / 1.0)


def test_rematch_twice_leaves_the_same_rows(project, opportunity):
    services.investment_rematch()
    first = _rows()
    services.investment_rematch()
    assert _rows() == first


def test_rematch_drops_pairs_that_no_longer_qualify(project, opportunity):
    services.investment_rematch()
    opportunity.status = OpportunityStatus.CLOSED
    opportunity.save()
    services.investment_rematch()
    assert InvestmentMatch.objects.count() == 0


def test_a_project_without_an_expert_profile_gets_no_suggestion(member, taxonomy, region_a, opportunity):
    ProjectFactory(investor=member)
    services.investment_rematch()
    assert InvestmentMatch.objects.count() == 0


def test_a_profile_without_matching_consent_gets_no_suggestion(member, taxonomy, region_a, opportunity):
    ExpertProfileFactory(user=member)
    ProjectFactory(investor=member)
    services.investment_rematch()
    assert InvestmentMatch.objects.count() == 0


def test_top_k_is_kept_on_both_sides(settings, investor, taxonomy, region_a):
    settings.JUSUR_MATCHING = {"investment_top_k": 2}
    projects = [ProjectFactory(investor=investor) for _ in range(3)]
    opportunities = [OpportunityFactory() for _ in range(3)]
    services.investment_rematch()
    for opportunity in opportunities:
        ranks = InvestmentMatch.objects.filter(opportunity=opportunity, opportunity_rank__isnull=False)
        assert sorted(ranks.values_list("opportunity_rank", flat=True)) == [1, 2]
    for project in projects:
        ranks = InvestmentMatch.objects.filter(project=project, project_rank__isnull=False)
        assert sorted(ranks.values_list("project_rank", flat=True)) == [1, 2]


# --- telling the investor -------------------------------------------------------------


def _told(user):
    return list(
        Notification.objects.filter(user=user, kind="matching.investment_suggested").values_list("url", flat=True)
    )


def test_the_investor_is_told_once_of_a_new_suggestion_in_their_language(
    investor, project, opportunity, django_capture_on_commit_callbacks
):
    investor.preferred_language = "ar"
    investor.save(update_fields=["preferred_language"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.investment_rematch()
        services.investment_rematch()

    assert _told(investor) == [f"/ar/investment/projects/{project.pk}/"]
    [email] = mail.outbox
    assert email.to == [investor.email]
    assert email.subject == "قد تهمّك فرصة استثمار"
    assert opportunity.title in email.body
    assert opportunity.region.name_ar in email.body
    assert f"/ar/investment/opportunities/{opportunity.pk}/" in email.body
    assert project.title in email.body


def test_a_later_opportunity_is_announced_alone(investor, project, opportunity, django_capture_on_commit_callbacks):
    services.investment_rematch()
    later = OpportunityFactory(title="Unité de séchage de figues de Barbarie")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.investment_rematch()

    assert len(_told(investor)) == 2
    [email] = mail.outbox
    assert later.title in email.body
    assert opportunity.title not in email.body


def test_a_pair_that_drops_out_and_comes_back_is_not_announced_again(investor, project, opportunity):
    services.investment_rematch()
    opportunity.status = OpportunityStatus.CLOSED
    opportunity.save()
    services.investment_rematch()
    opportunity.status = OpportunityStatus.PUBLISHED
    opportunity.save()

    services.investment_rematch()

    assert InvestmentMatch.objects.count() == 1
    assert len(_told(investor)) == 1


def test_an_investor_without_matching_consent_is_not_told(investor, project, opportunity):
    consent_set(profile=investor.expert_profile, choices={"matching": False})

    services.investment_rematch()

    assert _told(investor) == []
    assert InvestmentSuggestionNotice.objects.count() == 0


def test_one_message_for_several_projects_links_to_the_project_list(investor, project, opportunity):
    second = ProjectFactory(investor=investor)

    services.investment_rematch()

    assert _told(investor) == ["/fr/investment/projects/"]
    assert set(InvestmentSuggestionNotice.objects.values_list("project_id", flat=True)) == {project.pk, second.pk}


# --- hooks ------------------------------------------------------------------------------


def _queued():
    return list(
        OutboxMessage.objects.filter(task_name="matching.investment_rematch").values_list("dedup_key", flat=True)
    )


def test_publishing_and_closing_an_opportunity_queue_one_rematch(official_a, taxonomy, region_a):
    draft = OpportunityFactory(status=OpportunityStatus.DRAFT, published_at=None)
    opportunity_publish(opportunity=draft, by=official_a)
    opportunity_close(opportunity=draft, by=official_a)
    assert _queued() == ["matching.investment_rematch"]  # the second change joined the waiting message


def test_dropping_a_project_queues_a_rematch(project, official_a):
    project_transition(project=project, to=ProjectStatus.DROPPED, by=official_a, note="Abandon")
    assert _queued() == ["matching.investment_rematch"]


def test_the_expert_task_queues_a_rematch_for_an_investor(project):
    services.expert_rematch(profile_id=project.investor.expert_profile.pk)
    assert _queued() == ["matching.investment_rematch"]


def test_the_task_is_registered():
    from portal.celery import app

    assert "matching.investment_rematch" in app.tasks


# --- who sees what ------------------------------------------------------------------------


def _opportunity_page(client, opportunity):
    return client.get(reverse("projects:opportunity_detail", kwargs={"pk": opportunity.pk}))


def _project_page(client, project):
    return client.get(reverse("projects:project_detail", kwargs={"pk": project.pk}))


def test_the_investor_sees_the_opportunities_fitting_their_project(client_for, project, opportunity):
    services.investment_rematch()
    response = _project_page(client_for(project.investor), project)
    suggestions = response.context["investment_suggestions"]
    assert [s.opportunity_id for s in suggestions] == [opportunity.pk]
    assert escape(suggestions[0].explanation["lines"][1]) in response.content.decode()


def test_the_explanation_is_translated():
    from django.utils import translation

    from matching.selectors import investment_explanation_lines

    parts = {"sector": "division", "place": "origin_province", "amount": "below", "stage": "financing"}
    with translation.override("en"):
        assert investment_explanation_lines(parts)["lines"] == [
            "Same sector and same ISIC division",
            "In the investor's province of origin",
            "The amount is below the investment range",
            "Project stage: Looking for financing",
        ]
    with translation.override("ar"):
        assert investment_explanation_lines(parts)["lines"][1] == "في الإقليم الأصلي للمستثمر"
    with translation.override("fr"):
        assert investment_explanation_lines(parts)["lines"][1] == "Dans la province d'origine de l'investisseur"


def test_the_investor_sees_only_their_own_projects_suggestions(client_for, project, opportunity, other_investor):
    other_project = ProjectFactory(investor=other_investor)
    services.investment_rematch()
    response = _project_page(client_for(project.investor), project)
    assert {s.project_id for s in response.context["investment_suggestions"]} == {project.pk}
    assert _project_page(client_for(project.investor), other_project).status_code == 404


def test_the_regions_official_sees_the_fitting_projects_without_contact_details(
    client_for, project, opportunity, official_a
):
    services.investment_rematch()
    response = _opportunity_page(client_for(official_a), opportunity)
    assert [s.project_id for s in response.context["investment_suggestions"]] == [project.pk]
    html = response.content.decode()
    assert escape(project.title) in html
    assert project.investor.email not in html
    assert project.investor.expert_profile.phone not in html


def test_a_coordinator_sees_the_fitting_projects(client_for, project, opportunity, coordinator):
    services.investment_rematch()
    response = _opportunity_page(client_for(coordinator), opportunity)
    assert [s.project_id for s in response.context["investment_suggestions"]] == [project.pk]


def test_an_official_of_another_region_sees_nothing(client_for, project, opportunity, official_b):
    services.investment_rematch()
    response = _opportunity_page(client_for(official_b), opportunity)
    assert response.status_code == 200
    assert response.context["investment_suggestions"] is None
    assert escape(project.title) not in response.content.decode()


def test_the_anonymous_visitor_and_another_member_see_nothing(client, client_for, project, opportunity, other_investor):
    services.investment_rematch()
    assert _opportunity_page(client, opportunity).context["investment_suggestions"] is None
    assert _opportunity_page(client_for(other_investor), opportunity).context["investment_suggestions"] is None
    assert escape(project.title) not in _opportunity_page(client, opportunity).content.decode()


def test_withdrawn_consent_hides_the_suggestions_at_once(client_for, project, opportunity, official_a):
    services.investment_rematch()
    consent_set(profile=project.investor.expert_profile, choices={"matching": False})
    # the rows are still stored until the queued re-match runs; nobody sees them meanwhile
    assert InvestmentMatch.objects.count() == 1
    assert _project_page(client_for(project.investor), project).context["investment_suggestions"] == []
    assert _opportunity_page(client_for(official_a), opportunity).context["investment_suggestions"] == []
    services.investment_rematch()
    assert InvestmentMatch.objects.count() == 0


def test_a_dropped_project_disappears_from_the_opportunity_at_once(client_for, project, opportunity, official_a):
    services.investment_rematch()
    project_transition(project=project, to=ProjectStatus.DROPPED, by=official_a, note="Abandon")
    assert _opportunity_page(client_for(official_a), opportunity).context["investment_suggestions"] == []


# --- constant query counts -----------------------------------------------------------------


@pytest.fixture
def other_investor(region_a):
    from portal.enums import Role
    from tests.factories import UserFactory

    user = UserFactory(role=Role.MEMBER)
    ConsentingExpertFactory(user=user, origin_region=region_a)
    return user


@pytest.mark.parametrize("rows", [1, 8])
def test_project_page_queries_are_constant(client_for, investor, taxonomy, region_a, rows, django_assert_num_queries):
    project = ProjectFactory(investor=investor)
    for _ in range(rows):
        OpportunityFactory()
    services.investment_rematch()
    client = client_for(investor)
    with django_assert_num_queries(9):
        response = _project_page(client, project)
    assert len(response.context["investment_suggestions"]) == rows


@pytest.mark.parametrize("rows", [1, 8])
def test_opportunity_page_queries_are_constant(
    client_for, investor, taxonomy, region_a, official_a, rows, django_assert_num_queries
):
    opportunity = OpportunityFactory()
    for _ in range(rows):
        ProjectFactory(investor=investor)
    services.investment_rematch()
    client = client_for(official_a)
    with django_assert_num_queries(8):
        response = _opportunity_page(client, opportunity)
    assert len(response.context["investment_suggestions"]) == rows


@pytest.mark.parametrize("rows", [1, 8])
def test_the_selectors_take_one_query_each(investor, taxonomy, region_a, official_a, rows, django_assert_num_queries):
    from matching.selectors import investment_suggestions_for_opportunity, investment_suggestions_for_project

    opportunity = OpportunityFactory()
    projects = [ProjectFactory(investor=investor) for _ in range(rows)]
    for _ in range(rows - 1):
        OpportunityFactory()
    services.investment_rematch()
    official_a._jusur_region_ids = {region_a.pk}  # the request has already resolved it
    with django_assert_num_queries(1):
        for_opportunity = investment_suggestions_for_opportunity(opportunity=opportunity, user=official_a)
    with django_assert_num_queries(1):
        for_project = investment_suggestions_for_project(project=projects[0], user=investor)
    assert (len(for_opportunity), len(for_project)) == (rows, rows)


def test_staff_see_the_suggestions_read_only_in_the_admin(client_for, project, opportunity):
    from tests.factories import UserFactory

    services.investment_rematch()
    admin = UserFactory(is_staff=True, is_superuser=True)
    response = client_for(admin).get(reverse("admin:matching_investmentmatch_changelist"))
    assert response.status_code == 200
    assert escape(opportunity.title) in response.content.decode()
