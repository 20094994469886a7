"""The contact workflow: shortlist, invite, withdraw, respond, engagements; reminders and
closure notices, so that nobody is left in a silent dead end."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from diaspora.models import ExpertProfile
from portal.events import EngagementCompleted, MatchAccepted, emit
from portal.notifications import notification_send
from portal.permissions import can_act_in_region
from regions.models import Need

from ..enums import MATCH_TRANSITIONS, EngagementStatus, MatchStatus, SetAsideReason
from ..models import Engagement, Match

# --- the contact workflow --------------------------------------------------------------


def _url(name: str, user, **kwargs) -> str:
    """A link in the recipient's own language (pages are language-prefixed)."""
    with translation.override(user.preferred_language):
        return reverse(name, kwargs=kwargs)


def _owner_check(by, match: Match) -> None:
    if not can_act_in_region(by, match.need.region_id):
        raise PermissionDenied(_("You cannot act for this region."))


def _move(match: Match, to: str) -> None:
    if to not in MATCH_TRANSITIONS[MatchStatus(match.status)]:
        raise ValidationError(
            _("A candidate cannot go from “%(from)s” to “%(to)s”.")
            % {"from": MatchStatus(match.status).label, "to": MatchStatus(to).label}
        )


def _locked(match: Match) -> Match:
    return (
        Match.objects.select_for_update()
        .select_related("need", "need__region", "profile", "profile__user")
        .get(pk=match.pk)
    )


@transaction.atomic
def match_shortlist(*, match: Match, by, shortlisted: bool = True) -> Match:
    """Put a candidate on the need's shortlist (or take them off it)."""
    match = _locked(match)
    _owner_check(by, match)
    to = MatchStatus.SHORTLISTED if shortlisted else MatchStatus.SUGGESTED
    _move(match, to)
    match.status = to
    match.save(update_fields=["status", "updated_at"])
    return match


@transaction.atomic
def match_invite(*, match: Match, by, message: str = "") -> Match:
    """Invite a candidate: only one who consents, now, to be contacted; once."""

    match = _locked(match)
    _owner_check(by, match)
    if match.status == MatchStatus.INVITED:
        raise ValidationError(_("This expert has already been invited."))
    _move(match, MatchStatus.INVITED)
    if not ExpertProfile.objects.contactable().filter(pk=match.profile_id).exists():
        raise ValidationError(_("This expert has not agreed to be contacted."))
    match.status = MatchStatus.INVITED
    match.invited_by = by
    match.invited_at = timezone.now()
    match.invitation_message = message[:2000]
    match.save(update_fields=["status", "invited_by", "invited_at", "invitation_message", "updated_at"])
    notification_send(
        user=match.profile.user,
        kind="matching.invited",
        template="matching/emails/invited",
        refs={"need": match.need, "match": match},
        url=_url("matching:invitation_detail", match.profile.user, pk=match.pk),
    )
    return match


@transaction.atomic
def match_withdraw(*, match: Match, by, reason: str = "") -> Match:
    """Take back an invitation the expert has not answered yet; the expert is told by e-mail
    (with the reason, if given) that their profile stays open to other needs.

    Only an INVITED match can be withdrawn. Not a SHORTLISTED one: the expert was never
    contacted, so there is nothing to take back; the owner takes them off the shortlist, which
    leaves them free to be invited later, where a withdrawal is final and would tell a stranger
    about a list they never knew of. Not an ACCEPTED one either: that is an engagement now, and
    it ends through engagement_update (cancelled), which both sides see. A refusal changes nothing.
    """
    match = _locked(match)
    _owner_check(by, match)
    if match.status == MatchStatus.WITHDRAWN:
        raise ValidationError(_("This invitation has already been withdrawn."))
    if match.status == MatchStatus.ACCEPTED:
        raise ValidationError(
            _("The expert has already accepted: record the engagement as cancelled instead of withdrawing it.")
        )
    if match.status != MatchStatus.INVITED:
        raise ValidationError(_("Only a pending invitation can be withdrawn."))
    _move(match, MatchStatus.WITHDRAWN)
    match.status = MatchStatus.WITHDRAWN
    match.withdrawn_at = timezone.now()
    match.withdrawal_reason = reason[:2000]
    match.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
    user = match.profile.user
    notification_send(
        user=user,
        kind="matching.withdrawn",
        template="matching/emails/withdrawn",
        refs={"need": match.need, "match": match},
        params={"needs_url": _url("regions:need_list", user)},
        url=_url("matching:invitation_detail", user, pk=match.pk),
    )
    return match


@transaction.atomic
def match_respond(*, match: Match, by, accept: bool, reason: str = "") -> Match:
    """The invited expert accepts or declines (with an optional reason, one of
    SetAsideReason); the owner is told. Accepting starts an engagement and reveals the
    expert's contact details to the owner (see selectors.match_contact)."""
    match = _locked(match)
    if match.profile.user_id != getattr(by, "pk", None):
        raise PermissionDenied(_("This invitation is not yours."))
    if reason and (accept or reason not in SetAsideReason.values):
        raise ValidationError(_("Choose one of the reasons offered."))
    to = MatchStatus.ACCEPTED if accept else MatchStatus.DECLINED
    _move(match, to)
    match.status = to
    match.responded_at = timezone.now()
    match.decline_reason = reason
    match.save(update_fields=["status", "responded_at", "decline_reason", "updated_at"])
    if accept:
        Engagement.objects.get_or_create(match=match)
        emit(MatchAccepted(match_id=match.pk))
    notification_send(
        user=match.need.owner,
        kind="matching.accepted" if accept else "matching.declined",
        template="matching/emails/accepted" if accept else "matching/emails/declined",
        refs={"need": match.need, "match": match},
        url=_url("matching:candidate_list", match.need.owner, need_id=match.need_id),
    )
    return match


