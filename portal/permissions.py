"""Who may act where: the one place that turns a user's role into a region scope.

Selectors and services of every app ask these functions; views never test roles.
"""

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
