"""Issue 14, item 3: a body larger than its view accepts is refused from its Content-Length,
before anything reads it — 413 in the API's format under /api/, a translated page elsewhere."""

import socket
import time
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import translation

from portal.body_limits import ADMIN_MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES, MB, max_body_bytes

pytestmark = pytest.mark.django_db

HUGE = 150 * MB


def _raw_post(
    live_server_url: str, path: str, *, content_length: int, body: bytes, content_type: str
) -> tuple[bytes, float]:
    """POST with a declared length far beyond what is sent; the answer must not wait for the rest."""
    address = urlsplit(live_server_url)
    started = time.monotonic()
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: {address.hostname}\r\n"
                f"Content-Type: {content_type}\r\n"
                f"Content-Length: {content_length}\r\nConnection: close\r\n\r\n"
            ).encode()
            + body
        )
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
        elapsed = time.monotonic() - started
        sock.shutdown(socket.SHUT_RDWR)  # lets the test server's drain of the unread body end
    return received, elapsed


def test_150_mb_post_to_the_login_page_is_refused_at_once_without_the_body(live_server):
    # Multipart: what Django would stream to a temporary file (the 150 MB "CV").
    head, elapsed = _raw_post(
        live_server.url,
        "/fr/accounts/login/",
        content_length=HUGE,
        body=b'--b\r\nContent-Disposition: form-data; name="cv"; filename="cv.pdf"\r\n\r\n%PDF-1.7',
        content_type="multipart/form-data; boundary=b",
    )

    assert head.startswith(b"HTTP/1.1 413 "), head[:200]
    assert b"text/html" in head.split(b"\r\n\r\n")[0]
    assert elapsed < 3  # nothing waited for the 150 MB that never came


def test_150_mb_post_to_the_api_is_refused_at_once_in_the_api_format(live_server):
    head, elapsed = _raw_post(
        live_server.url, "/api/v1/webhooks/", content_length=HUGE, body=b'{"url": "', content_type="application/json"
    )

    assert head.startswith(b"HTTP/1.1 413 "), head[:200]
    assert b"application/json" in head.split(b"\r\n\r\n")[0]
    assert elapsed < 3


def test_api_refusal_uses_the_error_format():
    response = Client().post(
        "/api/v1/webhooks/", b"{}", content_type="application/json", CONTENT_LENGTH=str(HUGE), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 413
    assert response.json() == {
        "error": {"code": "too_large", "message": "The request body is too large; the limit is 1.0\xa0MB."}
    }


@pytest.mark.parametrize(
    ("language", "title"),
    [("ar", "الطلب كبير جدًا"), ("fr", "Requête trop volumineuse"), ("en", "Request too large")],
)
def test_page_refusal_is_translated(language, title):
    response = Client().post(
        f"/{language}/accounts/login/",
        b"x=1",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(HUGE),
    )

    assert response.status_code == 413
    html = response.content.decode()
    assert f"<h1>{title}</h1>" in html
    assert f'<html lang="{language}"' in html


def test_a_body_within_the_default_limit_passes():
    response = Client().post("/fr/accounts/login/", {"username": "nobody@example.org", "password": "x"})

    assert response.status_code == 200  # the form again, with its error: read and answered


def test_chunked_body_without_length_is_refused():
    response = Client().post(
        "/fr/accounts/login/",
        b"",
        content_type="application/x-www-form-urlencoded",
        HTTP_TRANSFER_ENCODING="chunked",
        CONTENT_LENGTH="",
    )

    assert response.status_code == 413


def test_unreadable_length_is_refused():
    response = Client().post(
        "/fr/accounts/login/", b"x=1", content_type="application/x-www-form-urlencoded", CONTENT_LENGTH="12abc"
    )

    assert response.status_code == 413


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("/fr/accounts/login/", DEFAULT_MAX_BODY_BYTES),
        ("/api/v1/webhooks/", DEFAULT_MAX_BODY_BYTES),
        ("/fr/no-such-page/", DEFAULT_MAX_BODY_BYTES),
        ("/ar/diaspora/me/edit/offer/", 6 * MB),  # CV 5 MB
        ("/fr/investment/projects/7/documents/", 11 * MB),  # project document 10 MB
        ("/fr/investment/opportunities/7/documents/", 11 * MB),
        ("/fr/investment/projects/new/", 21 * MB),  # several documents, 20 MB in all
        ("/en/regions/studies/new/", 21 * MB),  # study 20 MB
        ("/fr/regions/studies/3/edit/", 21 * MB),
        ("/fr/regions/05/roadmaps/1/documents/new/", 21 * MB),
        ("/fr/admin/regions/study/add/", ADMIN_MAX_BODY_BYTES),
    ],
)
def test_each_upload_view_declares_its_own_limit(path, limit):
    assert max_body_bytes(path) == limit


def test_resolving_the_limit_leaves_the_active_language_alone():
    with translation.override("fr"):
        max_body_bytes("/ar/regions/studies/new/")
        assert translation.get_language() == "fr"
