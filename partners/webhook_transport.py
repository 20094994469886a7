"""The HTTP side of webhook deliveries: resolve once, check, connect to what was checked.

A check by name followed by a connection by name looks the name up twice; a hostile DNS
server can answer a public address to the first lookup and 127.0.0.1 or a cloud metadata
address to the second (DNS rebinding). Here the name is resolved once, every address it
resolves to is checked, and the socket connects to the checked address itself, while the
request keeps the hostname for its Host header, TLS SNI and certificate verification.
"""

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings


class RefusedAddress(Exception):
    """The URL cannot be called: unresolvable, or resolving to an address inside our network."""


def allow_private_targets() -> bool:
    # Development and tests post to 127.0.0.1; production refuses internal addresses (SSRF).
    return bool(getattr(settings, "JUSUR_WEBHOOKS_ALLOW_PRIVATE", False))


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone id is not part of the address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    # is_global excludes private, loopback, link-local, shared, reserved and documentation ranges;
    # multicast is listed apart because some multicast ranges count as "global".
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[tuple]:
    """getaddrinfo's TCP answers for `host`, all checked: refused if any one is internal (a
    name that mixes public and internal addresses is a rebinding attempt or a mistake)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise RefusedAddress("unresolvable host") from exc
    if not infos:
        raise RefusedAddress("unresolvable host")
    if not allow_private_targets() and not all(_is_public(info[4][0]) for info in infos):
        raise RefusedAddress("internal address")
    return infos


def _connect(infos: list[tuple], timeout: float) -> socket.socket:
    error: OSError | None = None
    for family, type_, proto, _canonname, sockaddr in infos:
        sock = socket.socket(family, type_, proto)
        sock.settimeout(timeout)
        try:
            sock.connect(sockaddr)  # an address, never a name: no second lookup
        except OSError as exc:
            sock.close()
            error = exc
            continue
        return sock
    raise error or OSError("no address to connect to")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Sends `Host: <hostname>` but connects to the addresses resolved and checked before."""

    def __init__(self, host: str, port: int, *, infos: list[tuple], timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._infos = infos

    def connect(self):
        self.sock = _connect(self._infos, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, infos: list[tuple], timeout: float, context: ssl.SSLContext):
        super().__init__(host, port, timeout=timeout, context=context)
        self._infos = infos

    def connect(self):
        sock = _connect(self._infos, self.timeout)
        # SNI and certificate verification against the hostname, not the address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    extra = getattr(settings, "JUSUR_WEBHOOKS_CA_FILE", None)  # tests: a local certificate authority
    if extra:
        context.load_verify_locations(cafile=extra)
    return context


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> tuple[int | None, str]:
    """POST `body` to `url`; returns (status code or None, error text). Redirects are not
    followed (one could lead to an internal address): a 3xx is a failed attempt."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return None, "refused: not an http(s) URL"
    if parts.scheme == "http" and not allow_private_targets():
        return None, "refused: not https"
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None, "refused: invalid port"
    try:
        infos = resolve(parts.hostname, port)
    except RefusedAddress as exc:
        return None, f"refused: {exc}"
    if parts.scheme == "https":
        connection = _PinnedHTTPSConnection(parts.hostname, port, infos=infos, timeout=timeout, context=tls_context())
    else:
        connection = _PinnedHTTPConnection(parts.hostname, port, infos=infos, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(65536)  # a little of the answer, so the connection closes cleanly; never stored
        code = response.status
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return None, repr(exc)[:500]
    finally:
        connection.close()
    return code, "" if 200 <= code < 300 else f"HTTP {code}"
