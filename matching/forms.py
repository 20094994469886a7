from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import EngagementStatus, Rating


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


class RespondForm(forms.Form):
    decision = forms.ChoiceField(label=_("Your answer"), choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class EngagementForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=EngagementStatus.choices, required=False)
    note = forms.CharField(
        label=_("Deliverable"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    rating = forms.TypedChoiceField(
        label=_("Your rating"), choices=[("", "—"), *Rating.choices], coerce=int, required=False, empty_value=None
    )
