"""Who sees which project: the investor their own, the region's officials their region's, another
region's official nothing, a partner only the projects it is attached to with consent."""

import pytest
from django.contrib.auth.models import AnonymousUser

from portal.enums import Role
from projects.models import Project, ProjectNote
from projects.selectors import project_list
from projects.services import project_note_add, project_partner_attach
from tests.factories import UserFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(project, region_b, partner_user):
    """`project` (member, region 05) plus a project in region 02 by someone else."""
    other = ProjectFactory(region=region_b, title="Atelier de menuiserie à Oujda")
    return {"mine": project, "other": other}


def _titles(user):
    return sorted(project.title for project in project_list(user=user).qs)


def test_investor_sees_only_their_own_projects(world, member):
    assert _titles(member) == ["Huilerie moderne à Béni Mellal"]


def test_official_sees_their_regions_projects_only(world, official_a, official_b):
    assert _titles(official_a) == ["Huilerie moderne à Béni Mellal"]
    assert _titles(official_b) == ["Atelier de menuiserie à Oujda"]


def test_official_of_a_region_without_projects_sees_nothing(world, region_souss):
    souss_official = UserFactory(role=Role.OFFICIAL, regions=[region_souss])
    assert _titles(souss_official) == []


def test_coordinator_sees_all(world, coordinator):
    assert _titles(coordinator) == ["Atelier de menuiserie à Oujda", "Huilerie moderne à Béni Mellal"]


def test_partner_sees_only_attached_projects_with_consent(world, partner_user, member, official_a):
    assert _titles(partner_user) == []
    link = project_partner_attach(project=world["mine"], partner=partner_user.partner, by=official_a)
    assert _titles(partner_user) == []  # proposed, the investor has not agreed yet
    from projects.services import project_partner_consent, project_partner_end

    project_partner_consent(link=link, by=member)
    assert _titles(partner_user) == ["Huilerie moderne à Béni Mellal"]
    project_partner_end(link=link, by=member)
    assert _titles(partner_user) == []


def test_anonymous_and_inactive_see_nothing(world, member):
    assert _titles(AnonymousUser()) == []
    member.is_active = False
    assert _titles(member) == []


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("member", 200),
        ("official_a", 200),
        ("coordinator", 200),
        ("official_b", 404),
        ("partner_user", 404),
        ("other_member", 404),
    ],
)
def test_project_page_per_persona(client_for, request, project, persona, status):
    response = client_for(request.getfixturevalue(persona)).get(f"/fr/investment/projects/{project.pk}/")
    assert response.status_code == status


