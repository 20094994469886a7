"""Writes of the diaspora member's side of the loop (issue 18): "I can help" and "not for me"
on a need suggested to them, each reversible, and marking suggestions as seen (the funnel).

A member only ever acts for themselves: every function takes the acting `user` and finds the
member's own rows from it; there is no argument naming another person.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.permissions import is_member
from regions import services as region_services
from regions.enums import NeedStatus

from . import member_selectors
from .enums import SetAsideReason
from .models import Match, NeedSetAside


def _own_suggestion(user, need_id: int) -> Match:
    if not is_member(user):
        raise PermissionDenied(_("Only diaspora members can answer a suggestion."))
    match = (
        Match.objects.select_for_update(of=("self",))
        .select_related("need", "profile")
        .filter(profile__user=user, need_id=need_id)
        .first()
    )
    if match is None:
        raise ValidationError(_("This need is not among the needs suggested to you."))
    return match


@transaction.atomic
def suggestion_help(*, user, need_id: int, message: str = "") -> bool:
    """ "I can help": the member's expression of interest (regions.NeedInterest, the one the
    need's page records too), and the flag on their row of the official's candidate list at
    once (the next re-match keeps it). Undoes a "not for me". Returns True if newly said."""
    match = _own_suggestion(user, need_id)
    _interest, created = region_services.need_interest_express(need=match.need, user=user, message=message)
    NeedSetAside.objects.filter(profile=match.profile, need_id=need_id).delete()
    if not match.interested:
        match.interested = True
        match.save(update_fields=["interested", "updated_at"])
    return created


@transaction.atomic
def suggestion_help_undo(*, user, need_id: int) -> bool:
    """Take back "I can help": the interest is deleted and the flag lifted."""
    match = _own_suggestion(user, need_id)
    deleted = region_services.need_interest_withdraw(need=match.need, user=user)
    if match.interested:
        match.interested = False
        match.save(update_fields=["interested", "updated_at"])
    return bool(deleted)


@transaction.atomic
def suggestion_set_aside(*, user, need_id: int, reason: str = "") -> NeedSetAside:
    """ "Not for me": the need leaves the member's list; the optional reason is counted,
    anonymously, for the need's officials. Takes back an "I can help" on the same need."""
    if reason and reason not in SetAsideReason.values:
        raise ValidationError(_("Choose one of the reasons offered."))
    match = _own_suggestion(user, need_id)
    if match.need.status != NeedStatus.OPEN:
        raise ValidationError(_("This need is not open any more."))
    row, created = NeedSetAside.objects.get_or_create(
        profile=match.profile, need_id=need_id, defaults={"reason": reason}
    )
    if not created and row.reason != reason:
        row.reason = reason
        row.save(update_fields=["reason"])
    region_services.need_interest_withdraw(need=match.need, user=user)
    if match.interested:
        match.interested = False
        match.save(update_fields=["interested", "updated_at"])
    return row


@transaction.atomic
def suggestion_set_aside_undo(*, user, need_id: int) -> bool:
    """The need comes back to the member's list (and leaves the officials' counts)."""
    if not is_member(user):
        raise PermissionDenied(_("Only diaspora members can answer a suggestion."))
    deleted, _rows = NeedSetAside.objects.filter(profile__user=user, need_id=need_id).delete()
    return bool(deleted)


def suggestions_mark_seen(*, user, need_ids) -> int:
    """The member saw the suggestions for these needs on their home (the "viewed" step of the
    funnel). Sent by the page's script as a POST once it is shown, so that a GET stays free of
    writes (ASVS 3.5.3). One UPDATE, on the member's own rows only, and only the first sight
    counts."""
    if not is_member(user):
        raise PermissionDenied(_("Only diaspora members can answer a suggestion."))
    ids = list(need_ids)[: member_selectors.SUGGESTIONS_PER_PAGE]
    if not ids:
        return 0
    return Match.objects.filter(profile__user=user, need_id__in=ids, seen_at__isnull=True).update(
        seen_at=timezone.now()
    )
