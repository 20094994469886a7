"""The one check every upload goes through: its real type by content, its size, its name.

Forms put `UploadFile`/`PdfFile` on their fields (model fields carry it too, so the admin
checks the same), services call it on what they store. A file's kind comes from its bytes
only: a PDF must parse as a PDF with at least one page; office documents are recognised by
their ZIP container (`[Content_Types].xml` for OOXML, the `mimetype` entry for OpenDocument).
Anything else — HTML, SVG, executables, macro-enabled office files — is refused. The name the
user gave must carry the extension of the kind found, so the stored name (a random one with
that extension, see `stored_name`) and the download's Content-Type agree with the content."""

import re
import unicodedata
import uuid
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader

PDF_MAGIC = b"%PDF-"
# The PDF specification lets readers find the header anywhere in the first 1024 bytes (some
# generators put a byte-order mark or a few bytes of junk before it); readers accept those files.
PDF_HEADER_WINDOW = 1024
# Markup that makes a browser (or a careless proxy) render a "PDF" as a page: a polyglot.
MARKUP = re.compile(rb"<\s*(!doctype|html|head|body|script|svg|iframe|\?xml)", re.IGNORECASE)
# Reading an office container's manifest never needs more than this (a zip bomb stops here).
MANIFEST_MAX_BYTES = 256 * 1024

PDF = "pdf"
# kind -> (extension, Content-Type served, how the container declares it)
KINDS = {
    PDF: ("pdf", "application/pdf", None),
    "docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "xlsx": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    "pptx": (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
    "odt": ("odt", "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text"),
    "ods": ("ods", "application/vnd.oasis.opendocument.spreadsheet", "application/vnd.oasis.opendocument.spreadsheet"),
}
OFFICE_KINDS = ("docx", "xlsx", "pptx", "odt", "ods")
DOCUMENT_KINDS = (PDF, *OFFICE_KINDS)
KNOWN_EXTENSIONS = frozenset(extension for extension, _type, _declared in KINDS.values())


def _is_pdf(upload) -> bool:
    upload.seek(0)
    head = upload.read(PDF_HEADER_WINDOW)
    if PDF_MAGIC not in head or MARKUP.search(head):
        return False
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        return len(reader.pages) > 0
    except Exception:  # noqa: BLE001 - whatever the parser trips on, this is not a PDF we accept
        return False


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MANIFEST_MAX_BYTES:
        return None
    with archive.open(info) as member:
        return member.read(MANIFEST_MAX_BYTES)


def _office_kind(upload) -> str | None:
    upload.seek(0)
    if upload.read(4) != b"PK\x03\x04":
        return None
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            mimetype = _read_member(archive, "mimetype")
            manifest = _read_member(archive, "[Content_Types].xml")
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError):
        return None  # a damaged, encrypted or exotic archive is not a document we accept
    for kind in OFFICE_KINDS:
        declared = KINDS[kind][2].encode()
        if kind.startswith("od") and mimetype is not None and mimetype.strip() == declared:
            return kind
        # `"…main+xml"` closed by its quote: the macro-enabled variants never match.
        if kind.endswith("x") and manifest is not None and b'"' + declared + b'"' in manifest:
            return kind
    return None


def detect_kind(upload) -> str | None:
    """The document kind the bytes prove (one of KINDS), or None. Leaves the file at its start."""
    try:
        if _is_pdf(upload):
            return PDF
        return _office_kind(upload)
    finally:
        upload.seek(0)  # whoever stores the file next reads it from the start


def extension_of(name: str) -> str:
    return PurePosixPath(name or "").suffix.lower().lstrip(".")


def stored_name(folder: str, filename: str) -> str:
    """A random stored name with the extension of the content's kind: never the user's name,
    which may carry personal data or path tricks. `filename` has passed `UploadFile`, so its
    extension is its kind's, or none known (a PDF)."""
    extension = extension_of(filename)
    return f"{folder}/{uuid.uuid4().hex}.{extension if extension in KNOWN_EXTENSIONS else 'pdf'}"


def content_type_for(name: str) -> str:
    for extension, content_type, _declared in KINDS.values():
        if extension_of(name) == extension:
            return content_type
    return "application/octet-stream"


def safe_filename(name: str, *, default: str = "document", max_length: int = 100) -> str:
    """A name fit for display and for Content-Disposition: letters (any script), digits and a
    few separators; no path separator, no control or quoting characters, no leading dot."""
    # Separators become underscores (a title like "Budget 2024/2025" keeps its words).
    name = unicodedata.normalize("NFC", str(name or ""))
    kept = "".join(ch if unicodedata.category(ch)[0] in "LN" or ch in " .-_()" else "_" for ch in name)
    kept = re.sub(r"[\s_]+", lambda m: " " if " " in m.group() else "_", kept).strip(" ._")
    if not kept:
        return default
    if len(kept) > max_length:
        stem, dot, extension = kept.rpartition(".")
        kept = (
            (stem[: max_length - len(extension) - 1] + dot + extension)
            if dot and len(extension) <= 5
            else kept[:max_length]
        )
    return kept


@deconstructible
class UploadFile:
    """A document of one of `kinds` by its content, never by its name or declared type, of at
    most `max_mb` megabytes and not empty.

    Usable as a form or model field validator (deconstructible, so a migration can record it) and
    callable from services, where an absent upload is refused too."""

    messages = {
        "required": _("Choose a file."),
        "empty": _("This file is empty."),
        "too_large": _("This file is too large (%(size)s); the limit is %(limit)s."),
        "not_pdf": _("Only PDF documents are accepted."),
        "not_document": _("Only PDF, Word, Excel, PowerPoint and OpenDocument files are accepted."),
        "wrong_extension": _("The file's name must end in .%(extension)s, the type of its content."),
    }

    def __init__(self, *, max_mb: int, kinds: tuple[str, ...] = (PDF,)):
        self.max_mb = max_mb
        self.kinds = tuple(kinds)

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
        kind = detect_kind(upload)
        if kind not in self.kinds:
            code = "not_pdf" if self.kinds == (PDF,) else "not_document"
            raise ValidationError(self.messages[code], code=code)
        extension = KINDS[kind][0]
        name = getattr(upload, "name", "") or ""
        # A PDF keeps being accepted under a name without a document extension (scanners
        # name files .bin); it is stored and served as .pdf. Otherwise the name must say
        # what the content is, so that it is stored and served as what it is.
        given = extension_of(name)
        if given != extension and (kind != PDF or given in KNOWN_EXTENSIONS):
            raise ValidationError(
                self.messages["wrong_extension"], code="wrong_extension", params={"extension": extension}
            )

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and (self.max_mb, self.kinds) == (other.max_mb, other.kinds)

    def __hash__(self) -> int:
        return hash((type(self), self.max_mb, self.kinds))


@deconstructible
class PdfFile(UploadFile):
    """`UploadFile` for PDF only: CVs, project documents, studies."""

    def __init__(self, *, max_mb: int):
        super().__init__(max_mb=max_mb, kinds=(PDF,))


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
