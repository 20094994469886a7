from django.db import models
from django.utils.translation import gettext_lazy as _

# Reads are logged from pages of several apps (portal.reads): the vocabulary is the core's.
from portal.enums import ReadCategory, ReadPurpose  # noqa: F401


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
