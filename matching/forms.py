from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import EngagementStatus, Rating, SetAsideReason


class InviteForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the expert"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, sent to the expert (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _reason_field(label):
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", _("I'd rather not say")), *SetAsideReason.choices],
        widget=forms.RadioSelect,
    )


class DeclineForm(forms.Form):
    reason = _reason_field(_("Why? (optional, told to the region)"))


class SetAsideForm(forms.Form):
    reason = _reason_field(_("Why? (optional, counted without your name)"))


class HelpForm(forms.Form):
    message = forms.CharField(
        label=_("A word for the region's team (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EngagementForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=EngagementStatus.choices, required=False)
    note = forms.CharField(
        label=_("Deliverable"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    rating = forms.TypedChoiceField(
        label=_("Your rating"), choices=[("", "—"), *Rating.choices], coerce=int, required=False, empty_value=None
    )
    thanks = forms.CharField(
        label=_("Thanks from the region, shown to the expert"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RatingForm(forms.Form):
    """The expert's side: a rating only, offered once the engagement is completed."""

    # No value chosen in advance: the member picks one.
    rating = forms.TypedChoiceField(
        label=_("Your rating"), choices=[("", "—"), *Rating.choices], coerce=int, empty_value=None
    )
