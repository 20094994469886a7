"""The one PDF check used by CVs, project documents and studies."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.migrations.writer import MigrationWriter
from django.utils import translation

from portal.validators import PdfFile
from tests.files import PDF, pdf_bytes

PDF_BYTES = PDF
MB = 1024 * 1024


def _codes(validator, upload) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validator(upload)
    return [error.code for error in caught.value.error_list]


def test_pdf_is_accepted_whatever_its_name_and_is_left_readable_from_the_start():
    upload = SimpleUploadedFile("scan.bin", PDF_BYTES, content_type="application/octet-stream")

    PdfFile(max_mb=5)(upload)

    assert upload.read() == PDF_BYTES


def test_header_after_a_few_leading_bytes_is_accepted():
    # Readers accept the header anywhere in the first 1024 bytes; so do we.
    upload = SimpleUploadedFile("cv.pdf", b"\xef\xbb\xbf" + PDF_BYTES)

    assert PdfFile(max_mb=5)(upload) is None  # a Django validator accepts by returning
    assert upload.read() == b"\xef\xbb\xbf" + PDF_BYTES  # and leaves the file to be read whole


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n" + b"0" * 100,
        b"MZ\x90\x00 an executable",
        b"<script>alert(1)</script>",
        b"0" * 1024 + b"%PDF-1.7",  # header beyond the first 1024 bytes
    ],
)
def test_renamed_non_pdf_is_refused(content):
    assert _codes(PdfFile(max_mb=5), SimpleUploadedFile("cv.pdf", content, content_type="application/pdf")) == [
        "not_pdf"
    ]


def test_oversize_is_refused_with_both_sizes_in_the_message():
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (2 * MB))

    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            PdfFile(max_mb=2)(upload)
        messages = caught.value.messages  # lazy: rendered in the active language

    assert caught.value.error_list[0].code == "too_large"
    assert messages == ["This file is too large (2.0\xa0MB); the limit is 2.0\xa0MB."]


def test_file_of_exactly_the_limit_is_accepted():
    upload = SimpleUploadedFile("edge.pdf", pdf_bytes(size=MB))

    assert PdfFile(max_mb=1)(upload) is None
    assert upload.size == MB


def test_empty_file_is_refused():
    assert _codes(PdfFile(max_mb=5), SimpleUploadedFile("empty.pdf", b"")) == ["empty"]


def test_missing_upload_is_refused_when_called_by_a_service():
    assert _codes(PdfFile(max_mb=5), None) == ["required"]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ar", "لا تُقبل إلا وثائق PDF."),
        ("fr", "Seuls les documents PDF sont acceptés."),
        ("en", "Only PDF documents are accepted."),
    ],
)
def test_messages_are_translated(language, message):
    with translation.override(language):
        with pytest.raises(ValidationError) as caught:
            PdfFile(max_mb=5)(SimpleUploadedFile("x.pdf", b"GIF89a"))
        assert caught.value.messages == [message]


def test_in_a_form_the_error_is_on_the_field():
    class UploadForm(forms.Form):
        file = forms.FileField(validators=[PdfFile(max_mb=5)])

    form = UploadForm(data={}, files={"file": SimpleUploadedFile("x.pdf", b"GIF89a")})

    with translation.override("en"):
        assert form.errors == {"file": ["Only PDF documents are accepted."]}


def test_a_model_field_can_carry_it_into_a_migration():
    field = models.FileField(validators=[PdfFile(max_mb=20)])

    _name, _path, _args, kwargs = field.deconstruct()
    source, imports = MigrationWriter.serialize(kwargs["validators"][0])

    assert source == "portal.validators.PdfFile(max_mb=20)"
    assert imports == {"import portal.validators"}
    assert PdfFile(max_mb=20) == PdfFile(max_mb=20) != PdfFile(max_mb=5)
