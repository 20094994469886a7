from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Diaspora member")
    OFFICIAL = "official", _("Regional official")
    COORDINATOR = "coordinator", _("National coordinator")
    PARTNER = "partner", _("Partner organisation user")
    ADMIN = "admin", _("Staff administrator")


class PartnerKind(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    UNIVERSITY = "university", _("University")
    CONSULATE = "consulate", _("Consulate")
    INVESTMENT_CENTRE = "investment_centre", _("Regional investment centre")
    DONOR = "donor", _("Donor")
    BANK = "bank", _("Bank")
    OTHER = "other", _("Other")


class EngagementFormat(models.TextChoices):
    """What a diaspora member offers, and what a need asks for (the same list on both sides)."""

    CALL = "call", _("One-hour call")
    REMOTE_ADVICE = "remote_advice", _("Remote advice")
    SHORT_MISSION = "short_mission", _("Short mission (up to 3 months)")
    MENTORING = "mentoring", _("Mentoring")
    TRAINING = "training", _("Training or teaching")
    PLACEMENT = "placement", _("Placement (6 months or more)")
    INVESTMENT = "investment", _("Investment")


class WorkMode(models.TextChoices):
    REMOTE = "remote", _("Remote")
    ON_SITE = "on_site", _("On site")
    BOTH = "both", _("Remote or on site")


class SkillLevel(models.IntegerChoices):
    BASIC = 1, _("Basic")
    INTERMEDIATE = 2, _("Intermediate")
    ADVANCED = 3, _("Advanced")
    EXPERT = 4, _("Expert")


class LanguageLevel(models.IntegerChoices):
    """CEFR levels, ordered so that comparisons (>=) mean "at least"."""

    A1 = 1, _("A1 – beginner")
    A2 = 2, _("A2 – elementary")
    B1 = 3, _("B1 – intermediate")
    B2 = 4, _("B2 – upper intermediate")
    C1 = 5, _("C1 – advanced")
    C2 = 6, _("C2 – proficient")
    NATIVE = 7, _("Native or bilingual")


class Language(models.TextChoices):
    """Languages people declare (ISO 639 codes; Tamazight as `zgh`, Darija as `ary`)."""

    AR = "ar", _("Arabic")
    ARY = "ary", _("Moroccan Arabic (Darija)")
    ZGH = "zgh", _("Tamazight")
    FR = "fr", _("French")
    EN = "en", _("English")
    ES = "es", _("Spanish")
    IT = "it", _("Italian")
    NL = "nl", _("Dutch")
    DE = "de", _("German")
    PT = "pt", _("Portuguese")


class ReadCategory(models.TextChoices):
    """Which of an expert's personal data someone else read (diaspora.access_log, through portal.reads)."""

    PROFILE = "profile", _("Profile (name, skills, availability, biography)")
    CONTACT = "contact", _("Profile and contact details (e-mail, phone)")
    PSEUDONYMISED = "pseudonymised", _("Pseudonymised profile (skills and availability, no name)")
    INTEREST = "interest", _("Your offer of help for a need (name and message)")
    READ_LOG = "read_log", _("This list of reads")


class ReadPurpose(models.TextChoices):
    """Why it was read: the page, export or API call that showed it."""

    CANDIDATES = "candidates", _("Candidates for a regional need")
    NEED_INTERESTS = "need_interests", _("People who offered help for a need")
    EXPERT_SEARCH = "expert_search", _("Search of the experts directory")
    # No export lists identified experts today; one that does must log with this purpose.
    EXPORT = "export", _("Export")
    PARTNER_API = "partner_api", _("Partner API")
    ADMINISTRATION = "administration", _("Jusur administration")
