"""Who may act where: the one place that turns a user's role into a region scope.

Selectors and services of every app ask these functions; views never test roles.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from .enums import Role


def is_national(user) -> bool:
    """Coordinators and staff administrators act for every region."""
    return bool(
        user.is_authenticated and user.is_active and (user.is_superuser or user.role in (Role.COORDINATOR, Role.ADMIN))
    )


def is_official(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.OFFICIAL)


def is_member(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.MEMBER)


def is_partner(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.PARTNER and user.partner_id)


def regions_for(user) -> QuerySet:
    """The regions `user` may act for (create, edit, see drafts and personal data)."""
    # The region model is reached through the user's own `regions` relation: the core names no app.
    regions = get_user_model()._meta.get_field("regions").related_model.objects
    if is_national(user):
        return regions.all()
    if is_official(user):
        return regions.filter(officials=user)
    return regions.none()


def region_ids_for(user) -> set[int] | None:
    """Ids of the regions `user` acts for; None means all of them. Cached on the user object."""
    if is_national(user):
        return None
    cached = getattr(user, "_jusur_region_ids", None)
    if cached is None:
        cached = set(regions_for(user).values_list("pk", flat=True)) if is_official(user) else set()
        user._jusur_region_ids = cached
    return cached


def can_act_in_region(user, region_id: int) -> bool:
    ids = region_ids_for(user)
    return ids is None or region_id in ids


def needs_strong_authentication(user) -> bool:
    """Who sees personal data across a region or more: officials, coordinators, staff and the
    admin must sign in with a second factor and get short sessions (ASVS 5.0 level 2).
    Members and partner users may opt in to the second factor; their sessions keep the default."""
    return bool(
        user.is_authenticated
        and (user.is_staff or user.is_superuser or user.role in (Role.OFFICIAL, Role.COORDINATOR, Role.ADMIN))
    )


def privilege_fingerprint(user) -> str:
    """What a session's rights hang on; when it changes, the session key is rotated."""
    return f"{user.role}:{int(user.is_staff)}:{int(user.is_superuser)}:{int(user.is_active)}"


# --- can(user, action, obj): the one question views, templates and menus ask ------------------
#
# Why a registry: a rule that needs only the core's own concepts (a role, the ids of the regions
# a user acts for, staff status) is written here, once, below. A rule that needs to know an
# app's model (is this need still open?) is registered by that app in its AppConfig.ready()
# with `rule_register` (e.g. regions/rules.py), so the core names actions but imports no app.
# Action names are "<area>.<verb>"; asking for an unknown one is a programming error and
# raises, rather than quietly answering False and hiding a page forever.

Rule = Callable[[Any, Any], bool]
_RULES: dict[str, Rule] = {}


class UnknownAction(LookupError):
    """`can()` was asked about an action nobody registered (a typo, or an app not installed)."""


def rule_register(action: str, rule: Rule) -> None:
    """Register `rule(user, obj) -> bool` under `action`. Registering a name twice with another
    rule is refused: two homes for one rule is what this module exists to prevent."""
    existing = _RULES.get(action)
    if existing is not None and existing is not rule:
        raise ValueError(f"the action {action!r} already has a rule")
    _RULES[action] = rule


def can(user, action: str, obj=None) -> bool:
    """May `user` do `action` (on `obj`, when the action is about one object)?"""
    try:
        rule = _RULES[action]
    except KeyError:
        raise UnknownAction(action) from None
    return bool(rule(user, obj))


def _acts_for_some_region(user) -> bool:
    return is_national(user) or (is_official(user) and bool(region_ids_for(user)))


def _manages_region(user, region) -> bool:
    """Officials of the region and national coordinators; `region` is a Region or its id."""
    region_id = getattr(region, "pk", region)
    return (is_official(user) or is_national(user)) and region_id is not None and can_act_in_region(user, region_id)


_CORE_RULES: dict[str, Rule] = {
    "account.sign_in": lambda user, obj: not user.is_authenticated,
    "account.sign_up": lambda user, obj: not user.is_authenticated,
    "account.security": lambda user, obj: bool(user.is_authenticated),
    "admin.open": lambda user, obj: bool(user.is_authenticated and user.is_active and user.is_staff),
    # The diaspora side: the expert profile wizard, invitations, the member's home.
    "diaspora.own_profile": lambda user, obj: is_member(user),
    "diaspora.member_home": lambda user, obj: is_member(user),
    "matching.own_invitations": lambda user, obj: is_member(user),
    "projects.submit": lambda user, obj: is_member(user),
    # The regions' side: officials of at least one region, coordinators and staff administrators.
    "diaspora.browse_experts": lambda user, obj: _acts_for_some_region(user),
    "dashboards.view": lambda user, obj: _acts_for_some_region(user),
    "dashboards.national": lambda user, obj: is_national(user),
    "regions.work_queue": lambda user, obj: is_official(user) and bool(region_ids_for(user)),
    "regions.manage_any": lambda user, obj: is_official(user) or is_national(user),
    "regions.manage": lambda user, obj: _manages_region(user, obj),
    "projects.post_opportunity": lambda user, obj: is_official(user) or is_national(user),
    "partners.review_proposals": lambda user, obj: is_official(user) or is_national(user),
    # Partner organisations' users: their organisation's page, tokens and webhooks.
    "partners.home": lambda user, obj: is_partner(user),
    "partners.manage_tokens": lambda user, obj: is_partner(user),
}
for _action, _rule in _CORE_RULES.items():
    rule_register(_action, _rule)
