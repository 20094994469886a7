"""This app's entries in the personal-data registry (portal/privacy.py)."""

from portal.privacy import register_personal_data


def register() -> None:
    from .models import DigestSubscription, Match, MatchRun

    # An expert's own matches go with their profile (deleted at order 50, cascading); for an
    # official who invited someone, the row stays for the need and loses the name.
    register_personal_data(
        Match, user_path=("profile__user", "invited_by"), erase="anonymise", anonymise={"invited_by": None}, order=5
    )
    register_personal_data(
        MatchRun, user_path="requested_by", erase="anonymise", anonymise={"requested_by": None}, order=5
    )
    register_personal_data(DigestSubscription, user_path="user", erase="delete", order=10)
