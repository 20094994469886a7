"""What the investment services share: limits, refusals, notifications."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.events import InvestmentChanged, emit
from portal.models import User
from portal.notifications import notification_send
from portal.permissions import is_member

from ..enums import ProjectStatus
from ..models import Project

NOTE_MAX = 5_000
OPEN_STATUSES = [ProjectStatus.SUBMITTED, ProjectStatus.UNDER_REVIEW, ProjectStatus.ACCOMPANIED, ProjectStatus.FINANCED]
INVESTOR_EDITABLE = (ProjectStatus.SUBMITTED, ProjectStatus.UNDER_REVIEW)


def refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def notify(*, user: User, kind: str, template: str, refs: dict, params: dict, url_name: str, pk: int) -> None:
    if not user.is_active:
        return
    with translation.override(user.preferred_language):
        url = reverse(url_name, kwargs={"pk": pk})
    notification_send(user=user, kind=kind, template=f"projects/emails/{template}", refs=refs, params=params, url=url)


def is_investor(user, project: Project) -> bool:
    return is_member(user) and project.investor_id == user.pk


def matching_changed() -> None:
    """Investor ↔ opportunity suggestions depend on projects and published opportunities:
    the matching app queues one re-match after commit (debounced, docs/matching.md §7)."""
    emit(InvestmentChanged())


def clean_note(note: str, *, required: bool = False, field: str = "note") -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationError({field: _("This field is required.")})
    if len(note) > NOTE_MAX:
        raise ValidationError({field: _("Keep it under 5,000 characters.")})
    return note
