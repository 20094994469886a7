"""Every error message of every form speaks the page's language.

The forms of every app are collected (a new form is walked without being listed here), fed
several kinds of invalid data, and their messages compared across ar, fr and en:
- in Arabic, every message holds Arabic letters (Django's own Arabic catalogue lacks some of
  Django 5.2's strings; a missing one falls back to French, the project's LANGUAGE_CODE);
- in French, no message is the English one (which is what an untranslated string shows);
- in English, no message holds Arabic letters or is the French one.
"""

import importlib
import inspect
import re

import pytest
from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import translation

from portal.models import User
from regions.models import Region
from tests.diaspora.factories import ExpertProfileFactory
from tests.projects.factories import ProjectFactory
from tests.regions.factories import RoadmapFactory

APPS = ("portal", "regions", "diaspora", "projects", "matching", "partners", "dashboards", "taxonomy")
# Django's forms our URLs serve as they are (password reset: the new password, with the validators).
DJANGO_FORMS = (SetPasswordForm,)
ARABIC = re.compile(r"[\u0600-\u06FF]")
# Messages that are rightly the same in French and English (none today: add one with its reason).
SAME_IN_FR_AND_EN: set[str] = set()


def _form_classes() -> list[type]:
    found = set(DJANGO_FORMS)
    for app in APPS:
        for module_name in (f"{app}.forms", f"{app}.admin"):
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:
                continue
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                    found.add(cls)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


FORMS = _form_classes()


@pytest.fixture
def world(territories, taxonomy):
    region = Region.objects.get(code="05")
    user = User.objects.create_user(email="walker@example.org", password="a-long-enough-passphrase")
    profile = ExpertProfileFactory(user=User.objects.create_user(email="expert@example.org", password="x" * 12))
    return {
        "region": region,
        "regions": Region.objects.all(),
        "roadmap": RoadmapFactory(region=region),
        "user": user,
        "profile": profile,
        "project": ProjectFactory(),
        "officers": User.objects.all(),
        "options": {"axes": [], "sectors": [], "provinces": []},
        "request": RequestFactory().post("/"),
    }


def _constructor_parameters(cls) -> dict[str, inspect.Parameter]:
    """The named parameters of `cls`'s constructors down its MRO (a subclass's `*args, **kwargs`
    hides its parent's `request` or `user`); the most derived definition wins."""
    parameters: dict[str, inspect.Parameter] = {}
    for klass in cls.__mro__:
        if klass in (forms.BaseForm, forms.BaseModelForm) or "__init__" not in vars(klass):
            continue
        for name, parameter in inspect.signature(klass.__init__).parameters.items():
            if parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD) and name != "self":
                parameters.setdefault(name, parameter)
    return parameters


def _build(cls, data, files, world):
    """An instance of `cls` bound to `data`, its required constructor arguments taken from `world`."""
    args, kwargs = [], {}
    for name, parameter in _constructor_parameters(cls).items():
        if name in ("data", "files", "instance", "initial", "prefix", "auto_id"):
            continue
        if parameter.default is not parameter.empty and name not in world:
            continue
        if name not in world:
            pytest.fail(f"{cls.__qualname__}: no value for the constructor argument {name!r}; add it to `world`")
        if parameter.kind == parameter.POSITIONAL_OR_KEYWORD and parameter.default is parameter.empty:
            args.append(world[name])
        else:
            kwargs[name] = world[name]
    return cls(*args, data=data, files=files, **kwargs)


def _bad_value(field: forms.Field, variant: str):
    """A value `field` refuses: of the wrong kind, or out of its bounds."""
    if isinstance(field, forms.FileField):
        return SimpleUploadedFile("x.exe", b"MZ\x90\x00not a document", content_type="application/octet-stream")
    if isinstance(field, forms.BooleanField):
        return ""
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return ["999999999"]
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return "999999999"
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return "abc" if variant == "kind" else str(-(10**25))
    if isinstance(field, forms.DateTimeField):
        return "not a moment" if variant == "kind" else "0001-01-01T00:00"
    if isinstance(field, forms.DateField):
        return "31/02/2026" if variant == "kind" else "0001-01-01"
    if isinstance(field, forms.EmailField):
        return "not an address" if variant == "kind" else "a" * 300 + "@example.org"
    if isinstance(field, forms.URLField):
        return "ht!tp://nowhere" if variant == "kind" else "https://" + "a" * 300 + ".org"
    if isinstance(field.widget, forms.PasswordInput):
        return "abc" if variant == "kind" else "12345678"
    if isinstance(field, forms.CharField):
        return "line\x01break" if variant == "kind" else "x" * ((field.max_length or 100_000) + 1)
    return "\x01"


def _payloads(form) -> dict[str, tuple[dict, dict]]:
    payloads = {"empty": ({}, {})}
    for variant in ("kind", "bounds"):
        data, files = {}, {}
        for name, field in form.fields.items():
            value = _bad_value(field, variant)
            key = form.add_prefix(name)
            if isinstance(value, SimpleUploadedFile):
                files[key] = value
            elif isinstance(value, list):
                data[key] = value
            else:
                data[key] = value
        payloads[variant] = (data, files)
    return payloads


def _messages(cls, data, files, world, language) -> list[tuple[str, int, str]]:
    with translation.override(language):
        for upload in files.values():
            upload.seek(0)
        form = _build(cls, data.copy(), dict(files), world)
        form.is_valid()
        return [(field, i, str(message)) for field, errors in form.errors.items() for i, message in enumerate(errors)]


def test_every_app_form_is_walked():
    names = {cls.__name__ for cls in FORMS}

    # A few from each app and Django's own: the collection found the apps' modules.
    assert {"SignUpForm", "NeedForm", "OpportunityForm", "InviteForm", "APITokenForm", "SetPasswordForm"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("cls", FORMS, ids=lambda cls: cls.__qualname__)
def test_form_errors_are_in_the_page_language(cls, world):
    probe = _build(cls, None, None, world)
    wrong = []
    for payload, (data, files) in _payloads(probe).items():
        by_language = {language: _messages(cls, data, files, world, language) for language in ("ar", "fr", "en")}
        assert len(by_language["ar"]) == len(by_language["fr"]) == len(by_language["en"])
        for (field, i, ar), (_f, _i, fr), (_f2, _i2, en) in zip(*by_language.values(), strict=True):
            where = f"{payload}:{field}[{i}]"
            if not ARABIC.search(ar):
                wrong.append(f"ar {where}: {ar}")
            if fr == en and fr not in SAME_IN_FR_AND_EN:
                wrong.append(f"fr/en {where}: the same in both: {fr}")
            if ARABIC.search(en):
                wrong.append(f"en {where}: {en}")

    assert wrong == []


@pytest.mark.django_db
def test_arabic_sign_up_password_errors_are_arabic(world):
    """The report that started this: the password validators' messages in French on /ar/."""
    form = SetPasswordForm(world["user"], data={"new_password1": "abc", "new_password2": "abc"})

    with translation.override("ar"):
        form.is_valid()
        messages = [str(m) for m in form.errors["new_password2"]]

    assert messages and all(ARABIC.search(m) for m in messages), messages
