"""Associations: joining and leaving."""

from __future__ import annotations

from django.db import transaction

from ..models import Association, AssociationMembership


def association_join(*, association: Association, user) -> bool:
    """True if `user` joined now, False if already a member."""
    with transaction.atomic():
        _, created = AssociationMembership.objects.get_or_create(association=association, user=user)
    return created


def association_leave(*, association: Association, user) -> bool:
    with transaction.atomic():
        deleted, _ = AssociationMembership.objects.filter(association=association, user=user).delete()
    return bool(deleted)
