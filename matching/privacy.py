"""This app's entries in the personal-data registry (portal/privacy.py)."""

from portal.privacy import register_personal_data

from .models import DigestSubscription, Engagement, InvestmentMatch, Match, MatchRun, NeedSetAside


def register() -> None:
    # An expert's own matches go with their profile (deleted at order 50, cascading); for an
    # official who invited someone, the row stays for the need and loses the name.
    register_personal_data(
        Match, user_path=("profile__user", "invited_by"), erase="anonymise", anonymise={"invited_by": None}, order=5
    )
    register_personal_data(
        MatchRun, user_path="requested_by", erase="anonymise", anonymise={"requested_by": None}, order=5
    )
    register_personal_data(DigestSubscription, user_path="user", erase="delete", order=10)
    # What became of the expert's contribution (status, both ratings, the deliverable note) is
    # theirs: exported in full, deleted with them (before the match, which it hangs off).
    register_personal_data(Engagement, user_path="match__profile__user", erase="delete", order=4)
    # Suggestions computed for an investor's project are profiling results about the investor.
    register_personal_data(InvestmentMatch, user_path="project__investor", erase="delete", order=10)
    # "Not for me" on a suggested need, with its reason: the member's own answer, exported and
    # deleted with them (the officials only ever saw a count).
    register_personal_data(NeedSetAside, user_path="profile__user", erase="delete", order=10)
