from django import forms
from django.utils.translation import gettext_lazy as _


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True, "dir": "ltr"}
        ),
    )


class AuthenticatorConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=16,
        help_text=_("Enter the 6-digit code your authenticator app shows for Jusur."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "dir": "ltr"}
        ),
    )


# --- Places: a province list narrowed by the chosen region (static/js/place-picker.js) --------


class _DataSelect(forms.Select):
    """A select whose options carry the id of their parent (province of a commune, region of a
    province), so a few lines of script can narrow the list; the server still validates.
    `parent` is the id of the select that narrows this one (the script reads data-narrowed-by)."""

    parent_attr = ""

    def __init__(self, *args, parent: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if parent:
            self.attrs |= {"data-narrowed-by": parent, "data-narrowed-attr": f"data-{self.parent_attr}"}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"][f"data-{self.parent_attr}"] = getattr(instance, f"{self.parent_attr}_id")
        return option


class ProvinceSelect(_DataSelect):
    parent_attr = "region"


class CommuneSelect(_DataSelect):
    parent_attr = "province"
