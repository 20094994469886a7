from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS_PER_PROJECT = 20
PDF_MAGIC = b"%PDF-"


def validate_pdf(upload) -> None:
    """A PDF by its content (the magic bytes), not by its name or declared type; at most 10 MB."""
    if upload is None:
        raise ValidationError(_("Choose a file."), code="required")
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("This file is too large (%(size)s); the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_DOCUMENT_BYTES)},
        )
    if upload.size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(_("Only PDF documents are accepted."), code="not_pdf")
