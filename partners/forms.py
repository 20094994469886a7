from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.validators import no_control_characters
from regions.models import Region

from .enums import Scope

LIFETIME_CHOICES = [
    (30, _("30 days")),
    (90, _("90 days")),
    (180, _("180 days")),
    (365, _("1 year")),
]


class APITokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, validators=[no_control_characters], help_text=_("What the token is for.")
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple, initial=[Scope.READ_PUBLIC]
    )
    region = forms.ModelChoiceField(
        label=_("Region restriction"),
        queryset=Region.objects.order_by("code"),
        required=False,
        empty_label=_("All regions"),
    )
    lifetime_days = forms.TypedChoiceField(label=_("Expires after"), choices=LIFETIME_CHOICES, coerce=int, initial=90)

    def expires_at(self):
        return timezone.now() + timedelta(days=self.cleaned_data["lifetime_days"])
