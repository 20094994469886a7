import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation

from portal.models import Notification
from projects.enums import ProjectStatus
from projects.models import Project, ProjectTransition
from projects.services import project_note_add, project_transition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _state(project):
    project = Project.objects.get(pk=project.pk)
    steps = list(ProjectTransition.objects.filter(project=project).values_list("from_status", "to_status", "note"))
    return project.status, project.due_at, project.drop_reason, steps


def test_submit_records_the_first_step_and_assigns_the_region_officer(project, member, official_a):
    assert project.status == ProjectStatus.SUBMITTED
    assert project.assigned_officer == official_a
    assert list(project.history.values_list("from_status", "to_status", "by")) == [("", "submitted", member.pk)]
    assert (project.due_at - project.status_changed_at).days == 10
    assert sorted(Notification.objects.values_list("user_id", "kind")) == sorted(
        [(member.pk, "projects.received"), (official_a.pk, "projects.assigned")]
    )


def test_official_moves_the_project_along_the_whole_pipeline(project, official_a, member):
    for target, days in [("under_review", 30), ("accompanied", 60), ("financed", 90), ("launched", None)]:
        project_transition(project=project, to=target, by=official_a, note=f"vers {target}")
        project.refresh_from_db()
        assert project.status == target
        assert (project.due_at - project.status_changed_at).days == days if days else project.due_at is None
    steps = list(project.history.values_list("from_status", "to_status", "by", "note"))
    assert steps == [
        ("", "submitted", member.pk, ""),
        ("submitted", "under_review", official_a.pk, "vers under_review"),
        ("under_review", "accompanied", official_a.pk, "vers accompanied"),
        ("accompanied", "financed", official_a.pk, "vers financed"),
        ("financed", "launched", official_a.pk, "vers launched"),
    ]


def test_each_change_notifies_the_investor_in_their_language(
    django_capture_on_commit_callbacks, project, official_a, member
):
    member.preferred_language = "ar"
    member.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        project_transition(project=project, to="under_review", by=official_a, note="ملف كامل")
    notification = Notification.objects.filter(user=member, kind="projects.status").get()
    assert notification.subject == "مشروعك «Huilerie moderne à Béni Mellal» أصبح الآن: قيد الدراسة"
    assert notification.url == f"/ar/investment/projects/{project.pk}/"
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert "ملف كامل" in mail.outbox[0].body


def test_invalid_transition_is_refused_with_a_clear_error_and_changes_nothing(project, official_a):
    before = _state(project)
    with pytest.raises(ValidationError) as error:
        project_transition(project=project, to="financed", by=official_a, note="")
    assert error.value.message_dict == {"to": ["A project that is “Submitted” cannot move to “Financed”."]}
    assert _state(project) == before


def test_unknown_state_is_refused(project, official_a):
    before = _state(project)
    with pytest.raises(ValidationError) as error:
        project_transition(project=project, to="teleported", by=official_a, note="")
    assert error.value.message_dict == {"to": ["Unknown state."]}
    assert _state(project) == before


def test_a_finished_project_cannot_move(project, official_a):
    project_transition(project=project, to="dropped", by=official_a, note="Terrain indisponible")
    before = _state(project)
    with pytest.raises(ValidationError):
        project_transition(project=project, to="under_review", by=official_a, note="")
    assert _state(project) == before


def test_dropping_needs_a_reason_and_keeps_it(project, official_a):
    before = _state(project)
    with pytest.raises(ValidationError) as error:
        project_transition(project=project, to="dropped", by=official_a, note="   ")
    assert error.value.message_dict == {"note": ["This field is required."]}
    assert _state(project) == before
    project_transition(project=project, to="dropped", by=official_a, note="Financement refusé")
    project.refresh_from_db()
    assert (project.status, project.drop_reason, project.due_at) == ("dropped", "Financement refusé", None)


def test_investor_may_withdraw_but_not_advance_their_project(project, member, official_a):
    before = _state(project)
    with pytest.raises(PermissionDenied):
        project_transition(project=project, to="under_review", by=member, note="")
    assert _state(project) == before
    project_transition(project=project, to="dropped", by=member, note="Je rentre plus tard")
    project.refresh_from_db()
    assert project.status == "dropped"
    # The officer is told when the investor withdraws.
    assert Notification.objects.filter(user=official_a, kind="projects.status").count() == 1


@pytest.mark.parametrize("persona", ["official_b", "partner_user", "other_member", "anonymous"])
def test_others_cannot_move_a_project(request, project, persona):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)
    before = _state(project)
    for target in ("under_review", "dropped"):
        with pytest.raises(PermissionDenied):
            project_transition(project=project, to=target, by=user, note="x")
    assert _state(project) == before


def test_coordinator_may_move_any_region_project(project, coordinator):
    project_transition(project=project, to="under_review", by=coordinator, note="")
    project.refresh_from_db()
    assert project.status == "under_review"


def test_history_cannot_be_edited_or_deleted(project):
    step = project.history.get()
    step.note = "rewritten"
    with pytest.raises(ValidationError):
        step.save()
    with pytest.raises(ValidationError):
        step.delete()
    with pytest.raises(ValidationError):
        ProjectTransition.objects.filter(pk=step.pk).update(note="rewritten")
    with pytest.raises(ValidationError):
        ProjectTransition.objects.filter(pk=step.pk).delete()
    assert list(ProjectTransition.objects.values_list("note", flat=True)) == [""]


def test_status_cannot_be_set_through_a_form_or_the_admin(client_for, project, coordinator):
    coordinator.is_staff = coordinator.is_superuser = True
    coordinator.save()
    client = client_for(coordinator)
    page = client.get(f"/fr/admin/projects/project/{project.pk}/change/")
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    history_page = client.get(f"/fr/admin/projects/projecttransition/{project.history.get().pk}/change/")
    assert history_page.status_code == 200
    assert 'name="note"' not in history_page.content.decode()  # read-only view
    assert client.post(f"/fr/admin/projects/projecttransition/{project.history.get().pk}/delete/").status_code == 403


def test_concurrent_stale_object_uses_the_current_state(project, official_a):
    stale = Project.objects.get(pk=project.pk)
    project_transition(project=project, to="under_review", by=official_a, note="")
    with transaction.atomic(), pytest.raises(ValidationError):
        project_transition(project=stale, to="under_review", by=official_a, note="")
    assert project.history.count() == 2


def test_the_database_refuses_to_rewrite_history(project, official_a):
    from django.db import IntegrityError, connection

    project_note_add(project=project, by=official_a, body="Première note")
    step = project.history.get()
    for sql in (
        "UPDATE projects_projecttransition SET note = 'réécrit' WHERE id = %s",
        "UPDATE projects_projecttransition SET to_status = 'launched' WHERE id = %s",
        "UPDATE projects_projecttransition SET by_id = %s WHERE id = %s",
    ):
        params = [official_a.pk, step.pk] if "by_id" in sql else [step.pk]
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE projects_projectnote SET body = 'réécrit'")
    # Erasing a person keeps the step without them: setting the person to NULL is allowed.
    ProjectTransition._base_manager.filter(pk=step.pk).update(by=None)
    assert list(ProjectTransition.objects.values_list("note", "to_status", "by")) == [("", "submitted", None)]
