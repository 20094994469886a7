"""Validators shared by the apps' forms, model fields and services."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

PDF_MAGIC = b"%PDF-"
# The PDF specification lets readers find the header anywhere in the first 1024 bytes (some
# generators put a byte-order mark or a few bytes of junk before it); readers accept those files.
PDF_HEADER_WINDOW = 1024


@deconstructible
class PdfFile:
    """A PDF by its content (the `%PDF-` header), never by its name or declared type, of at
    most `max_mb` megabytes and not empty.

    Usable as a form or model field validator (deconstructible, so a migration can record it) and
    callable from services, where an absent upload is refused too."""

    messages = {
        "required": _("Choose a file."),
        "empty": _("This file is empty."),
        "too_large": _("This file is too large (%(size)s); the limit is %(limit)s."),
        "not_pdf": _("Only PDF documents are accepted."),
    }

    def __init__(self, *, max_mb: int):
        self.max_mb = max_mb

    @property
    def max_bytes(self) -> int:
        return self.max_mb * 1024 * 1024

    def __call__(self, upload) -> None:
        if upload is None:
            raise ValidationError(self.messages["required"], code="required")
        # Size first: a 2 GB upload is refused without reading any of it.
        if upload.size > self.max_bytes:
            raise ValidationError(
                self.messages["too_large"],
                code="too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(self.max_bytes)},
            )
        if upload.size == 0:
            raise ValidationError(self.messages["empty"], code="empty")
        upload.seek(0)
        head = upload.read(PDF_HEADER_WINDOW)
        upload.seek(0)  # whoever stores the file next reads it from the start
        if PDF_MAGIC not in head:
            raise ValidationError(self.messages["not_pdf"], code="not_pdf")

    def __eq__(self, other) -> bool:
        return isinstance(other, PdfFile) and self.max_mb == other.max_mb

    def __hash__(self) -> int:
        return hash((PdfFile, self.max_mb))
