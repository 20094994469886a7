from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentPurpose(models.TextChoices):
    """The purposes a member consents to, one by one (GDPR art. 7; none pre-ticked)."""

    MATCHING = "matching", _("Be matched to regional needs")
    CONTACT = "contact", _("Be contacted by regional officials about a match")
    PARTNER_SHARING = "partner_sharing", _("Share a pseudonymised profile with partner organisations")
    STATISTICS = "statistics", _("Be counted in anonymous statistics")
    # The public line "contributed to 3 needs in Souss-Massa" with the display name (issue 18).
    PUBLIC_CONTRIBUTIONS = "public_contributions", _("Show publicly the needs I contributed to")


# The version of the consent texts shown on the consent page. Bump it whenever the wording
# of diaspora/templates/diaspora/consent_form.html changes: every record keeps the version
# the person actually read.
CONSENT_TEXT_VERSION = "2026-12-v2"

# Column on ExpertProfile that mirrors the current state of each purpose.
CONSENT_COLUMNS = {
    ConsentPurpose.MATCHING: "consent_matching",
    ConsentPurpose.CONTACT: "consent_contact",
    ConsentPurpose.PARTNER_SHARING: "consent_partner_sharing",
    ConsentPurpose.STATISTICS: "consent_statistics",
    ConsentPurpose.PUBLIC_CONTRIBUTIONS: "consent_public_contributions",
}


class ReadCategory(models.TextChoices):
    """Which of an expert's personal data someone else read (diaspora.access_log)."""

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
