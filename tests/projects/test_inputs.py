"""The investment area's editable fields are listed once, in its typed inputs
(projects/services/): the forms show exactly those, and the services write nothing else —
status, officer, investor and dates belong to the pipeline, whoever calls."""

import pytest
from django.core.exceptions import ValidationError

from projects.enums import OpportunityStatus, ProjectStatus
from projects.forms import OpportunityForm, ProjectForm
from projects.models import Project
from projects.services import OpportunityInput, ProjectInput, opportunity_update, project_submit, project_update

from .factories import OpportunityFactory

# (form, its input, the form's own fields that are not the input's, the input's the form does
# not show). Documents are files given beside a project; translations come from the language groups.
FORMS = [
    pytest.param(ProjectForm, ProjectInput, {"documents"}, set(), id="project"),
    pytest.param(OpportunityForm, OpportunityInput, set(), {"translations"}, id="opportunity"),
]


@pytest.mark.parametrize(("form_class", "input_class", "form_only", "not_on_form"), FORMS)
def test_form_fields_are_the_input_fields(form_class, input_class, form_only, not_on_form):
    assert form_class.input_class is input_class
    shown = [name for name in form_class.base_fields if name not in form_only]
    assert shown == input_class.names(exclude=tuple(not_on_form))


@pytest.mark.parametrize("field", ["status", "investor", "assigned_officer", "due_at", "created_at"])
def test_a_project_submission_cannot_set_what_the_pipeline_owns(member, official_a, project_data, field):
    with pytest.raises(TypeError, match=field):
        project_submit(investor=member, data=project_data | {field: None})
    assert not Project.objects.exists()


def test_an_investors_correction_changes_only_what_it_gives(member, official_a, project_data):
    project = project_submit(investor=member, data=project_data)

    with pytest.raises(TypeError, match="status"):
        project_update(project=project, by=member, data={"status": ProjectStatus.FINANCED})
    project_update(project=project, by=member, data=ProjectInput(expected_jobs=20))

    project.refresh_from_db()
    assert (project.status, project.expected_jobs, project.title) == (
        ProjectStatus.SUBMITTED,
        20,
        project_data["title"],
    )


def test_an_opportunity_edit_cannot_publish_it(official_a, region_a, sector_a):
    opportunity = OpportunityFactory(title="Zone d'activité de Fquih Ben Salah", status=OpportunityStatus.DRAFT)

    with pytest.raises(TypeError, match="status"):
        opportunity_update(opportunity=opportunity, by=official_a, data={"status": "published"})
    with pytest.raises(ValidationError):
        opportunity_update(opportunity=opportunity, by=official_a, data=OpportunityInput(title=""))

    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.title) == (OpportunityStatus.DRAFT, "Zone d'activité de Fquih Ben Salah")
