"""Opaque page cursors: the position is encrypted and authenticated, not merely encoded.

DRF's cursor is base64 of "p=<ordering value>": on the experts list that value is an exact
`confirmed_at`, a quasi-identifier. Django's signing only signs (the payload stays readable)
and the `cryptography` package is not installed, so the token is built from HMAC-SHA256 alone
(docs/decisions/0007-partner-pseudonyms-and-quasi-identifiers.md):

    token = base64url(version ‖ nonce ‖ ciphertext ‖ tag)
    ciphertext = padded plaintext XOR HMAC(k_enc, nonce ‖ 0) ‖ HMAC(k_enc, nonce ‖ 1) ‖ …
    tag = HMAC(k_mac, version ‖ context ‖ nonce ‖ ciphertext)[:16]

HMAC as a pseudorandom function in counter mode with a fresh random 128-bit nonce is a
standard stream cipher; encrypt-then-MAC makes it authenticated. Plaintexts are padded to a
multiple of 64 bytes, so the length says nothing either. `context` binds a token to the list and
the caller it was issued for. Keys come from SECRET_KEY (salted_hmac), so rotating SECRET_KEY
invalidates outstanding cursors: a client then starts again from the first page.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

from django.conf import settings
from django.utils.crypto import salted_hmac

VERSION = b"\x01"
NONCE = 16
TAG = 16
BLOCK = 64


def _keys() -> tuple[bytes, bytes]:
    root = salted_hmac("jusur.api.cursor", "v1", secret=settings.SECRET_KEY, algorithm="sha256").digest()
    return hmac.new(root, b"enc", hashlib.sha256).digest(), hmac.new(root, b"mac", hashlib.sha256).digest()


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (length + 31) // 32
    return b"".join(hmac.new(key, nonce + i.to_bytes(4, "big"), hashlib.sha256).digest() for i in range(blocks))


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream, strict=False))


def _tag(key: bytes, context: str, nonce: bytes, ciphertext: bytes) -> bytes:
    message = VERSION + context.encode() + b"\x00" + nonce + ciphertext
    return hmac.new(key, message, hashlib.sha256).digest()[:TAG]


def cursor_seal(plaintext: str, *, context: str) -> str:
    """An opaque token for `plaintext`, valid only with the same `context`."""
    data = plaintext.encode() + b"\x80"  # ISO/IEC 7816-4 padding: 0x80 then zeros
    data += b"\x00" * (-len(data) % BLOCK)
    enc, mac = _keys()
    nonce = os.urandom(NONCE)
    ciphertext = _xor(data, _keystream(enc, nonce, len(data)))
    token = VERSION + nonce + ciphertext + _tag(mac, context, nonce, ciphertext)
    return base64.urlsafe_b64encode(token).rstrip(b"=").decode("ascii")


def cursor_open(token: str, *, context: str) -> str | None:
    """The plaintext sealed in `token` for `context`, or None for anything else."""
    if not token or len(token) > 2000:
        return None
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii") + b"=" * (-len(token) % 4))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None
    body = len(raw) - 1 - NONCE - TAG
    if raw[:1] != VERSION or body <= 0 or body % BLOCK:
        return None
    nonce, ciphertext, tag = raw[1 : 1 + NONCE], raw[1 + NONCE : -TAG], raw[-TAG:]
    enc, mac = _keys()
    if not hmac.compare_digest(tag, _tag(mac, context, nonce, ciphertext)):
        return None
    data = _xor(ciphertext, _keystream(enc, nonce, len(ciphertext))).rstrip(b"\x00")
    if not data.endswith(b"\x80"):
        return None
    try:
        return data[:-1].decode()
    except UnicodeDecodeError:
        return None
