"""Issue 14, item 4 on the roadmap pages: uploads checked by content with translated errors,
stored under random names, downloaded as attachments (nosniff, sanitised name)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from regions.models import RoadmapDocument
from tests.files import HTML, ooxml_bytes

pytestmark = pytest.mark.django_db

STORED = re.compile(r"^regions/roadmaps/\d+/[0-9a-f]{32}\.docx$")


def test_roadmap_document_page_refuses_an_html_file_with_a_translated_error(client_for, official_a, roadmap_a):
    response = client_for(official_a).post(
        f"/ar/regions/05/roadmaps/{roadmap_a.version}/documents/new/",
        {
            "title": "Page",
            "language": "fr",
            "file": SimpleUploadedFile("page.html", HTML, content_type="application/pdf"),
        },
    )

    assert response.status_code == 400  # the form again, with the error on the file field
    assert "لا تُقبل إلا ملفات PDF وWord وExcel وPowerPoint وOpenDocument." in response.content.decode()
    assert RoadmapDocument.objects.count() == 0


def test_stored_names_are_random_with_the_kind_extension(client_for, official_a, roadmap_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client_for(official_a).post(
        f"/fr/regions/05/roadmaps/{roadmap_a.version}/documents/new/",
        {"title": "Annexe", "language": "fr", "file": SimpleUploadedFile("../Annexe <b>.docx", ooxml_bytes("docx"))},
    )

    assert response.status_code == 302
    document = RoadmapDocument.objects.get()
    assert STORED.match(document.file.name), document.file.name
    assert (tmp_path / document.file.name).read_bytes() == ooxml_bytes("docx")


def _assert_download(response, *, filename: str, content_type: str, private: bool):
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    if private:
        assert "no-store" in response["Cache-Control"]


def test_public_roadmap_document_downloads_as_an_attachment(client, official_a, roadmap_a, settings, tmp_path):
    from regions.services import roadmap_document_add

    settings.MEDIA_ROOT = tmp_path
    document = roadmap_document_add(
        roadmap=roadmap_a,
        by=official_a,
        title='Budget "2025" / annexe',
        language="fr",
        file=SimpleUploadedFile("budget.xlsx", ooxml_bytes("xlsx")),
    )

    response = client.get(f"/fr/regions/05/roadmaps/{roadmap_a.version}/documents/{document.pk}/")

    _assert_download(
        response,
        filename="Budget 2025 annexe.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        private=False,
    )
    assert b"".join(response.streaming_content) == ooxml_bytes("xlsx")


def test_a_file_stored_before_the_fix_is_served_as_an_opaque_attachment(client, roadmap_a, settings, tmp_path):
    # An .html roadmap document uploaded under the old rules: never rendered, never sniffed.
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "regions/roadmaps/1").mkdir(parents=True)
    (tmp_path / "regions/roadmaps/1/page.html").write_bytes(HTML)
    document = RoadmapDocument.objects.create(roadmap=roadmap_a, title="Page", file="regions/roadmaps/1/page.html")

    response = client.get(f"/fr/regions/05/roadmaps/{roadmap_a.version}/documents/{document.pk}/")

    _assert_download(response, filename="Page.html", content_type="application/octet-stream", private=False)
