"""drf-spectacular, Jusur's way: every operation documents its error answers (in the one
error format) and the scopes it needs (`x-scopes`, and a line of its description)."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from portal.api.scopes import Scope

from .errors import ErrorSerializer
from .permissions import SESSION_RULES, HasScope, required_scopes

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: a filter, the ordering, the pagination cursor, or the request body (`fields` says which).",
    "401": "Missing, invalid, revoked or expired token (or no session) where one is needed.",
    "403": "Authenticated, but the token lacks the scope, or the object is outside its reach.",
    "404": "No such object, or an unknown `format`.",
    "405": "This method is not allowed here.",
    "415": "Send JSON (Content-Type: application/json).",
    "429": "Too many requests for this token; retry after `Retry-After` seconds.",
}


class JusurAutoSchema(AutoSchema):
    def _scopes(self) -> list[str]:
        if not any(isinstance(permission, HasScope) for permission in self.view.get_permissions()):
            return []
        return required_scopes(self.view, self.method)

    def get_description(self):
        description = super().get_description() or ""
        scopes = self._scopes()
        if scopes:
            description = f"{description}\n\n**Scopes:** {', '.join(f'`{scope}`' for scope in scopes)}".strip()
        return description

    def get_extensions(self):
        extensions = dict(super().get_extensions())
        scopes = self._scopes()
        if scopes:
            extensions["x-scopes"] = scopes
        return extensions

    def get_auth(self):
        default = super().get_auth()  # also registers the security schemes
        scopes = self._scopes()
        if not scopes:
            return default
        auths = [{"partnerToken": []}]
        rules = {**SESSION_RULES, **getattr(self.view, "session_rules", {})}
        if all(scope in rules for scope in scopes):
            auths.append({"cookieAuth": []})  # officials and coordinators, signed in to the portal
        if scopes and all(scope == Scope.READ_PUBLIC for scope in scopes):
            auths.append({})  # open data: no credentials needed
        return auths

    def _error_codes(self) -> list[str]:
        codes = ["401", "403", "429"]
        is_write = self.method in ("POST", "PUT", "PATCH")
        is_list = self.method == "GET" and self._is_list_view()
        if is_list or is_write or self.method == "GET":
            codes.append("400")
        # 404 everywhere: an unknown `?format=` (DRF's renderer override) answers 404 on any
        # endpoint, besides unknown objects.
        codes.append("404")
        if is_write:
            codes.append("415")
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code in responses:
                continue
            responses[code] = self._get_response_for_code(
                OpenApiResponse(response=ErrorSerializer, description=ERROR_DESCRIPTIONS[code]), code
            )
        if "429" in responses:
            responses["429"].setdefault("headers", {})["Retry-After"] = {
                "schema": {"type": "integer"},
                "description": "Seconds to wait before retrying.",
            }
        return responses


# Integer bounds derived from the database backend (SQLite's 64-bit vs PostgreSQL's 32-bit
# columns): dropped, so that the committed schema does not depend on where it was generated.
_BACKEND_BOUNDS = {32767, -32768, 2147483647, -2147483648, 9223372036854775807, -9223372036854775808}


def postprocess_portable_integers(result, generator, request, public):
    def walk(node):
        if isinstance(node, dict):
            # Also on `allOf: [$ref enum]` nodes (choice fields), which carry no `type`.
            for key in ("maximum", "minimum"):
                if node.get(key) in _BACKEND_BOUNDS:
                    del node[key]
            if node.get("type") == "integer" and node.get("format") == "int64":
                del node["format"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
