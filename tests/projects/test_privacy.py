import pytest

from portal.privacy import personal_data_erase, personal_data_export
from projects.models import OpportunityInterest, Project, ProjectDocument, ProjectNote, ProjectTransition
from projects.services import (
    opportunity_interest_express,
    project_document_add,
    project_note_add,
    project_transition,
)
from tests.projects.conftest import pdf
from tests.projects.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_project(project, member, official_a):
    project_transition(project=project, to="under_review", by=official_a, note="Dossier complet")
    project_note_add(project=project, by=official_a, body="Suivi CRI")
    project_document_add(project=project, by=member, upload=pdf("plan.pdf"))
    opportunity_interest_express(opportunity=OpportunityFactory(), by=member)
    return project


def test_investor_export_holds_their_projects(busy_project, member):
    export = personal_data_export(member)["models"]
    assert [row["title"] for row in export["projects.Project"]] == ["Huilerie moderne à Béni Mellal"]
    assert len(export["projects.OpportunityInterest"]) == 1
    assert len(export["projects.ProjectDocument"]) == 1


def test_erasing_the_investor_deletes_their_projects_and_files(
    busy_project, member, django_capture_on_commit_callbacks
):
    path = ProjectDocument.objects.get().file.path
    with django_capture_on_commit_callbacks(execute=True):
        personal_data_erase(member)
    assert (Project.objects.count(), ProjectTransition.objects.count(), ProjectNote.objects.count()) == (0, 0, 0)
    assert OpportunityInterest.objects.count() == 0
    import os

    assert not os.path.exists(path)


def test_erasing_the_officer_keeps_the_project_without_their_name(busy_project, member, official_a):
    personal_data_erase(official_a)
    project = Project.objects.get()
    assert (project.investor, project.assigned_officer, project.status) == (member, None, "under_review")
    assert list(project.history.values_list("by", "to_status")) == [(member.pk, "submitted"), (None, "under_review")]
    assert list(project.notes.values_list("author", "body")) == [(None, "Suivi CRI")]
