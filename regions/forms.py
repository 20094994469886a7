"""Forms validate input and hand clean values to the services; they hold no business rules.

A form of an aggregate takes its fields from the service's typed input (`Meta.fields =
NeedInput.names(...)`, leaving out only what it does not show) and hands the service that
input (`to_input()`): the editable fields are listed once, in regions/services/.
"""

from dataclasses import replace

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.enums import Language, LanguageLevel, Role, SkillLevel
from portal.inputs import UNSET, InputForm
from portal.multilingual import TranslationsFormMixin
from portal.validators import DOCUMENT_KINDS, UploadFile, no_control_characters
from taxonomy.enums import ConceptType
from taxonomy.forms import SkillPickerForm
from taxonomy.models import Sector

from .models import (
    DESCRIPTION_MAX_LENGTH,
    NEED_WEIGHT_MAX,
    NEED_WEIGHT_MIN,
    ROADMAP_DOCUMENT_MAX_MB,
    Commune,
    ConsultationMeeting,
    Decision,
    MeetingParticipant,
    Need,
    NeedInterest,
    Partnership,
    Province,
    Region,
    Roadmap,
    RoadmapAxis,
    Stakeholder,
    Study,
)
from .services import (
    AxisInput,
    DecisionInput,
    LanguageRequirement,
    MeetingInput,
    NeedInput,
    ParticipantInput,
    PartnershipInput,
    RoadmapInput,
    SkillRequirement,
    StakeholderInput,
    StudyInput,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _formfield(field, **kwargs):
    # Links typed without a scheme are https (Django 6's default, chosen now).
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class PeriodMixin:
    """End before start is an error on the end field (every form with a period)."""

    period_fields = ("period_start", "period_end")

    def clean(self):
        cleaned = super().clean()
        start_name, end_name = self.period_fields
        start, end = cleaned.get(start_name), cleaned.get(end_name)
        if start and end and end < start:
            self.add_error(end_name, _("The end date is before the start date."))
        return cleaned


class RoadmapForm(InputForm, PeriodMixin, forms.ModelForm):
    input_class = RoadmapInput

    class Meta:
        model = Roadmap
        fields = RoadmapInput.names()
        widgets = {"period_start": DATE, "period_end": DATE}


class AxisForm(InputForm, TranslationsFormMixin, forms.ModelForm):
    input_class = AxisInput

    class Meta:
        model = RoadmapAxis
        fields = AxisInput.names(exclude=("translations",))  # the mixin's language groups make it


class RoadmapDocumentForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200, validators=[no_control_characters])
    language = forms.ChoiceField(label=_("language"), choices=Language.choices)
    file = forms.FileField(
        label=_("file"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint or OpenDocument; 20 MB at most."),
        validators=[UploadFile(max_mb=ROADMAP_DOCUMENT_MAX_MB, kinds=DOCUMENT_KINDS)],
    )
    url = forms.URLField(label=_("link"), required=False, assume_scheme="https")


class NeedForm(InputForm, TranslationsFormMixin, forms.ModelForm):
    """The need's own fields; its choices are limited to the roadmap's axes and region."""

    input_class = NeedInput

    class Meta:
        model = Need
        fields = NeedInput.names(exclude=("translations",))  # the mixin's language groups make it
        widgets = {"start_date": DATE, "response_deadline": DATE}

    def __init__(self, *args, roadmap: Roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["axis"].queryset = RoadmapAxis.objects.filter(roadmap=roadmap)
        self.fields["sector"].queryset = Sector.objects.all()
        # All provinces are offered so that a wrong one gets the clear "not in the region"
        # message of the service rather than a generic "invalid choice".
        self.fields["province"].queryset = Province.objects.all()
        self.fields["province"].choices = [("", "---------")] + [
            (p.pk, p.name) for p in Province.objects.filter(region_id=roadmap.region_id)
        ]
        self.fields["commune"].queryset = Commune.objects.all()
        self.fields["commune"].choices = [("", "---------")] + [
            (c.pk, c.name) for c in Commune.objects.filter(region_id=roadmap.region_id)
        ]
        User = get_user_model()
        self.fields["owner"].queryset = User.objects.filter(is_active=True).filter(
            role__in=(Role.OFFICIAL, Role.COORDINATOR, Role.ADMIN)
        )
        self.fields["owner"].choices = [("", "---------")] + [
            (u.pk, str(u)) for u in User.objects.filter(is_active=True, role=Role.OFFICIAL, regions=roadmap.region_id)
        ]
        self.fields["owner"].required = False
        self.fields["owner"].help_text = _("Empty: you.")
        self.fields["description"].max_length = DESCRIPTION_MAX_LENGTH

    def to_input(self) -> NeedInput:
        need = super().to_input()
        # No owner chosen: the creator on a new need, the current owner on an edit.
        return replace(need, owner=UNSET) if need.owner is None else need


class NeedSkillForm(SkillPickerForm):
    concept_type = ConceptType.SKILL  # a need asks for concrete skills, not a whole group

    weight = forms.IntegerField(
        label=_("weight"),
        min_value=NEED_WEIGHT_MIN,
        max_value=NEED_WEIGHT_MAX,
        initial=3,
        help_text=_("From 1 (useful) to 5 (central)."),
    )
    essential = forms.BooleanField(label=_("essential"), required=False)
    min_level = forms.TypedChoiceField(
        label=_("minimum level"), choices=SkillLevel.choices, coerce=int, initial=SkillLevel.INTERMEDIATE
    )


class NeedLanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("language"), choices=[("", "---------"), *Language.choices], required=False)
    min_level = forms.TypedChoiceField(
        label=_("minimum level"), choices=LanguageLevel.choices, coerce=int, initial=LanguageLevel.B2
    )


NeedSkillFormSet = forms.formset_factory(NeedSkillForm, extra=4, max_num=20, validate_max=True)
NeedLanguageFormSet = forms.formset_factory(NeedLanguageForm, extra=2, max_num=8, validate_max=True)


def skills_from(formset) -> list[SkillRequirement]:
    return [
        SkillRequirement(
            skill_id=f.cleaned_data["skill_obj"].pk,
            weight=f.cleaned_data["weight"],
            essential=f.cleaned_data["essential"],
            min_level=f.cleaned_data["min_level"],
        )
        for f in formset.forms
        if f.cleaned_data.get("skill_obj")
    ]


def languages_from(formset) -> list[LanguageRequirement]:
    return [
        LanguageRequirement(language=f.cleaned_data["language"], min_level=f.cleaned_data["min_level"])
        for f in formset.forms
        if f.cleaned_data.get("language")
    ]


class NeedInterestForm(forms.ModelForm):
    class Meta:
        model = NeedInterest
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}


