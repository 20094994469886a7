"""Project documents are private: streamed only to who may see the project, never from a public URL."""

import pytest
from django.core.exceptions import PermissionDenied

from projects.models import ProjectDocument
from projects.services import project_document_add, project_partner_attach
from tests.projects.conftest import PDF_BYTES, pdf
from tests.projects.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(project, member):
    return project_document_add(project=project, by=member, upload=pdf("business-plan.pdf"))


def test_document_is_stored_outside_any_served_folder(document, settings):
    path = document.file.path
    assert path.startswith(str(settings.MEDIA_ROOT / "private"))
    assert "business-plan" not in path  # stored under a random name


@pytest.mark.parametrize("persona", ["member", "official_a", "coordinator"])
def test_document_is_streamed_to_who_may_see_the_project(client_for, request, document, persona):
    response = client_for(request.getfixturevalue(persona)).get(f"/fr/investment/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="business-plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_download_name_is_sanitised(client_for, project, member):
    document = project_document_add(project=project, by=member, upload=pdf('plan"\r\nX-Evil: 1.html'))

    response = client_for(member).get(f"/fr/investment/documents/{document.pk}/")

    # The stored kind's extension is appended: the browser saves what the content is.
    assert response["Content-Disposition"] == 'attachment; filename="plan_X-Evil 1.html.pdf"'


@pytest.mark.parametrize("persona", ["official_b", "partner_user", "other_member"])
def test_document_is_hidden_from_others(client_for, request, document, persona):
    assert (
        client_for(request.getfixturevalue(persona)).get(f"/fr/investment/documents/{document.pk}/").status_code == 404
    )


def test_document_is_not_public(client, document):
    assert client.get(f"/fr/investment/documents/{document.pk}/").status_code == 302
    assert client.get(f"/media/{document.file.name}").status_code == 404


def test_attached_partner_may_read_documents(client_for, document, project, member, partner_user):
    project_partner_attach(project=project, partner=partner_user.partner, by=member)
    assert client_for(partner_user).get(f"/fr/investment/documents/{document.pk}/").status_code == 200


def test_upload_refuses_non_pdf_through_the_page(client_for, project, member):
    response = client_for(member).post(
        f"/en/investment/projects/{project.pk}/documents/", {"file": pdf("virus.pdf", b"<script>alert(1)</script>")}
    )
    assert response.status_code == 302
    assert ProjectDocument.objects.count() == 0


def test_others_cannot_upload(project, official_b, partner_user):
    for user in (official_b, partner_user):
        with pytest.raises(PermissionDenied):
            project_document_add(project=project, by=user, upload=pdf())
    assert ProjectDocument.objects.count() == 0


def test_delete_asks_for_confirmation_then_removes_the_file(
    client_for, document, member, django_capture_on_commit_callbacks
):
    path = document.file.path
    client = client_for(member)
    assert client.get(f"/fr/investment/documents/{document.pk}/delete/").status_code == 200
    assert ProjectDocument.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/fr/investment/documents/{document.pk}/delete/").status_code == 302
    assert ProjectDocument.objects.count() == 0
    import os

    assert not os.path.exists(path)


@pytest.mark.parametrize("persona", ["official_b", "partner_user", "other_member"])
def test_others_cannot_delete(client_for, request, document, persona):
    assert (
        client_for(request.getfixturevalue(persona)).post(f"/fr/investment/documents/{document.pk}/delete/").status_code
        == 404
    )
    assert ProjectDocument.objects.count() == 1


def test_opportunity_documents_follow_the_opportunity(
    client, client_for, official_a, official_b, territories, taxonomy
):
    from projects.services import opportunity_document_add

    draft = OpportunityFactory(status="draft", published_at=None)
    document = opportunity_document_add(opportunity=draft, by=official_a, upload=pdf("plan-zone.pdf"), title="Plan")
    assert client.get(f"/fr/investment/opportunity-documents/{document.pk}/").status_code == 404
    assert client_for(official_b).get(f"/fr/investment/opportunity-documents/{document.pk}/").status_code == 404
    assert client_for(official_a).get(f"/fr/investment/opportunity-documents/{document.pk}/").status_code == 200
    with pytest.raises(PermissionDenied):
        opportunity_document_add(opportunity=draft, by=official_b, upload=pdf())
