from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OpportunityStatus(models.TextChoices):
    # With a context: "Closed" also labels other things in other apps' catalogues.
    DRAFT = "draft", pgettext_lazy("opportunity status", "Draft")
    PUBLISHED = "published", pgettext_lazy("opportunity status", "Published")
    CLOSED = "closed", pgettext_lazy("opportunity status", "Closed")


class ProjectStatus(models.TextChoices):
    """Where a project stands in the shared pipeline (changed only by services.project_transition)."""

    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCOMPANIED = "accompanied", _("Accompanied")
    FINANCED = "financed", _("Financed")
    LAUNCHED = "launched", _("Launched")
    DROPPED = "dropped", _("Dropped")


class ProjectStage(models.TextChoices):
    """How mature the investor's project is (their own declaration; matching reads it)."""

    IDEA = "idea", _("Idea")
    BUSINESS_PLAN = "business_plan", _("Business plan")
    FINANCING = "financing", _("Looking for financing")
    SETTING_UP = "setting_up", _("Setting up")
    OPERATING = "operating", _("Operating")


class SupportNeed(models.TextChoices):
    LAND = "land", _("Land or premises")
    FINANCING = "financing", _("Financing")
    PERMITS = "permits", _("Permits and administrative steps")
    PARTNERS = "partners", _("Local partners")
    TRAINING = "training", _("Training")


class AlertKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    ESCALATION = "escalation", _("Escalation")


class EligibilityField(models.TextChoices):
    """The facts of a project that an eligibility rule may test."""

    AMOUNT = "amount_mad", _("Total amount (MAD)")
    SHARE_FROM_ABROAD = "share_from_abroad_pct", _("Share financed from abroad (%)")
    OWN_CONTRIBUTION = "own_contribution_mad", _("Own contribution (MAD)")
    OWN_CONTRIBUTION_PCT = "own_contribution_pct", _("Own contribution (share of the amount, %)")
    EXPECTED_JOBS = "expected_jobs", _("Expected jobs")
    REGION = "region", _("Region (HCP code)")
    SECTOR = "sector", _("Sector (ISIC section)")
    STAGE = "stage", _("Stage")


# Fields compared as numbers; the others are compared as codes.
NUMERIC_FIELDS = frozenset(
    {
        EligibilityField.AMOUNT,
        EligibilityField.SHARE_FROM_ABROAD,
        EligibilityField.OWN_CONTRIBUTION,
        EligibilityField.OWN_CONTRIBUTION_PCT,
        EligibilityField.EXPECTED_JOBS,
    }
)


class EligibilityOperator(models.TextChoices):
    GTE = "gte", _("at least")
    LTE = "lte", _("at most")
    GT = "gt", _("more than")
    LT = "lt", _("less than")
    EQ = "eq", _("equal to")
    IN = "in", _("one of (comma-separated)")
    NOT_IN = "not_in", _("none of (comma-separated)")
