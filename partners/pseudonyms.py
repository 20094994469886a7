"""Stable opaque ids for experts on the partner API.

A keyed 4-round Feistel permutation of the 64-bit primary key (round function: HMAC-SHA256
with a key derived from SECRET_KEY): the same expert always has the same id, ids cannot be
enumerated or mapped back without the key, and the server can still look an id up. Rotating
SECRET_KEY changes every id (partners are told in docs/api/README.md).
"""

import hashlib
import hmac

from django.conf import settings
from django.utils.crypto import salted_hmac

ROUNDS = 4
MASK32 = 0xFFFFFFFF


def _key() -> bytes:
    return salted_hmac("jusur.partners.expert-id", "v1", secret=settings.SECRET_KEY, algorithm="sha256").digest()


def _round(key: bytes, number: int, half: int) -> int:
    digest = hmac.new(key, f"{number}:{half}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big")


def expert_public_id(pk: int) -> str:
    key = _key()
    left, right = (pk >> 32) & MASK32, pk & MASK32
    for number in range(ROUNDS):
        left, right = right, left ^ _round(key, number, right)
    return f"{(left << 32) | right:016x}"


def expert_pk(public_id: str) -> int | None:
    """The primary key behind `public_id`, or None if it is not one of ours."""
    if len(public_id) != 16 or any(c not in "0123456789abcdef" for c in public_id):
        return None
    value = int(public_id, 16)
    key = _key()
    left, right = value >> 32, value & MASK32
    for number in reversed(range(ROUNDS)):
        left, right = right ^ _round(key, number, left), left
    pk = (left << 32) | right
    return pk if 0 < pk < 2**63 else None
