"""Scopes: each API view says which scope each action needs (`required_scopes`).

A partner token must hold the scope. Without a token (browser session or anonymous),
`read:public` is open to everyone, `read:experts` to officials and coordinators (who see
more than that in the portal anyway), and the write scopes are for partner tokens only.
Roles are read through portal.permissions, as everywhere.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions

from portal import permissions as roles
from portal.api.scopes import Scope

SESSION_RULES = {
    Scope.READ_PUBLIC: lambda user: True,
    Scope.READ_EXPERTS: lambda user: roles.is_official(user) or roles.is_national(user),
}


def required_scopes(view, method: str) -> list[str]:
    """The scopes the current action of `view` needs: `required_scopes` is a scope, or a dict
    keyed by action (or by HTTP method for plain APIViews) with a "*" default."""
    declared = getattr(view, "required_scopes", Scope.READ_PUBLIC)
    if isinstance(declared, dict):
        action = getattr(view, "action", None) or method.lower()
        declared = declared.get(action, declared.get("*", Scope.READ_PUBLIC))
    return [declared] if isinstance(declared, str) else list(declared)


# The model of partner tokens, registered by the partners app when it starts
# (PartnersConfig.ready): the core reads scopes without importing the app that issues tokens.
_token_classes: tuple[type, ...] = ()


def register_token_class(token_class: type) -> None:
    global _token_classes
    if token_class not in _token_classes:
        _token_classes = (*_token_classes, token_class)


def request_token(request):
    """The partner token of the request, or None for a session or an anonymous call."""
    return request.auth if isinstance(request.auth, _token_classes) else None


class HasScope(permissions.BasePermission):
    def has_permission(self, request, view):
        scopes = required_scopes(view, request.method)
        token = request_token(request)
        if token is not None:
            missing = [scope for scope in scopes if not token.has_scope(scope)]
            if missing:
                raise exceptions.PermissionDenied(
                    _("This API token lacks the scope %(scope)s.") % {"scope": ", ".join(missing)},
                    code="insufficient_scope",
                )
            return True
        rules = {**SESSION_RULES, **getattr(view, "session_rules", {})}
        for scope in scopes:
            rule = rules.get(scope)
            if rule is not None and rule(request.user):
                continue
            if not request.user.is_authenticated:
                raise exceptions.NotAuthenticated()
            raise exceptions.PermissionDenied(
                _("This operation needs a partner API token with the scope %(scope)s.") % {"scope": scope},
                code="insufficient_scope",
            )
        return True


def token_region_id(request) -> int | None:
    """The region a partner token is restricted to, if any."""
    token = request_token(request)
    return token.region_id if token is not None else None


def restrict_to_token_region(queryset, request, field: str = "region"):
    """A region-restricted token sees only that region's rows."""
    region_id = token_region_id(request)
    return queryset if region_id is None else queryset.filter(**{f"{field}_id": region_id})
