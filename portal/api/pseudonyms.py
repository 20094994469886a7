"""Expert ids on the API: one pseudonym space per partner organisation.

The id is a keyed 4-round Feistel permutation of the 64-bit primary key whose round function
is HMAC-SHA256. The key is derived from SECRET_KEY *and* the organisation's own
`pseudonym_key`, so:
- two organisations see unrelated ids for the same expert and cannot join their views;
- an organisation's ids cannot be enumerated or mapped back without both secrets (a database
  dump alone does not reverse them);
- the server inverts the permutation to look an id up (no table, no scan), and only with the
  caller's key: another organisation's id is not found;
- rotating the organisation's key (partners.services.partner_pseudonym_key_rotate) gives it new
  ids; rotating SECRET_KEY changes every organisation's ids.
Callers without an organisation (officials and coordinators in a browser session) get the
portal's own space, keyed by SECRET_KEY alone; no partner ever receives an id from it.
docs/decisions/0007-partner-pseudonyms-and-quasi-identifiers.md says why this construction.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.utils.crypto import salted_hmac

from .permissions import request_token

ROUNDS = 4
MASK32 = 0xFFFFFFFF
PORTAL = "portal"


class Pseudonyms:
    """The expert ids of one audience (a partner organisation, or the portal)."""

    def __init__(self, audience_key: str):
        self._key = salted_hmac(
            "jusur.partners.expert-id", audience_key, secret=settings.SECRET_KEY, algorithm="sha256"
        ).digest()

    def _round(self, number: int, half: int) -> int:
        digest = hmac.new(self._key, f"{number}:{half}".encode(), hashlib.sha256).digest()
        return int.from_bytes(digest[:4], "big")

    def public_id(self, pk: int) -> str:
        left, right = (pk >> 32) & MASK32, pk & MASK32
        for number in range(ROUNDS):
            left, right = right, left ^ self._round(number, right)
        return f"{(left << 32) | right:016x}"

    def pk(self, public_id: str) -> int | None:
        """The primary key behind `public_id` in this space, or None if it is not one of ours."""
        if len(public_id) != 16 or any(c not in "0123456789abcdef" for c in public_id):
            return None
        value = int(public_id, 16)
        left, right = value >> 32, value & MASK32
        for number in reversed(range(ROUNDS)):
            left, right = right ^ self._round(number, left), left
        pk = (left << 32) | right
        return pk if 0 < pk < 2**63 else None


def pseudonyms_for(partner) -> Pseudonyms:
    """The id space of `partner` (a PartnerOrganisation), or the portal's for None."""
    if partner is None:
        return Pseudonyms(PORTAL)
    if not partner.pseudonym_key:  # never true after the migration; an empty key would be shared
        raise ValueError("partner organisation without a pseudonym key")
    return Pseudonyms(f"partner:{partner.pseudonym_key}")


def pseudonyms_for_request(request) -> Pseudonyms:
    """The caller's id space: its token's organisation, or the portal's for a session."""
    token = request_token(request)
    return pseudonyms_for(token.partner if token is not None else None)


def serializer_pseudonyms(context: dict) -> Pseudonyms:
    """The id space of the request in a serializer's `context`, built once per response."""
    if "pseudonyms" not in context:
        context["pseudonyms"] = pseudonyms_for_request(context["request"])
    return context["pseudonyms"]
