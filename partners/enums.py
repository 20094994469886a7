from django.db import models
from django.utils.translation import gettext_lazy as _

from portal import events
from portal.api.scopes import Scope  # the core owns the API vocabulary; tokens and events use it here


class WebhookEvent(models.TextChoices):
    NEED_PUBLISHED = "need.published", _("A need was published")
    NEED_CLOSED = "need.closed", _("A need was closed")
    MATCH_ACCEPTED = "match.accepted", _("An expert accepted a match")
    ENGAGEMENT_COMPLETED = "engagement.completed", _("An engagement was completed")
    PROJECT_STATUS_CHANGED = "project.status_changed", _("An investment project changed status")


# The domain events (portal.events) partners may subscribe to, one per WebhookEvent.
WEBHOOK_EVENT_TYPES = (
    events.NeedPublished,
    events.NeedClosed,
    events.MatchAccepted,
    events.EngagementCompleted,
    events.ProjectStatusChanged,
)


# The scope a subscriber's token must hold to receive an event: the scope of the API operation
# that reads the event's object (partners.selectors.EVENT_READERS). Data it could not read
# through the API is never pushed to it either.
EVENT_SCOPES = {
    WebhookEvent.NEED_PUBLISHED: Scope.READ_PUBLIC,
    WebhookEvent.NEED_CLOSED: Scope.READ_PUBLIC,
    WebhookEvent.MATCH_ACCEPTED: Scope.READ_EXPERTS,
    WebhookEvent.ENGAGEMENT_COMPLETED: Scope.WRITE_OUTCOMES,
    WebhookEvent.PROJECT_STATUS_CHANGED: Scope.READ_EXPERTS,
}


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    # The subscriber's token can no longer read the event's object through the API.
    WITHHELD = "withheld", _("Withheld (no longer visible to the token)")


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted as a draft need")
    DECLINED = "declined", _("Declined")


class OutcomeStatus(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    ONGOING = "ongoing", _("Ongoing (progress report)")
