"""How large a request body may be, declared next to the views that accept uploads.

Every view takes at most `DEFAULT_MAX_BODY_BYTES` (forms, API JSON); a view that accepts a
file says how large with `@accepts_upload(max_mb=…)`. `LimitRequestBodyMiddleware` reads the
declared limit from the resolved view and compares it with `Content-Length` before anything
reads the body, so a 150 MB POST is refused with a 413 after its headers, never spooled.

A body without Content-Length (chunked) is never read by Django — its WSGI request reads
exactly Content-Length bytes, zero when absent — so it cannot get round the limit; it is
refused all the same on a view that expects a body, with the same 413. The reverse proxy
(deploy/nginx/jusur.conf) buffers requests and caps them at the largest limit first.
"""

from contextlib import nullcontext

from django.urls import Resolver404, resolve
from django.utils.translation import get_language_from_path, override

MB = 1024 * 1024
DEFAULT_MAX_BODY_BYTES = 1 * MB
# Room for the multipart framing and the form's other fields around the file.
FORM_OVERHEAD_BYTES = 1 * MB
# Staff uploads through the admin (roadmap documents, studies): the largest legitimate file.
ADMIN_MAX_BODY_BYTES = 20 * MB + FORM_OVERHEAD_BYTES


def accepts_upload(*, max_mb: int):
    """Let the decorated view receive a body of a `max_mb` MB file and its form.

    Order does not matter among decorators using functools.wraps (they copy the attribute)."""

    def decorate(view):
        view.max_body_bytes = max_mb * MB + FORM_OVERHEAD_BYTES
        return view

    return decorate


def max_body_bytes(path_info: str) -> int:
    """The limit declared by the view that will answer `path_info` (the default if none)."""
    # i18n_patterns resolve only in the language of their prefix; LocaleMiddleware has not run yet.
    language = get_language_from_path(path_info)
    try:
        with override(language) if language else nullcontext():
            match = resolve(path_info)
    except Resolver404:
        return DEFAULT_MAX_BODY_BYTES
    if match.namespace == "admin" or match.namespace.startswith("admin:"):
        return ADMIN_MAX_BODY_BYTES
    return getattr(match.func, "max_body_bytes", DEFAULT_MAX_BODY_BYTES)
