from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchRunKind(models.TextChoices):
    FULL = "full", _("Full re-match")
    EXPERT = "expert", _("One expert")
    NEED = "need", _("One need")
    INVESTMENT = "investment", _("Investors and opportunities")


class MatchRunStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class MatchStatus(models.TextChoices):
    """Where a candidate stands for a need. Only SUGGESTED rows are rewritten by the engine."""

    SUGGESTED = "suggested", _("Suggested")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn by the owner")


class EngagementStatus(models.TextChoices):
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class SetAsideReason(models.TextChoices):
    """Why a member says "not for me" to a suggested need, or declines an invitation. Counted,
    never attributed: the need's officials read "3 experts said the dates don't suit"."""

    DATES = "dates", _("The dates don't suit")
    TIME = "time", _("Not enough time")
    SKILLS = "skills", _("Not my field")
    PLACE = "place", _("The place does not suit")
    FORMAT = "format", _("The format does not suit")
    OTHER = "other", _("Another reason")


class Rating(models.IntegerChoices):
    POOR = 1, _("1 – poor")
    FAIR = 2, _("2 – fair")
    GOOD = 3, _("3 – good")
    VERY_GOOD = 4, _("4 – very good")
    EXCELLENT = 5, _("5 – excellent")


# Statuses in which the person is engaged in the workflow: the engine never deletes these rows.
WORKFLOW_STATUSES = (
    MatchStatus.SHORTLISTED,
    MatchStatus.INVITED,
    MatchStatus.ACCEPTED,
    MatchStatus.DECLINED,
    MatchStatus.WITHDRAWN,
)
# Moves an owner or an expert may make (from → allowed targets).
MATCH_TRANSITIONS = {
    MatchStatus.SUGGESTED: {MatchStatus.SHORTLISTED, MatchStatus.INVITED},
    MatchStatus.SHORTLISTED: {MatchStatus.SUGGESTED, MatchStatus.INVITED},
    MatchStatus.INVITED: {MatchStatus.ACCEPTED, MatchStatus.DECLINED, MatchStatus.WITHDRAWN},
    MatchStatus.ACCEPTED: set(),
    MatchStatus.DECLINED: set(),
    MatchStatus.WITHDRAWN: set(),
}
