"""Every single-line text field of our models refuses control characters, and every date field
stays within 1900-2200: given to each field at start-up, so a new field cannot be forgotten."""

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from portal.validators import date_in_range, no_control_characters, own_model_fields


def test_every_char_field_of_our_models_refuses_control_characters():
    fields = list(own_model_fields(models.CharField))
    missing = [
        f"{model.__name__}.{field.name}" for model, field in fields if no_control_characters not in field.validators
    ]
    assert len(fields) > 100  # the walk does reach our models (150 fields today)
    assert missing == []


def test_every_date_field_of_our_models_is_bounded():
    fields = list(own_model_fields(models.DateField))
    missing = [f"{model.__name__}.{field.name}" for model, field in fields if date_in_range not in field.validators]
    assert len(fields) > 20
    assert missing == []


@pytest.mark.parametrize("value", ["a\nb", "a\rb", "a\tb", "\x1b[31m", "a\x85b", "a\u2028b", "a\u2029b", "\x7f"])
def test_control_characters_are_refused(value):
    with pytest.raises(ValidationError) as error:
        no_control_characters(value)
    assert error.value.code == "control_characters"


@pytest.mark.parametrize("value", ["Ingénieure agronome", "مهندسة زراعية", "ⵜⴰⵎⴰⵣⵉⵖⵜ", "O'Brien & fils", ""])
def test_ordinary_text_in_any_script_is_accepted(value):
    assert no_control_characters(value) is None
