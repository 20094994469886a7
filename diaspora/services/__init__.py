"""Every write of the diaspora app: accounts, profiles, consent, associations, privacy.

Each service runs in one transaction. Whatever changes what matching sees (the profile, its
skills, languages, formats, availability, consent, freshness) emits `expert.changed` in that same
transaction (portal.events): the matching app re-scores the expert after commit, through the outbox.

One module per aggregate; the public names are re-exported here, so callers write
`from diaspora import services`."""

from .accounts import (
    PASSWORD_RESET_TEMPLATE,
    VERIFICATION_MAX_AGE,
    VERIFICATION_SALT,
    VERIFY_TEMPLATE,
    account_is_verified,
    account_mark_verified,
    account_register,
    account_verification_send,
    account_verify,
    password_reset_path,
    password_reset_send,
    verification_path,
    verification_token_make,
)
from .associations import association_join, association_leave
from .consent import consent_set
from .freshness import staleness_sweep
from .privacy import account_erase
from .profiles import (
    ProfileAboutInput,
    ProfileInput,
    ProfileOfferInput,
    profile_background_set,
    profile_confirm,
    profile_cv_remove,
    profile_cv_set,
    profile_formats_set,
    profile_languages_set,
    profile_offer_save,
    profile_save,
    profile_sectors_set,
    profile_skills_set,
)

__all__ = [
    "PASSWORD_RESET_TEMPLATE",
    "VERIFICATION_MAX_AGE",
    "VERIFICATION_SALT",
    "VERIFY_TEMPLATE",
    "ProfileAboutInput",
    "ProfileInput",
    "ProfileOfferInput",
    "account_erase",
    "account_is_verified",
    "account_mark_verified",
    "account_register",
    "account_verification_send",
    "account_verify",
    "association_join",
    "association_leave",
    "consent_set",
    "password_reset_path",
    "password_reset_send",
    "profile_background_set",
    "profile_confirm",
    "profile_cv_remove",
    "profile_cv_set",
    "profile_formats_set",
    "profile_languages_set",
    "profile_offer_save",
    "profile_save",
    "profile_sectors_set",
    "profile_skills_set",
    "staleness_sweep",
    "verification_path",
    "verification_token_make",
]
