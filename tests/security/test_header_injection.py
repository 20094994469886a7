"""Header injection, against a live server and raw sockets (a test client never builds the
bytes a browser receives): CR/LF in query parameters, in `next`, in a stored download name and
in Accept-Language must never split a response header."""

import re
import socket
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from portal.enums import Role
from projects.models import ProjectDocument
from tests.factories import UserFactory
from tests.projects.factories import ProjectFactory
from tests.security.pdf import valid_pdf

INJECTED = "X-Injected"
CRLF = "\r\nX-Injected: 1"
# A header line as RFC 9110 allows it: a token, a colon, a value without CR or LF.
HEADER_LINE = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[ \t]*[^\r\n]*$")


def raw_request(live_server, request: str) -> tuple[str, list[str]]:
    """Send `request` as bytes (nothing between us and the server tidies it); return the status
    line and the header lines of the answer."""
    host, port = live_server.thread.host, live_server.thread.port
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(request.encode("latin-1"))
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    status, *headers = head.split("\r\n")
    return status, headers


def get(live_server, target: str, *, extra: str = "", cookie: str = "") -> tuple[str, list[str]]:
    lines = [f"GET {target} HTTP/1.1", f"Host: {live_server.thread.host}", "Connection: close"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    return raw_request(live_server, "\r\n".join(lines) + "\r\n" + extra + "\r\n")


def assert_not_split(status: str, headers: list[str]) -> None:
    assert not status.endswith("500 Internal Server Error"), status
    assert all(HEADER_LINE.match(line) for line in headers), headers
    assert not any(line.lower().startswith(INJECTED.lower()) for line in headers), headers


def test_the_header_check_sees_a_split_header():
    """Positive control of assert_not_split on what a vulnerable server would send."""
    with pytest.raises(AssertionError):
        assert_not_split("HTTP/1.1 302 Found", ["Location: /fr/", "X-Injected: 1"])
    with pytest.raises(AssertionError):
        assert_not_split("HTTP/1.1 200 OK", ["Content-Disposition: attachment; filename=a\nb"])


@pytest.fixture
def signed_in_cookie(live_server, transactional_db, territories, taxonomy, settings, tmp_path):
    """A member with a project whose stored document name carries CR/LF, and their session cookie."""
    settings.MEDIA_ROOT = tmp_path / "media"
    member = UserFactory(role=Role.MEMBER)
    project = ProjectFactory(investor=member)
    document = ProjectDocument(project=project, original_name=f"plan{CRLF}.pdf", size=100)
    document.file.save("plan.pdf", ContentFile(valid_pdf()), save=True)
    client = Client()
    client.force_login(member)
    return document, f"sessionid={client.cookies['sessionid'].value}"


@pytest.mark.django_db(transaction=True)
def test_no_crlf_splits_a_header(live_server, signed_in_cookie):
    document, cookie = signed_in_cookie
    encoded = quote(CRLF)
    cases = {
        "query parameter": get(live_server, f"/fr/regions/needs/?q={encoded}&status={encoded}"),
        "path, redirected to the language prefix": get(live_server, f"/regions/{encoded}/"),
        "next, on the sign-in redirect": get(live_server, f"/fr/diaspora/me/?next={encoded}"),
        "next, on the sign-in page": get(live_server, f"/fr/accounts/login/?next={encoded}"),
        "language switch": get(live_server, f"/fr/i18n/setlang/?next=/fr/{encoded}&language=en"),
        "download name": get(live_server, f"/fr/investment/documents/{document.pk}/", cookie=cookie),
        "Accept-Language, folded": get(live_server, "/fr/", extra=f"Accept-Language: fr\r\n {INJECTED}: 1\r\n"),
        "Accept-Language, encoded": get(live_server, "/", extra=f"Accept-Language: fr{encoded}\r\n"),
        "Accept-Language, odd bytes": get(live_server, "/", extra="Accept-Language: fr\x0b\x0cX-Injected;q=1\r\n"),
    }
    for what, (status, headers) in cases.items():
        try:
            assert_not_split(status, headers)
        except AssertionError as error:
            raise AssertionError(f"{what}: {status} {headers}") from error
    # The download really happened, under a name without the line break.
    status, headers = cases["download name"]
    assert status == "HTTP/1.1 200 OK"
    disposition = next(h for h in headers if h.lower().startswith("content-disposition:"))
    assert disposition.startswith("Content-Disposition: attachment;")
