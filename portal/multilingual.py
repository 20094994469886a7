"""Content written by people, in the language it was written in, and its translations.

A multilingual model keeps its author's text in its ordinary columns (`title`, `description`…)
with the language recorded beside it, and the other languages in one JSON column:

    translations = {"en": {"title": "…", "description": "…"}, "ar": {"title": "…"}}

(each entry may also carry `"machine": true` when it came from the translation hook). Readers get
their own language when someone wrote it, else the original, marked with its language. Why a JSON
column rather than django-modeltranslation or a table: docs/decisions/0016-*.md.

A model opts in with two class attributes, read here, by the forms and by the template tag:

    TRANSLATED_FIELDS = ("title", "description")
    TEXT_LANGUAGE_FIELD = "text_language"
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .i18n import active_language, current_language

MACHINE = "machine"


def portal_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    """The portal language's name in the active language (empty for other languages)."""
    return str(dict(settings.LANGUAGES).get(code, ""))


@dataclass(frozen=True)
class ShownText:
    """One field of a piece of content as a reader sees it."""

    text: str
    language: str  # the language the text is in; "" when nobody recorded it
    original: bool  # the author's own words (False: a translation)
    machine: bool = False  # a translation made by the translation hook, not by a person

    def __str__(self) -> str:
        return self.text


def text_language(obj) -> str:
    name = getattr(obj, "TEXT_LANGUAGE_FIELD", None)
    if name:
        return getattr(obj, name) or ""
    return getattr(obj, "text_language", None) or getattr(obj, "language", None) or ""


def shown_text(obj, field: str, reader: str | None = None) -> ShownText:
    """`obj.field` in the reader's language when it exists, else as its author wrote it."""
    reader = reader or current_language()
    original_language = text_language(obj)
    original = getattr(obj, field) or ""
    if reader != original_language and field in getattr(obj, "TRANSLATED_FIELDS", ()):
        entry = (getattr(obj, "translations", None) or {}).get(reader) or {}
        if entry.get(field):
            return ShownText(entry[field], reader, original=False, machine=bool(entry.get(MACHINE)))
    return ShownText(str(original), original_language, original=True)


def translation_languages(obj) -> list[str]:
    """The languages `obj` can be read in, its own first."""
    own = text_language(obj)
    others = [code for code, entry in (getattr(obj, "translations", None) or {}).items() if entry and code != own]
    return [own, *sorted(others)]


def validate_translations(value) -> None:
    """The shape of a `translations` column: {portal language: {field: text, "machine": bool}}."""
    if not isinstance(value, dict):
        raise ValidationError(_("Translations must be an object keyed by language."), code="invalid")
    for language, entry in value.items():
        if language not in portal_languages():
            raise ValidationError(
                _("“%(language)s” is not one of the portal's languages."), code="invalid", params={"language": language}
            )
        if not isinstance(entry, dict) or not all(
            isinstance(text, str) if key != MACHINE else isinstance(text, bool) for key, text in entry.items()
        ):
            raise ValidationError(_("Each translation must map fields to texts."), code="invalid")


def clean_translations(obj) -> None:
    """Model-level rules `full_clean` cannot express on the JSON alone: known fields only, the
    same maximum lengths as the original columns, no entry in the text's own language, no empty
    entries (so "which languages exist" is just the keys)."""
    fields = {name: obj._meta.get_field(name) for name in obj.TRANSLATED_FIELDS}
    cleaned: dict[str, dict] = {}
    errors: list[ValidationError] = []
    for language, entry in (obj.translations or {}).items():
        if language == text_language(obj):
            continue
        kept = {}
        for key, text in entry.items():
            if key == MACHINE:
                continue
            if key not in fields:
                errors.append(ValidationError(_("“%(field)s” cannot be translated."), params={"field": key}))
                continue
            text = text.strip()
            limit = fields[key].max_length
            if limit and len(text) > limit:
                errors.append(
                    ValidationError(
                        _("The %(language)s translation of “%(field)s” is longer than %(limit)d characters."),
                        params={"language": language_name(language), "field": fields[key].verbose_name, "limit": limit},
                    )
                )
            for validator in _own_validators(fields[key]):
                try:
                    validator(text)
                except ValidationError as exc:
                    errors.extend(exc.error_list)
            if text:
                kept[key] = text
        if kept:
            if entry.get(MACHINE):
                kept[MACHINE] = True
            cleaned[language] = kept
    if errors:
        raise ValidationError({"translations": errors})
    obj.translations = cleaned