@transaction.atomic
def engagement_update(
    *,
    engagement: Engagement,
    by,
    status: str | None = None,
    note: str | None = None,
    rating: int | None = None,
    thanks: str | None = None,
) -> Engagement:
    """Record what became of an engagement; each side rates it once from its own door, the
    expert only once it is completed (there is nothing to rate before). The owner may write
    the region's thanks, shown on the expert's impact page."""
    engagement = (
        Engagement.objects.select_for_update().select_related("match__need", "match__profile").get(pk=engagement.pk)
    )
    match = engagement.match
    is_expert = match.profile.user_id == getattr(by, "pk", None)
    if not is_expert:
        _owner_check(by, match)
    if status is not None:
        if is_expert or status not in EngagementStatus.values:
            raise ValidationError(_("Only the need's owner records how an engagement ends."))
        engagement.status = status
        engagement.ended_at = None if status == EngagementStatus.STARTED else timezone.now()
    if note is not None and not is_expert:
        engagement.deliverable_note = note[:4000]
    if thanks is not None and not is_expert:
        engagement.thanks_note = thanks[:2000]
    if rating is not None:
        if rating not in range(1, 6):
            raise ValidationError(_("A rating goes from 1 to 5."))
        if is_expert and engagement.status != EngagementStatus.COMPLETED:
            raise ValidationError(_("You can rate an engagement once it is completed."))
        if is_expert:
            engagement.expert_rating = rating
        else:
            engagement.owner_rating = rating
    engagement.save()
    if status == EngagementStatus.COMPLETED:
        emit(EngagementCompleted(engagement_id=engagement.pk))
    if status in (EngagementStatus.COMPLETED, EngagementStatus.CANCELLED):
        notification_send(
            user=match.profile.user,
            kind=f"matching.engagement_{status}",
            template="matching/emails/engagement_ended",
            refs={"need": match.need},
            params={"status": status},
            url=_url("matching:invitation_detail", match.profile.user, pk=match.pk),
        )
    return engagement


# --- no silent dead ends -----------------------------------------------------------------

REMIND_DAYS_BEFORE = 3


def _claim(match_id: int, column: str) -> bool:
    """Fill `column` if still empty; True for the one caller that did (sends exactly once)."""
    return Match.objects.filter(pk=match_id, **{f"{column}__isnull": True}).update(**{column: timezone.now()}) == 1


def invitations_remind(*, today=None) -> int:
    """Remind invited experts before the need's response deadline; once it has passed with no
    answer, tell the owner (escalation). Each goes out once however often this runs."""
    today = today or timezone.localdate()
    sent = 0
    invited = Match.objects.filter(status=MatchStatus.INVITED, need__response_deadline__isnull=False).select_related(
        "need", "need__owner", "profile", "profile__user"
    )
    soon = invited.filter(
        reminded_at__isnull=True,
        need__response_deadline__gte=today,
        need__response_deadline__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
    )
    for match in soon:
        if _claim(match.pk, "reminded_at"):
            notification_send(
                user=match.profile.user,
                kind="matching.invitation_reminder",
                template="matching/emails/invitation_reminder",
                refs={"need": match.need},
                url=_url("matching:invitation_detail", match.profile.user, pk=match.pk),
            )
            sent += 1
    for match in invited.filter(escalated_at__isnull=True, need__response_deadline__lt=today):
        if _claim(match.pk, "escalated_at"):
            notification_send(
                user=match.need.owner,
                kind="matching.invitation_escalation",
                template="matching/emails/invitation_escalation",
                refs={"need": match.need, "match": match},
                url=_url("matching:candidate_list", match.need.owner, need_id=match.need_id),
            )
            sent += 1
    return sent


def _closure_notify(need_ids) -> int:
    """Tell the experts engaged with needs that are no longer open (invited, accepted,
    shortlisted, or interested) what happened, once."""

    sent = 0
    closed = Need.objects.filter(pk__in=need_ids).exclude(status="open")
    engaged = (
        Match.objects.filter(need__in=closed, closure_notified_at__isnull=True)
        .filter(Q(status__in=(MatchStatus.INVITED, MatchStatus.ACCEPTED, MatchStatus.SHORTLISTED)) | Q(interested=True))
        .select_related("need", "profile__user")
    )
    for match in engaged:
        if _claim(match.pk, "closure_notified_at"):
            notification_send(
                user=match.profile.user,
                kind="matching.need_closed",
                template="matching/emails/need_closed",
                refs={"need": match.need},
                url=match.need.get_absolute_url(),
            )
            sent += 1
    return sent
