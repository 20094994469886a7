"""Pages of the diaspora app: accounts, the profile in steps, the privacy centre, associations,
and the officials' expert list. Thin: read through selectors, write through services.

One module per aggregate; the public names are re-exported here, so callers write
`from diaspora import services`."""

from .accounts import (
    LoginView,
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
    signup,
    signup_done,
    verification_resend,
    verify_email,
)
from .associations import association_detail, association_list_view, association_membership
from .officials import expert_list_view
from .privacy import account_delete, privacy_centre, privacy_export, privacy_reads
from .profile import STEPS, commune_options, consent, profile_confirm, profile_detail, profile_edit, skill_autocomplete

__all__ = [
    "STEPS",
    "LoginView",
    "PasswordResetCompleteView",
    "PasswordResetConfirmView",
    "PasswordResetDoneView",
    "PasswordResetView",
    "account_delete",
    "association_detail",
    "association_list_view",
    "association_membership",
    "commune_options",
    "consent",
    "expert_list_view",
    "privacy_centre",
    "privacy_export",
    "privacy_reads",
    "profile_confirm",
    "profile_detail",
    "profile_edit",
    "signup",
    "signup_done",
    "skill_autocomplete",
    "verification_resend",
    "verify_email",
]
