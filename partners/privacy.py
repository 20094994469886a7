"""This app's entries in the personal-data registry (portal/privacy.py).

Tokens and proposals belong to a partner organisation; the only personal data are the
names of the people who created, revoked or decided them, which erasure blanks. A partner's
report on an engagement is about the expert who did it, and goes with them.
"""

from portal.privacy import register_personal_data

from .models import APIToken, EngagementOutcome, NeedProposal


def register() -> None:
    register_personal_data(
        APIToken,
        user_path=("created_by", "revoked_by"),
        erase="anonymise",
        anonymise={"created_by": None, "revoked_by": None},
        order=5,
    )
    # A partner's report on an expert's engagement (outcome, note) is about that expert.
    register_personal_data(EngagementOutcome, user_path="engagement__match__profile__user", erase="delete", order=3)
    register_personal_data(
        NeedProposal, user_path="decided_by", erase="anonymise", anonymise={"decided_by": None}, order=5
    )
