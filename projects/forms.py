from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from portal.forms import CommuneSelect, ProvinceSelect
from portal.inputs import InputForm
from portal.models import PartnerOrganisation, User
from portal.multilingual import TranslationsFormMixin
from portal.validators import no_control_characters
from regions.models import Commune, Province, Region

from .enums import ProjectStatus, SupportNeed
from .models import MIN_AMOUNT_MAD, Opportunity, Project, SupportProgramme
from .pipeline import allowed_targets
from .services import OpportunityInput, ProjectInput
from .validators import project_pdf


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePdfField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [upload for upload in files if upload]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        cleaned, errors = [], []
        for upload in files:
            try:
                cleaned.append(super().clean(upload, initial))
                project_pdf(upload)
            except forms.ValidationError as error:
                errors.extend(f"{upload.name}: {message}" for message in error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


def _amount_floor(field, minimum: int) -> None:
    """One clear lower bound (the sane minimum) instead of "at least 0" then "at least 10,000"."""
    field.min_value = minimum
    field.validators = [v for v in field.validators if not isinstance(v, MinValueValidator)]
    field.validators.append(MinValueValidator(minimum))
    field.widget.attrs["min"] = minimum


class _PlaceFormMixin:
    def _setup_place(self, regions=None):
        self.fields["region"].queryset = regions if regions is not None else Region.objects.order_by("code")
        self.fields["province"].queryset = Province.objects.order_by("code")
        self.fields["province"].widget = ProvinceSelect()
        self.fields["province"].widget.choices = self.fields["province"].choices
        self.fields["commune"].queryset = Commune.objects.order_by("province__code", "name_fr")
        self.fields["commune"].widget = CommuneSelect()
        self.fields["commune"].widget.choices = self.fields["commune"].choices


class ProjectForm(InputForm, _PlaceFormMixin, forms.ModelForm):
    input_class = ProjectInput

    support_needed = forms.MultipleChoiceField(
        label=_("Support needed"), choices=SupportNeed.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    documents = MultiplePdfField(
        label=_("Documents (PDF, 10 MB each at most)"),
        required=False,
        help_text=_(
            "Business plan, quotes, title deeds… Only you, the region's officials and the partners you accept see them."
        ),
    )

    class Meta:
        model = Project
        fields = ProjectInput.names()
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_place()
        self.fields["opportunity"].queryset = Opportunity.objects.published().order_by("title")
        self.fields["opportunity"].required = False
        _amount_floor(self.fields["amount_mad"], MIN_AMOUNT_MAD)
        for name in ("amount_mad", "own_contribution_mad"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "step": "1000"})
        if editing:
            del self.fields["documents"]
            self.fields["region"].disabled = True


class OpportunityForm(InputForm, TranslationsFormMixin, _PlaceFormMixin, forms.ModelForm):
    input_class = OpportunityInput

    class Meta:
        model = Opportunity
        fields = OpportunityInput.names(exclude=("translations",))  # the mixin's language groups make it
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "incentives": forms.Textarea(attrs={"rows": 3}),
            "programmes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_place(regions=regions)
        _amount_floor(self.fields["investment_min_mad"], MIN_AMOUNT_MAD)
        _amount_floor(self.fields["investment_max_mad"], MIN_AMOUNT_MAD)
        self.fields["programmes"].queryset = SupportProgramme.objects.filter(is_active=True).order_by("name_fr")


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("A word for the region (optional)"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"))
    note = forms.CharField(
        label=_("Note for the investor"), required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        # Dropping has its own page, with a confirmation and a required reason.
        targets = [status for status in allowed_targets(project.status) if status != ProjectStatus.DROPPED]
        self.fields["to"].choices = [(status, ProjectStatus(status).label) for status in targets]


class DropForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 4}))


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Internal note"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Assigned officer"), queryset=User.objects.none())

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Add a document (PDF, 10 MB at most)"),
        validators=[project_pdf],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False, validators=[no_control_characters])


class PartnerAttachForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=PartnerOrganisation.objects.order_by("name")
    )