def test_anonymous_project_page_redirects_to_sign_in(client, project):
    response = client.get(f"/fr/investment/projects/{project.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/fr/accounts/login/?next=/fr/investment/projects/{project.pk}/"


def test_internal_notes_are_shown_only_to_officials(client_for, project, official_a, member, partner_user):
    project_note_add(project=project, by=official_a, body="Investisseur sérieux, terrain repéré à Fquih Ben Salah")
    project_partner_attach(project=project, partner=partner_user.partner, by=member)
    note = "Investisseur sérieux, terrain repéré à Fquih Ben Salah"
    assert note in client_for(official_a).get(f"/fr/investment/projects/{project.pk}/").content.decode()
    assert note not in client_for(member).get(f"/fr/investment/projects/{project.pk}/").content.decode()
    assert note not in client_for(partner_user).get(f"/fr/investment/projects/{project.pk}/").content.decode()


@pytest.mark.parametrize("persona", ["member", "official_b", "partner_user", "other_member"])
def test_others_cannot_add_internal_notes(client_for, request, project, persona):
    response = client_for(request.getfixturevalue(persona)).post(
        f"/fr/investment/projects/{project.pk}/notes/", {"body": "intrusion"}
    )
    assert response.status_code in (403, 404)
    assert ProjectNote.objects.count() == 0


@pytest.mark.parametrize("persona", ["official_b", "partner_user", "other_member"])
def test_others_cannot_move_edit_or_assign_through_the_pages(client_for, request, project, official_a, persona):
    client = client_for(request.getfixturevalue(persona))
    before = list(Project.objects.values_list("status", "title", "assigned_officer", "due_at"))
    base = f"/fr/investment/projects/{project.pk}"
    assert client.post(f"{base}/transition/", {"to": "under_review"}).status_code == 404
    assert client.post(f"{base}/drop/", {"note": "x"}).status_code == 404
    assert client.post(f"{base}/edit/", {"title": "piraté"}).status_code == 404
    assert client.post(f"{base}/assign/", {"officer": official_a.pk}).status_code == 404
    assert list(Project.objects.values_list("status", "title", "assigned_officer", "due_at")) == before
    assert project.history.count() == 1


def test_partner_sees_the_attached_project_but_cannot_act_on_it(client_for, project, member, partner_user):
    project_partner_attach(project=project, partner=partner_user.partner, by=member)
    client = client_for(partner_user)
    assert client.get(f"/fr/investment/projects/{project.pk}/").status_code == 200
    assert client.post(f"/fr/investment/projects/{project.pk}/transition/", {"to": "under_review"}).status_code == 403
    assert client.post(f"/fr/investment/projects/{project.pk}/drop/", {"note": "x"}).status_code == 403
    project.refresh_from_db()
    assert project.status == "submitted"
    assert project.history.count() == 1


def test_official_moves_the_project_through_the_page(client_for, project, official_a):
    response = client_for(official_a).post(
        f"/fr/investment/projects/{project.pk}/transition/", {"to": "under_review", "note": "Dossier complet"}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == "under_review"


def test_investor_sees_state_and_next_step(client_for, project, member):
    content = client_for(member).get(f"/en/investment/projects/{project.pk}/").content.decode()
    assert '<span class="status status-submitted" data-testid="project-status">Submitted</span>' in content
    assert "An officer of the region reads your project and opens its review." in content


# --- Lists keep a constant number of queries ---------------------------------------------------


def _rows(n, region, investor=None):
    extra = {"investor": investor} if investor else {}
    ProjectFactory.create_batch(n, region=region, **extra)


@pytest.mark.parametrize("rows", [1, 50])
def test_project_list_queries_for_an_official(client_for, official_a, region_a, rows, django_assert_num_queries):
    _rows(rows, region_a)
    client = client_for(official_a)
    # session, user, official's regions, filter form choices (sectors, regions, provinces), count, page
    with django_assert_num_queries(8):
        response = client.get("/fr/investment/projects/")
    assert response.status_code == 200
    assert len(response.context["projects"]) == min(rows, 20)


@pytest.mark.parametrize("rows", [1, 50])
def test_project_list_queries_for_an_investor(client_for, member, region_a, rows, django_assert_num_queries):
    _rows(rows, region_a, investor=member)
    _rows(3, region_a)  # someone else's
    client = client_for(member)
    with django_assert_num_queries(7):
        response = client.get(
            "/fr/investment/projects/?status=submitted&page=2" if rows == 50 else "/fr/investment/projects/"
        )
    assert response.status_code == 200
    assert len(response.context["projects"]) == min(rows, 20)
    assert {project.investor_id for project in response.context["projects"]} == {member.pk}


def test_project_list_is_empty_with_a_message(client_for, member):
    content = client_for(member).get("/en/investment/projects/").content.decode()
    assert "You have not submitted a project yet." in content


def test_project_list_with_bad_filters_does_not_fail(client_for, official_a, region_a):
    _rows(2, region_a)
    response = client_for(official_a).get(
        "/fr/investment/projects/?status=nope&region=ZZ&province=x&page=999&overdue=maybe"
    )
    assert response.status_code == 200
    assert response.context["filter"].errors.keys() == {"status", "region", "province"}


@pytest.mark.parametrize("documents", [1, 5])
def test_project_page_queries_do_not_grow_with_its_content(
    client_for, project, official_a, member, documents, django_assert_num_queries
):
    from projects.services import project_document_add, project_note_add
    from tests.projects.conftest import pdf
    from tests.projects.factories import EligibilityRuleFactory

    EligibilityRuleFactory()
    for index in range(documents):
        project_document_add(project=project, by=member, upload=pdf(f"doc{index}.pdf"))
        project_note_add(project=project, by=official_a, body=f"note {index}")
    client = client_for(official_a)
    # session, user, regions, project, history, documents, partners, programmes, rules, notes,
    # the assign form's officers, the partner form's organisations
    with django_assert_num_queries(12):
        response = client.get(f"/fr/investment/projects/{project.pk}/")
    assert len(response.context["documents"]) == documents


def test_members_do_not_get_officials_filters(client_for, member, official_a):
    assert "mine" not in client_for(member).get("/fr/investment/projects/").context["filter"].form.fields
    assert "mine" in client_for(official_a).get("/fr/investment/projects/").context["filter"].form.fields