class StakeholderForm(InputForm, forms.ModelForm):
    input_class = StakeholderInput

    class Meta:
        model = Stakeholder
        formfield_callback = _formfield
        fields = StakeholderInput.names(exclude=("partner",))  # set by administrators


class MeetingForm(InputForm, TranslationsFormMixin, forms.ModelForm):
    input_class = MeetingInput
    period_fields = ("starts_at", "ends_at")

    class Meta:
        model = ConsultationMeeting
        formfield_callback = _formfield
        fields = MeetingInput.names(exclude=("translations",))  # the mixin's language groups make it
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME, "stakeholders": forms.CheckboxSelectMultiple}

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roadmap"].queryset = Roadmap.objects.filter(region=region)
        self.fields["stakeholders"].queryset = Stakeholder.objects.filter(region=region)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_at") and cleaned.get("ends_at") and cleaned["ends_at"] < cleaned["starts_at"]:
            self.add_error("ends_at", _("The end is before the start."))
        return cleaned


class ParticipantForm(InputForm, forms.ModelForm):
    input_class = ParticipantInput

    class Meta:
        model = MeetingParticipant
        fields = ParticipantInput.names(exclude=("user",))  # a portal account: not chosen here

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = Stakeholder.objects.filter(region=region)


class DecisionForm(InputForm, forms.ModelForm):
    input_class = DecisionInput

    class Meta:
        model = Decision
        fields = DecisionInput.names()
        widgets = {"due_date": DATE}

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["axis"].queryset = RoadmapAxis.objects.filter(roadmap__region=region).select_related("roadmap")
        self.fields["need"].queryset = Need.objects.filter(region=region)
        self.fields["owner"].queryset = get_user_model().objects.filter(
            is_active=True, role=Role.OFFICIAL, regions=region
        )


class PartnershipForm(InputForm, PeriodMixin, forms.ModelForm):
    input_class = PartnershipInput
    period_fields = ("start_date", "end_date")

    class Meta:
        model = Partnership
        fields = PartnershipInput.names()
        widgets = {"start_date": DATE, "end_date": DATE, "partners": forms.CheckboxSelectMultiple}

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Stakeholder.objects.filter(region=region)
        self.fields["axes"].queryset = RoadmapAxis.objects.filter(roadmap__region=region)
        self.fields["needs"].queryset = Need.objects.filter(region=region)
        self.fields["axes"].required = self.fields["needs"].required = False


class StudyForm(InputForm, TranslationsFormMixin, forms.ModelForm):
    input_class = StudyInput

    class Meta:
        model = Study
        formfield_callback = _formfield
        fields = StudyInput.names(exclude=("translations",))  # the mixin's language groups make it

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = regions
        self.fields["regions"].required = True
        self.fields["axes"].queryset = RoadmapAxis.objects.filter(roadmap__region__in=regions)
        self.fields["needs"].queryset = Need.objects.filter(region__in=regions)
        self.fields["axes"].required = self.fields["needs"].required = False

    def to_input(self) -> StudyInput:
        study = super().to_input()
        # No new upload (or "clear" ticked, False): the study keeps its PDF, as before.
        return study if study.file else replace(study, file=UNSET)


class StudySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), to_field_name="code", required=False
    )
