"""This app's entries in the personal-data registry (portal/privacy.py)."""

from portal.privacy import register_personal_data

from .access_log import profile_reads_erase
from .models import (
    AssociationMembership,
    ConsentRecord,
    Education,
    EmailVerification,
    ExpertFormat,
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    ProfileRead,
    WorkExperience,
)


def register() -> None:
    for model in (ExpertSkill, ExpertLanguage, ExpertFormat, WorkExperience, Education):
        register_personal_data(model, user_path="profile__user", erase="delete", order=10)
    # The profile's CV file is found by the registry (FileField) and removed after commit.
    register_personal_data(ExpertProfile, user_path="user", erase="delete", order=50)
    register_personal_data(ConsentRecord, user_path="user", erase="delete", order=60)
    register_personal_data(AssociationMembership, user_path="user", erase="delete", order=60)
    register_personal_data(EmailVerification, user_path="user", erase="delete", order=60)
    # Who read a profile: the expert's entries go, a reader's name is blanked (access_log.py).
    register_personal_data(
        ProfileRead,
        user_path=("profile__user", "reader"),
        erase="anonymise",
        anonymise=profile_reads_erase,
        order=10,
    )
