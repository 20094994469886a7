from django.db import models
from django.utils.translation import gettext_lazy as _


class ProvinceKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    PREFECTURE_OF_ARRONDISSEMENTS = "prefecture_of_arrondissements", _("Prefecture of arrondissements")


class CommuneKind(models.TextChoices):
    URBAN = "urban", _("Urban commune")
    RURAL = "rural", _("Rural commune")


class RoadmapStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    CLOSED = "closed", _("Closed")


class AxisKind(models.TextChoices):
    DIASPORA_SKILLS = "diaspora_skills", _("Mobilising diaspora skills")
    DIASPORA_INVESTMENT = "diaspora_investment", _("Promoting diaspora investment")
    MIGRATION_GOVERNANCE = "migration_governance", _("Regional governance of migration")
    OTHER = "other", _("Other")


class NeedStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    FULFILLED = "fulfilled", _("Fulfilled")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired")


# The one table of allowed moves of a need; regions.services.need_transition enforces it.
NEED_TRANSITIONS: dict[str, frozenset[str]] = {
    NeedStatus.DRAFT: frozenset({NeedStatus.OPEN, NeedStatus.CLOSED}),
    NeedStatus.OPEN: frozenset({NeedStatus.IN_PROGRESS, NeedStatus.CLOSED, NeedStatus.EXPIRED}),
    NeedStatus.IN_PROGRESS: frozenset({NeedStatus.OPEN, NeedStatus.FULFILLED, NeedStatus.CLOSED}),
    NeedStatus.FULFILLED: frozenset(),
    NeedStatus.CLOSED: frozenset(),
    NeedStatus.EXPIRED: frozenset({NeedStatus.OPEN}),  # re-published with new dates
}
# What anyone (anonymous included) may see of an adopted or closed roadmap.
PUBLIC_NEED_STATUSES = (NeedStatus.OPEN, NeedStatus.IN_PROGRESS, NeedStatus.FULFILLED)


class ReminderKind(models.TextChoices):
    BEFORE_DEADLINE = "before_deadline", _("Reminder before the response deadline")
    ESCALATION = "escalation", _("Escalation after the response deadline")


class StakeholderKind(models.TextChoices):
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    INVESTMENT_CENTRE = "investment_centre", _("Regional investment centre")
    COMMUNE = "commune", _("Commune or local authority")
    ASSOCIATION = "association", _("Association")
    DIASPORA_ASSOCIATION = "diaspora_association", _("Diaspora association")
    UNIVERSITY = "university", _("University or research centre")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    INTERNATIONAL_PARTNER = "international_partner", _("International partner")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class FollowUpStatus(models.TextChoices):
    PENDING = "pending", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class PartnershipStatus(models.TextChoices):
    NEGOTIATION = "negotiation", _("Under negotiation")
    SIGNED = "signed", _("Signed")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


class IndicatorStatus(models.TextChoices):
    """How far a figure is from its producer (the CSV's `status` column)."""

    SOURCE = "source", _("Official source")
    SECONDARY = "secondary", _("Secondary source (cited by another publication)")
    ESTIMATE = "estimate", _("Estimate")
    PROVISIONAL = "provisional", _("Provisional")


class IndicatorKey(models.TextChoices):
    """Known indicators, for their translated labels; other keys are stored and shown as is."""

    MRE_REGISTERED_CONSULATES = "mre_registered_consulates", _("Moroccans abroad registered with consulates")
    MRE_INCLUDING_UNREGISTERED_LOW = (
        "mre_including_unregistered_low",
        _("Moroccans abroad including unregistered (low estimate)"),
    )
    MRE_INCLUDING_UNREGISTERED_HIGH = (
        "mre_including_unregistered_high",
        _("Moroccans abroad including unregistered (high estimate)"),
    )
    MRE_SHARE_LIVING_IN_EUROPE = "mre_share_living_in_europe", _("Share of Moroccans abroad living in Europe")
    MIGRANTS_DESTINATION_EUROPE = "migrants_destination_europe", _("Migrants who went to Europe")
    MIGRANTS_DESTINATION_FRANCE = "migrants_destination_france", _("Migrants who went to France")
    MIGRANTS_DESTINATION_SPAIN = "migrants_destination_spain", _("Migrants who went to Spain")
    MIGRANTS_DESTINATION_ITALY = "migrants_destination_italy", _("Migrants who went to Italy")
    INTENTION_TO_EMIGRATE = "intention_to_emigrate", _("Intention to emigrate")
    RETURNING_MIGRANTS_SINCE_2000 = "returning_migrants_since_2000", _("Return migrants since 2000")
    RETURNING_MIGRANTS_WHO_INVESTED = "returning_migrants_who_invested", _("Return migrants who invested")
    REMITTANCES = "remittances", _("Remittances from Moroccans abroad")
    REMITTANCES_SHARE_FROM_FRANCE = "remittances_share_from_france", _("Share of remittances sent from France")
    REMITTANCES_SHARE_FROM_SPAIN = "remittances_share_from_spain", _("Share of remittances sent from Spain")
    REMITTANCES_SHARE_FROM_SAUDI_ARABIA = (
        "remittances_share_from_saudi_arabia",
        _("Share of remittances sent from Saudi Arabia"),
    )
    REMITTANCES_SHARE_FROM_ITALY = "remittances_share_from_italy", _("Share of remittances sent from Italy")
