"""Every filter of every filter set — the pages' and the API's — has a label in the reader's
language: the browsable API and the filter forms show them (the API's schema stays English)."""

import importlib
import re
from pathlib import Path

import django_filters
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
ARABIC = re.compile(r"[\u0600-\u06FF]")


def _filtersets():
    found = {}
    for path in sorted(ROOT.glob("*/filtersets.py")) + sorted(ROOT.glob("*/api/filtersets.py")):
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, django_filters.FilterSet)
                and value.__module__ == module.__name__
                and not name.startswith("_")
                and value._meta.model is not None
            ):
                found[f"{module.__name__}.{name}"] = value
    return found


FILTERSETS = _filtersets()


def test_the_walk_finds_the_filter_sets():
    assert len(FILTERSETS) >= 20


def _untranslated(filterset_class) -> list[str]:
    with translation.override("ar"):
        fields = filterset_class().form.fields
        labels = {name: str(field.label or "") for name, field in fields.items()}
    return [f"{name}: {label!r}" for name, label in labels.items() if not ARABIC.search(label)]


@pytest.mark.parametrize("name", sorted(FILTERSETS))
def test_every_filter_label_is_translated(name, db):
    assert not _untranslated(FILTERSETS[name])


@pytest.mark.parametrize("name", sorted(FILTERSETS))
def test_labels_survive_the_schema_reading_the_class_filters(name, db):
    """drf-spectacular reads each class-level filter's form field to write the schema; django-filter
    kept that field (built with no label, before any model is attached) for every later form."""
    with translation.override("en"):
        for filter_ in FILTERSETS[name].base_filters.values():
            filter_.field  # noqa: B018 - reading it is the point: it builds and caches the field
    assert not _untranslated(FILTERSETS[name])
