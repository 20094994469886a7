"""Validators shared by the apps' forms, model fields and services."""

import re
from pathlib import Path

from django.conf import settings
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


# C0 and C1 control characters (CR, LF, TAB, ESC…), DEL, and the Unicode line and paragraph
# separators: none belongs in a one-line value, and a line break in a title ends up in e-mail
# headers (an invalid Subject makes the message fail to send) and in CSV cells.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def no_control_characters(value) -> None:
    """Refuse control characters and line breaks in a single-line text (names, titles, subjects)."""
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _("This field must fit on one line: remove line breaks, tabs and other control characters."),
            code="control_characters",
        )


# The widest integer either database stores (a 64-bit BIGINT; SQLite's INTEGER is the same).
BIGINT_MAX = 2**63 - 1

# Dates a person may type: wide enough for any real plan or history, narrow enough that adding
# a duration (an end date computed from a start date) or a time zone offset never overflows.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200


def date_in_range(value) -> None:
    """Refuse a date (or date-time) outside 1900-2200, e.g. 9999-12-31 or 0001-01-01."""
    if value is not None and not (EARLIEST_YEAR <= value.year <= LATEST_YEAR):
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )


def own_model_fields(*kinds):
    """The fields of the given kinds of Jusur's own models (not Django's or a library's),
    as (model, field) pairs."""
    from django.apps import apps  # settings are loaded before this module's callers run

    for app_config in apps.get_app_configs():
        if Path(app_config.path).parent != Path(settings.BASE_DIR):
            continue
        for model in app_config.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, kinds):
                    yield model, field


def _add_default_validator(field, validator) -> None:
    if validator not in field.default_validators:
        field.default_validators = [*field.default_validators, validator]
        field.__dict__.pop("validators", None)  # the cached list, if anything built it already


def input_validators_install() -> None:
    """Give every CharField of our models `no_control_characters` (a CharField holds one line;
    multi-line text is a TextField) and every date field `date_in_range`.

    Done once at start-up (portal's AppConfig.ready) so that a new field gets them without anyone
    remembering to: model forms (through full_clean) and DRF model serializers (which copy the
    model field's validators) then refuse a title with a line break, or a start date in year
    9999, at validation. They extend the fields' *default* validators, which migrations do not
    record, so no migration changes."""
    from django.db import models

    for _model, field in own_model_fields(models.CharField):
        _add_default_validator(field, no_control_characters)
    for _model, field in own_model_fields(models.DateField, models.DateTimeField):
        _add_default_validator(field, date_in_range)
