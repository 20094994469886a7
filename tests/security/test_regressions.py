"""The audit's file and body payloads, replayed through the pages and the API: an oversize body
is refused (413) before it is read, and a polyglot (a PDF header in front of HTML and script) is
not stored as a document (portal/body_limits.py, portal/validators.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import OpportunityDocument, ProjectDocument
from tests.security.pdf import valid_pdf

pytestmark = pytest.mark.django_db

OVERSIZE = 50 * 1024 * 1024  # announced, never sent: the server must refuse on the header alone
POLYGLOTS = {
    "html after the header": b"%PDF-1.4\n<html><body><script>alert(document.domain)</script></body></html>\n",
    "html before the header": b"<html><script>alert(1)</script>\n%PDF-1.4\n%%EOF\n",
    "zip after the header": b"%PDF-1.4\nPK\x03\x04" + b"\x00" * 64,
}


def _targets(world):
    project = world.objects["project"]
    return [
        ("anonymous", reverse("login")),
        ("anonymous", reverse("diaspora:signup")),
        ("member_a", reverse("projects:project_document_upload", kwargs={"pk": project.pk})),
        ("member_a", reverse("diaspora:profile_edit", kwargs={"step": "offer"})),
        ("official_a", reverse("regions:need_edit", kwargs={"code": "05", "pk": world.objects["draft_need"].pk})),
        ("partner_a", "/api/v1/need-proposals/"),
    ]


def test_an_oversize_body_is_refused_with_413_before_it_is_read(world, clients):
    answers = []
    for persona, url in _targets(world):
        response = clients[persona].generic(
            "POST",
            url,
            b"a=1",
            content_type="application/x-www-form-urlencoded",
            CONTENT_LENGTH=str(OVERSIZE),
        )
        answers.append((url, response.status_code))
    assert answers == [(url, 413) for _persona, url in _targets(world)]


def test_an_oversize_body_never_fails_nor_writes(world, clients):
    """What holds already, whatever the status: no 500, nothing stored."""
    before = (ProjectDocument.objects.count(), OpportunityDocument.objects.count())
    for persona, url in _targets(world):
        response = clients[persona].generic(
            "POST", url, b"a=1", content_type="application/x-www-form-urlencoded", CONTENT_LENGTH=str(OVERSIZE)
        )
        assert response.status_code < 500, url
    assert (ProjectDocument.objects.count(), OpportunityDocument.objects.count()) == before


def _upload(clients, world, content: bytes, name: str = "plan.pdf"):
    url = reverse("projects:project_document_upload", kwargs={"pk": world.objects["project"].pk})
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return clients["member_a"].post(url, {"file": upload})


def test_a_real_pdf_is_stored(world, clients):
    """Positive control of the polyglot test: the same upload with a real PDF is kept."""
    before = ProjectDocument.objects.count()
    _upload(clients, world, valid_pdf())
    assert ProjectDocument.objects.count() == before + 1


@pytest.mark.parametrize("kind", POLYGLOTS)
def test_a_polyglot_is_not_stored(kind, world, clients):
    before = ProjectDocument.objects.count()
    response = _upload(clients, world, POLYGLOTS[kind])
    assert response.status_code < 500
    assert ProjectDocument.objects.count() == before
