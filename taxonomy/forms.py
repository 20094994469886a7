from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.validators import BIGINT_MAX

from .models import Skill
from .selectors import skill_search


class SkillPickerForm(forms.Form):
    """A skill picked by its name in any language (ESCO holds 13,000+: too many for a list).

    The autocomplete (static/js/forms.js, taxonomy/_skill_picker.html) fills the hidden id;
    without JavaScript, or when a name is typed but not picked, the best match of the search is
    taken. The chosen skill is `cleaned_data["skill_obj"]` (None for an empty row).
    """

    concept_type: str | None = None  # e.g. ConceptType.SKILL: skill groups are then refused

    skill = forms.IntegerField(
        required=False, min_value=1, max_value=BIGINT_MAX, widget=forms.HiddenInput(attrs={"data-skill-id": ""})
    )
    query = forms.CharField(
        label=_("Skill"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"data-skill-autocomplete": "", "autocomplete": "off"}),
    )

    def clean(self):
        cleaned = super().clean()
        skill_id, query = cleaned.get("skill"), (cleaned.get("query") or "").strip()
        if skill_id is not None:
            skills = Skill.objects.all()
            if self.concept_type:
                skills = skills.filter(concept_type=self.concept_type)
            skill = skills.filter(pk=skill_id).first()
            if skill is None:
                raise ValidationError(_("Unknown skill: choose one from the suggestions."), code="unknown_skill")
        elif query:
            found = skill_search(query=query, limit=1, concept_type=self.concept_type)
            if not found:
                raise ValidationError(_("No skill matches “%(query)s”."), code="no_match", params={"query": query})
            skill = found[0]
        else:
            skill = None
        cleaned["skill_obj"] = skill
        return cleaned

    @staticmethod
    def initial_for(skill: Skill) -> dict:
        """A row's initial values for an already chosen skill."""
        return {"skill": skill.pk, "query": skill.label}