def translations_field():
    """The column every multilingual model adds (one definition, so the rules stay alike)."""
    from django.db import models

    return models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        validators=[validate_translations],
        help_text=_("The title and description in the portal's other languages."),
    )


def _own_validators(model_field) -> list:
    """The column's validators except its length (checked with the translation's own message)."""
    return [v for v in model_field.validators if not isinstance(v, MaxLengthValidator)]


# --- Forms ---------------------------------------------------------------------------------------


class TranslationsFormMixin:
    """For the ModelForm of a multilingual model: the text's language comes first (preset to the
    language the author is using the site in), then the text, then one optional group of fields
    per other portal language. The groups reach `cleaned_data["translations"]`, ready for the
    model's service; the per-language fields themselves are removed from it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        language_field = model.TEXT_LANGUAGE_FIELD
        if not self.instance.pk and not self.is_bound:
            self.initial[language_field] = active_language()
        existing = self.instance.translations or {}
        translated = {}
        for code in portal_languages():
            for name in model.TRANSLATED_FIELDS:
                model_field = model._meta.get_field(name)
                widget = forms.Textarea(attrs={"rows": 4}) if model_field.get_internal_type() == "TextField" else None
                key = self.translation_key(code, name)
                translated[key] = forms.CharField(
                    label=_("%(field)s (%(language)s)")
                    % {"field": model_field.verbose_name.capitalize(), "language": language_name(code)},
                    required=False,
                    max_length=model_field.max_length,
                    validators=_own_validators(model_field),
                    widget=widget,
                    initial=(existing.get(code) or {}).get(name, ""),
                )
                translated[key].widget.attrs.update({"lang": code, "dir": "auto"})
                translated[key].translation_language = code
        # Not required: a form posted without it (an older client) keeps the text's language, or
        # for a new text takes the author's.
        self.fields[language_field].required = False
        # The language of the text first, then the rest in their own order, then the translations.
        ordered = {language_field: self.fields.pop(language_field)}
        ordered.update(self.fields)
        ordered.update(translated)
        self.fields = ordered

    @staticmethod
    def translation_key(language: str, field: str) -> str:
        return f"translation_{language}_{field}"

    def translation_groups(self) -> list[dict]:
        """One group per portal language for the template: code, name, bound fields, and whether
        it starts open (something typed in it, or an error)."""
        model = self._meta.model
        groups = []
        for code in portal_languages():
            fields = [self[self.translation_key(code, name)] for name in model.TRANSLATED_FIELDS]
            opened = any(field.errors or field.value() for field in fields)
            groups.append({"code": code, "name": language_name(code), "fields": fields, "open": opened})
        return groups

    @property
    def language_field_name(self) -> str:
        return self.add_prefix(self._meta.model.TEXT_LANGUAGE_FIELD)

    def main_fields(self):
        return [field for field in self if not hasattr(field.field, "translation_language")]

    def clean(self):
        cleaned = super().clean()
        model = self._meta.model
        if not cleaned.get(model.TEXT_LANGUAGE_FIELD) and model.TEXT_LANGUAGE_FIELD not in self.errors:
            cleaned[model.TEXT_LANGUAGE_FIELD] = text_language(self.instance) if self.instance.pk else active_language()
        own = cleaned.get(model.TEXT_LANGUAGE_FIELD)
        previous = self.instance.translations or {}
        translations = {}
        for code in portal_languages():
            entry = {name: cleaned.pop(self.translation_key(code, name), "") or "" for name in model.TRANSLATED_FIELDS}
            entry = {name: text.strip() for name, text in entry.items() if text.strip()}
            if code == own or not entry:
                continue
            # A person who edits a machine translation makes it theirs.
            old = previous.get(code) or {}
            if old.get(MACHINE) and all(old.get(name, "") == entry.get(name, "") for name in model.TRANSLATED_FIELDS):
                entry[MACHINE] = True
            translations[code] = entry
        cleaned["translations"] = translations
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if "translations" in self.cleaned_data:
            self.instance.translations = self.cleaned_data["translations"]
