"""A profile's editable fields are listed once, in diaspora.services' typed inputs: the two
profile steps show exactly their input's fields, the two inputs together are the profile's,
and profile_save writes only what it is given."""

import pytest

from diaspora.forms import ProfileAboutForm, ProfileOfferForm
from diaspora.models import ExpertProfile
from diaspora.services import ProfileAboutInput, ProfileInput, ProfileOfferInput, profile_save

# (form, its input, the form's fields that are not the profile's: they go to other services)
FORMS = [
    pytest.param(ProfileAboutForm, ProfileAboutInput, set(), id="about"),
    pytest.param(ProfileOfferForm, ProfileOfferInput, {"formats", "cv_upload", "remove_cv"}, id="offer"),
]


@pytest.mark.parametrize(("form_class", "input_class", "form_only"), FORMS)
def test_profile_form_fields_are_the_input_fields(form_class, input_class, form_only):
    assert form_class.input_class is input_class
    assert [name for name in form_class.base_fields if name not in form_only] == input_class.names()


def test_profile_input_is_the_two_steps_together():
    assert ProfileInput.names() == ProfileAboutInput.names() + ProfileOfferInput.names()
    assert not set(ProfileAboutInput.names()) & set(ProfileOfferInput.names())


@pytest.mark.django_db
def test_profile_save_with_one_step_keeps_the_other_steps_fields(member_profile):
    member_profile.hours_per_month = 20
    member_profile.save(update_fields=["hours_per_month"])
    profile_save(user=member_profile.user, data=ProfileAboutInput(display_name="Salma A."))
    profile = ExpertProfile.objects.get(pk=member_profile.pk)
    assert (profile.display_name, profile.hours_per_month) == ("Salma A.", 20)


@pytest.mark.django_db
def test_profile_save_refuses_a_field_that_is_not_editable(member_profile):
    with pytest.raises(TypeError):
        profile_save(user=member_profile.user, data={"display_name": "X", "consent_matching": True})
    member_profile.refresh_from_db()
    assert member_profile.display_name != "X"
