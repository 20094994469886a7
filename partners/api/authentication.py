"""Partner tokens on the API: `Authorization: Bearer jsr_<prefix>_<secret>`."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from partners.services import TokenError, api_token_authenticate
from portal.enums import Role

MESSAGES = {
    "invalid_token": _("Invalid API token."),
    "token_revoked": _("This API token was revoked."),
    "token_expired": _("This API token has expired."),
}


class TokenPrincipal:
    """request.user for a token: the partner organisation, never the person who created the
    token (a token made by a staff member must not carry staff rights). portal.permissions
    sees a partner with no region."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    role = Role.PARTNER
    pk = id = None

    def __init__(self, token):
        self.token = token
        self.partner = token.partner
        self.partner_id = token.partner_id

    def __str__(self):
        return f"{self.partner} (token {self.token.prefix})"

    def has_perm(self, perm, obj=None):
        return False


class APITokenAuthentication(authentication.BaseAuthentication):
    keywords = (b"bearer", b"token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(MESSAGES["invalid_token"], code="invalid_token")
        try:
            raw = header[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(MESSAGES["invalid_token"], code="invalid_token") from None
        try:
            token = api_token_authenticate(raw=raw)
        except TokenError as exc:
            raise exceptions.AuthenticationFailed(MESSAGES[exc.code], code=exc.code) from None
        return TokenPrincipal(token), token

    def authenticate_header(self, request):
        # A 401 (not 403) for a missing or bad token: the first authenticator's header decides.
        return 'Bearer realm="api"'


class APITokenScheme(OpenApiAuthenticationExtension):
    target_class = "partners.api.authentication.APITokenAuthentication"
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "jsr_<prefix>_<secret>",
            "description": "A partner API token, created on /<lang>/partners/tokens/. "
            "Each operation lists the scopes it needs in `x-scopes`.",
        }
