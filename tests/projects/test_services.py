import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from portal.enums import Role
from portal.models import Notification
from projects.models import Opportunity, Project
from projects.services import (
    opportunity_close,
    opportunity_update,
    project_assign,
    project_submit,
    project_transition,
    project_update,
)
from tests.factories import UserFactory
from tests.projects.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_project_goes_to_the_least_loaded_officer(member, official_a, region_a, project_data):
    colleague = UserFactory(role=Role.OFFICIAL, regions=[region_a])
    first = project_submit(investor=member, data=project_data)
    second = project_submit(investor=member, data={**project_data, "title": "Deuxième"})
    assert {first.assigned_officer, second.assigned_officer} == {official_a, colleague}


def test_project_in_a_region_without_officials_waits_unassigned(member, project_data, region_souss):
    from regions.models import Province

    agadir = Province.objects.get(code="09.001")
    project = project_submit(
        investor=member,
        data={**project_data, "region": region_souss, "province": agadir, "commune": agadir.communes.first()},
    )
    assert project.assigned_officer is None
    assert list(Notification.objects.values_list("kind", flat=True)) == ["projects.received"]


def test_assign_only_an_official_of_the_projects_region(project, official_a, official_b, region_a):
    colleague = UserFactory(role=Role.OFFICIAL, regions=[region_a])
    with pytest.raises(ValidationError) as error:
        project_assign(project=project, officer=official_b, by=official_a)
    assert error.value.message_dict == {"officer": ["Choose an official of the project's region."]}
    with pytest.raises(PermissionDenied):
        project_assign(project=project, officer=official_b, by=official_b)
    assert Project.objects.get().assigned_officer == official_a
    project_assign(project=project, officer=colleague, by=official_a)
    assert Project.objects.get().assigned_officer == colleague
    assert Notification.objects.filter(user=colleague, kind="projects.assigned").count() == 1


def test_investor_edits_only_while_submitted_or_under_review(project, member, official_a, region_b):
    project_update(project=project, by=member, data={"expected_jobs": 20})
    with pytest.raises(ValidationError) as error:
        project_update(project=Project.objects.get(), by=member, data={"region": region_b})
    assert error.value.message_dict == {"region": ["The target region cannot be changed after submission."]}
    project_transition(project=project, to="under_review", by=official_a)
    project_transition(project=project, to="accompanied", by=official_a)
    with pytest.raises(ValidationError):
        project_update(project=Project.objects.get(), by=member, data={"expected_jobs": 99})
    assert Project.objects.get().expected_jobs == 20


def test_only_the_investor_edits_their_project(project, official_a, other_member):
    for user in (official_a, other_member):
        with pytest.raises(PermissionDenied):
            project_update(project=Project.objects.get(), by=user, data={"title": "piraté"})
    assert Project.objects.get().title == "Huilerie moderne à Béni Mellal"


def test_a_project_answers_only_a_published_opportunity(member, project_data, territories, taxonomy):
    draft = OpportunityFactory(status="draft", published_at=None)
    with pytest.raises(ValidationError) as error:
        project_submit(investor=member, data={**project_data, "opportunity": draft})
    assert error.value.message_dict == {"opportunity": ["This opportunity is not open."]}
    assert Project.objects.count() == 0


def test_service_refuses_bad_amounts_whoever_calls_it(member, project_data):
    for changes, field in [
        ({"amount_mad": 50}, "amount_mad"),
        ({"amount_mad": 10**13}, "amount_mad"),
        ({"share_from_abroad_pct": 101}, "share_from_abroad_pct"),
        ({"own_contribution_mad": 9_000_000}, "own_contribution_mad"),
        ({"support_needed": ["land", 3]}, "support_needed"),
    ]:
        with pytest.raises(ValidationError) as error:
            project_submit(investor=member, data={**project_data, **changes})
        assert field in error.value.message_dict
    assert Project.objects.count() == 0


def test_closed_opportunity_cannot_be_edited(official_a, territories, taxonomy):
    opportunity = OpportunityFactory()
    opportunity_update(opportunity=opportunity, by=official_a, data={"title": "Nouveau titre"})
    opportunity_close(opportunity=opportunity, by=official_a)
    with pytest.raises(ValidationError) as error:
        opportunity_update(opportunity=opportunity, by=official_a, data={"title": "Encore"})
    assert error.value.messages == ["A closed opportunity can no longer be edited."]
    with pytest.raises(ValidationError):
        opportunity_close(opportunity=opportunity, by=official_a)
    assert Opportunity.objects.get().title == "Nouveau titre"


def test_an_official_cannot_move_an_opportunity_to_another_region(official_a, region_b, territories, taxonomy):
    opportunity = OpportunityFactory()
    with pytest.raises(PermissionDenied):
        opportunity_update(opportunity=opportunity, by=official_a, data={"region": region_b, "province": None})
    assert Opportunity.objects.get().region.code == "05"
