"""The one way a file leaves the server: as an attachment, never rendered by the browser.

Every view that serves an upload or an export goes through `file_download` (a stored file) or
`attachment` (bytes built in the request). Both set `Content-Disposition: attachment` with a
sanitised name, `X-Content-Type-Options: nosniff`, and `Cache-Control: no-store` when the file
is private, so that neither a shared cache nor the browser's keeps a copy."""

from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header

from .validators import content_type_for, extension_of, safe_filename


def _harden(response, *, private: bool):
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
    return response


def download_name(name: str, *, stored: str) -> str:
    """`name` made safe, ending in the stored file's extension (the kind found in its content)."""
    extension = extension_of(stored)
    base = safe_filename(name)
    if extension and extension_of(base) != extension:
        base = safe_filename(f"{base}.{extension}")
    return base


def file_download(field_file, *, filename: str, private: bool) -> FileResponse:
    """Stream a stored upload. A missing file is a 404, never a 500."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    name = download_name(filename, stored=field_file.name)
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type_for(field_file.name))
    return _harden(response, private=private)


def harden_attachment(response, *, filename: str, private: bool):
    """Make a built response a download under a sanitised name."""
    response["Content-Disposition"] = content_disposition_header(True, safe_filename(filename))
    return _harden(response, private=private)


def attachment(body, *, filename: str, content_type: str, private: bool) -> HttpResponse:
    """Bytes built for this request (an export, a calendar file) as a download."""
    return harden_attachment(HttpResponse(body, content_type=content_type), filename=filename, private=private)
