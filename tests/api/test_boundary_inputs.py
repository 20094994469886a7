"""Every integer, date and choice input is bounded at validation (issue 14, item 11): a
property test over our models' fields (which model forms and model serializers validate with),
our plain forms' fields, and every operation of the committed API schema.

Boundary values: integers past 64 bits and negative ones, dates in years 1 and 9999, lone
surrogates, control characters, very long strings. None may reach the database or a date
computation unchecked: the answer is a validation error (a 4xx), never a 500.
"""

import importlib
import inspect
import json
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import yaml
from django import forms
from django.apps import apps
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import models
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from partners.enums import Scope
from portal.validators import BIGINT_MAX, own_model_fields

HUGE_INTEGERS = [2**63, -(2**63) - 1, 28624267319921471488, 10**40]
BAD_DATES = [date(1, 1, 1), date(9999, 12, 31), date(1899, 12, 31), date(2201, 1, 1)]
TEXTS = ["\ud800", "a\r\nb", "\x1b[2J", "x" * 5000, "", "-1", "0", "1e309", "NaN", "' OR 1=1 --"]
SCHEMA = yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml").read_text())
BOUNDARY = st.sampled_from(
    [*map(str, HUGE_INTEGERS), "-1", "0", "0001-01-01", "9999-12-31", "10000-01-01", *TEXTS]
) | st.sampled_from([*HUGE_INTEGERS, -1, 0, 1.5e308, True, None, [], {}])


def _model_fields(kind):
    return [(model, field) for model, field in own_model_fields(kind) if not field.auto_created]


@pytest.mark.parametrize(
    ("model", "field"),
    [(m, f) for m, f in _model_fields(models.IntegerField) if not isinstance(f, models.AutoField)],
    ids=lambda value: getattr(value, "name", getattr(value, "__name__", "")),
)
def test_every_integer_field_of_our_models_refuses_values_past_64_bits(model, field):
    for value in HUGE_INTEGERS:
        with pytest.raises(ValidationError):
            field.run_validators(field.to_python(value))


@pytest.mark.parametrize(
    ("model", "field"), _model_fields(models.DateField), ids=lambda value: getattr(value, "name", "")
)
def test_every_date_field_of_our_models_refuses_years_out_of_range(model, field):
    for value in BAD_DATES:
        if isinstance(field, models.DateTimeField):
            value = datetime(value.year, value.month, value.day)
        with pytest.raises(ValidationError):
            field.run_validators(value)


@pytest.mark.parametrize(
    ("model", "field"),
    [(m, f) for m, f in _model_fields(models.CharField) if f.choices and f.editable],  # the rest is system state
    ids=lambda value: getattr(value, "name", ""),
)
def test_every_choice_field_of_our_models_refuses_what_is_not_a_choice(model, field):
    for value in TEXTS:
        if value == "" and field.blank:
            continue
        with pytest.raises(ValidationError):
            field.clean(value, None)


def _our_plain_form_fields():
    for app_config in apps.get_app_configs():
        if Path(app_config.path).parent != Path(django_settings.BASE_DIR):
            continue
        try:
            module = importlib.import_module(f"{app_config.name}.forms")
        except ModuleNotFoundError:
            continue
        for form in vars(module).values():
            if inspect.isclass(form) and issubclass(form, forms.BaseForm) and not issubclass(form, forms.ModelForm):
                for name, field in form.base_fields.items():
                    yield f"{form.__name__}.{name}", field


@pytest.mark.parametrize(
    ("name", "field"), [(n, f) for n, f in _our_plain_form_fields() if isinstance(f, forms.IntegerField)]
)
def test_every_integer_field_of_our_plain_forms_is_bounded(name, field):
    # Model forms are bounded by their model fields (above); plain forms by their own limits.
    assert field.min_value is not None and field.max_value is not None, name
    assert -BIGINT_MAX <= field.min_value <= field.max_value <= BIGINT_MAX
    for value in HUGE_INTEGERS:
        with pytest.raises(ValidationError):
            field.clean(str(value))


@pytest.mark.parametrize(
    ("name", "field"),
    [(n, f) for n, f in _our_plain_form_fields() if type(f) in (forms.ChoiceField, forms.TypedChoiceField)],
)
def test_every_choice_field_of_our_plain_forms_refuses_what_is_not_a_choice(name, field):
    for value in TEXTS:
        if value == "" or value in {str(key) for key, _label in field.choices}:
            continue
        with pytest.raises(ValidationError):
            field.clean(value)


def _operations():
    for path, item in SCHEMA["paths"].items():
        for method, operation in item.items():
            yield pytest.param(path, method, operation, id=f"{method.upper()} {path}")


def _body_properties(operation) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref", "")
    component = SCHEMA["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}) if ref else {}
    return sorted(component.get("properties", {}))


@pytest.fixture
def api_client(make_token, territories, taxonomy, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "100000/min"}}
    settings.JUSUR_WEBHOOKS_ALLOW_PRIVATE = True
    _token, plaintext = make_token(list(Scope.values))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "method", "operation"), list(_operations()))
def test_boundary_values_in_any_api_input_are_never_a_server_error(api_client, path, method, operation):
    parameters = [p for p in operation.get("parameters", []) if p["in"] in ("path", "query")]
    body = _body_properties(operation)

    @given(
        values=st.fixed_dictionaries(
            {}, optional={p["name"]: BOUNDARY for p in parameters} | dict.fromkeys(body, BOUNDARY)
        )
    )
    @hypothesis_settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(values):
        url = path
        for parameter in parameters:
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", _quote(values.get(parameter["name"], 1)))
        query = {p["name"]: values[p["name"]] for p in parameters if p["in"] == "query" and p["name"] in values}
        query = {name: value if isinstance(value, str) else json.dumps(value) for name, value in query.items()}
        payload = json.dumps({k: values[k] for k in body if k in values}, ensure_ascii=True)
        response = api_client.generic(
            method.upper(), url, payload, content_type="application/json", QUERY_STRING=_encode(query)
        )
        assert response.status_code < 500, (method, url, query, payload, response.content[:300])
        if response.status_code >= 400 and response.status_code != 405:
            assert set(response.json()) == {"error"}

    check()


def _quote(value) -> str:
    return quote(str(value), safe="", encoding="utf-8", errors="surrogatepass")


def _encode(query: dict) -> str:
    # A lone surrogate in a query string arrives as its (invalid) UTF-8 bytes.
    return urlencode(query, encoding="utf-8", errors="surrogatepass")
