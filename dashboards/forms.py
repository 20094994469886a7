from django import forms
from django.utils.translation import gettext_lazy as _

from portal.i18n import pick

from .enums import Period
from .selectors import Filters, reference_labels


class DashboardFilterForm(forms.Form):
    """Period, axis, sector and province; the choices are the region's own (a foreign id is invalid)."""

    period = forms.ChoiceField(label=_("Period"), choices=Period.choices, required=False)
    axis = forms.TypedChoiceField(label=_("Axis"), required=False, coerce=int, empty_value=None)
    sector = forms.TypedChoiceField(label=_("Sector"), required=False, coerce=int, empty_value=None)
    province = forms.TypedChoiceField(label=_("Province or prefecture"), required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, options: dict, **kwargs):
        super().__init__(data, **kwargs)
        everything = [("", _("All"))]
        sectors = reference_labels()["sectors"]
        self.fields["axis"].choices = everything + [(pk, title) for pk, title in options["axes"]]
        self.fields["sector"].choices = everything + [
            (pk, f"{code} – {pick(sectors.get(pk, {}))}") for pk, code in options["sectors"]
        ]
        self.fields["province"].choices = everything + [
            (pk, pick(names) or code) for pk, code, names in options["provinces"]
        ]

    def filters(self) -> Filters:
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            period=data.get("period") or Period.ALL,
            axis_id=data.get("axis"),
            sector_id=data.get("sector"),
            province_id=data.get("province"),
        )
