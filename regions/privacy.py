"""This app's entries in the personal-data registry (portal/privacy.py)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.privacy import register_personal_data

from .models import ConsultationMeeting, Decision, MeetingParticipant, Need, NeedInterest, NeedReminder, Roadmap


def _refuse_while_owning_needs(queryset, user) -> int:
    # A need must always have an owner answerable for it: the region reassigns it first.
    if queryset.exists():
        raise ValidationError(_("This person still owns needs; reassign them to another official first."))
    return 0


def register() -> None:
    register_personal_data(NeedInterest, user_path="user", erase="delete", order=10)
    register_personal_data(NeedReminder, user_path="recipient", erase="delete", order=10)
    register_personal_data(MeetingParticipant, user_path="user", erase="delete", order=10)
    register_personal_data(Decision, user_path="owner", erase="anonymise", anonymise={"owner": None}, order=20)
    register_personal_data(Roadmap, user_path="created_by", erase="anonymise", anonymise={"created_by": None}, order=20)
    register_personal_data(
        ConsultationMeeting, user_path="created_by", erase="anonymise", anonymise={"created_by": None}, order=20
    )
    register_personal_data(Need, user_path="owner", erase="anonymise", anonymise=_refuse_while_owning_needs, order=5)
