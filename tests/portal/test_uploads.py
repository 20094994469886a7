"""Issue 14, item 4: every upload goes through one validator (real type by content, size, safe
stored name), and every download leaves as an attachment with nosniff and a sanitised name."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from diaspora.models import ExpertProfile
from portal.validators import DOCUMENT_KINDS, PdfFile, UploadFile, safe_filename
from projects.models import OpportunityDocument, ProjectDocument
from regions.models import RoadmapDocument, Study
from tests.files import EXE, HTML, NO_PAGE_PDF, PDF, POLYGLOT, SVG, broken_ooxml, odf_bytes, ooxml_bytes, plain_zip

pytestmark = pytest.mark.django_db

STORED = re.compile(r"^regions/(roadmaps/\d+|studies)/[0-9a-f]{32}\.(pdf|docx|xlsx|odt)$")


def _codes(validator, name: str, content: bytes) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validator(SimpleUploadedFile(name, content))
    return [error.code for error in caught.value.error_list]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cv.pdf", POLYGLOT),  # `%PDF-` then a web page: passed the old header check
        ("cv.pdf", b"%PDF-1.7\n" + b"0" * 2000),  # a header and nothing a reader can open
        ("cv.pdf", NO_PAGE_PDF),
        ("cv.pdf", b"<html>" + PDF),  # markup before a real PDF: a polyglot too
        ("cv.html", HTML),
        ("cv.svg", SVG),
        ("cv.exe", EXE),
        ("cv.pdf", ooxml_bytes("docx")),
    ],
)
def test_pdf_fields_refuse_what_is_not_a_pdf(name, content):
    assert _codes(PdfFile(max_mb=5), name, content) == ["not_pdf"]


def test_the_validator_is_on_every_upload_field():
    # The admin and every ModelForm check the same; the forms and services use the same objects.
    fields = {
        ExpertProfile: "cv",
        ProjectDocument: "file",
        OpportunityDocument: "file",
        Study: "file",
        RoadmapDocument: "file",
    }
    for model, name in fields.items():
        validators = model._meta.get_field(name).validators
        assert [type(v) for v in validators if isinstance(v, UploadFile)] != [], model


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("deliberation.pdf", PDF),
        ("annexe.docx", ooxml_bytes("docx")),
        ("budget.xlsx", ooxml_bytes("xlsx")),
        ("compte-rendu.odt", odf_bytes()),
    ],
)
def test_roadmap_documents_accept_pdf_and_office_files(name, content):
    upload = SimpleUploadedFile(name, content)

    assert UploadFile(max_mb=20, kinds=DOCUMENT_KINDS)(upload) is None
    assert upload.read() == content  # read from the start again, whole


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("page.html", HTML, "not_document"),
        ("logo.svg", SVG, "not_document"),
        ("setup.exe", EXE, "not_document"),
        ("pages.zip", plain_zip(), "not_document"),
        ("macro.docm", ooxml_bytes("docm"), "not_document"),  # macro-enabled: refused
        ("broken.docx", broken_ooxml(), "not_document"),
        ("annexe.docx", POLYGLOT, "not_document"),
        ("annexe.pdf", ooxml_bytes("docx"), "wrong_extension"),  # would be served as a PDF
        ("deliberation.docx", PDF, "wrong_extension"),
    ],
)
def test_roadmap_documents_refuse_everything_else(name, content, code):
    assert _codes(UploadFile(max_mb=20, kinds=DOCUMENT_KINDS), name, content) == [code]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ar", "لا تُقبل إلا ملفات PDF وWord وExcel وPowerPoint وOpenDocument."),
        ("fr", "Seuls les fichiers PDF, Word, Excel, PowerPoint et OpenDocument sont acceptés."),
        ("en", "Only PDF, Word, Excel, PowerPoint and OpenDocument files are accepted."),
    ],
)
def test_refusals_are_translated(language, message):
    with translation.override(language):
        with pytest.raises(ValidationError) as caught:
            UploadFile(max_mb=20, kinds=DOCUMENT_KINDS)(SimpleUploadedFile("page.html", HTML))
        assert caught.value.messages == [message]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "etc_passwd"),
        ("C:\\Users\\salma\\CV Salma.pdf", "C_Users_salma_CV Salma.pdf"),
        ('plan"; filename="evil.html', "plan filename_evil.html"),
        ("\x00\r\nX-Injected: 1.pdf", "X-Injected 1.pdf"),
        ("خطة الاستثمار.pdf", "خطة الاستثمار.pdf"),
        ("...", "document"),
        ("", "document"),
        ("a" * 150 + ".pdf", "a" * 96 + ".pdf"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_privacy_export_is_a_private_attachment(client_for, member):
    response = client_for(member).get("/fr/diaspora/me/privacy/export/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="jusur-my-data.zip"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
