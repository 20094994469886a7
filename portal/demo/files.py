"""The demo's data files: each app's `demo/*.yaml`, read with `yaml.safe_load` and checked
against a small schema before anything is written, so that a mistake in a file stops
`demo_seed` with the file and the place of the mistake instead of half-way through the load.

A schema is plain Python: a type (`str`, `int`, `bool`, `date`…), `TEXT` (a text given in every
portal language: a mapping with exactly `ar`, `fr` and `en`), `Choice(...)`, `Nullable(x)`,
`Row(x, y, …)` (a fixed-length list), `[x]` (a list of x), `MapOf(key, value)`, or a dict of
field schemas (every field required unless wrapped in `Optional`, no unknown field).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

LANGUAGES = ("ar", "fr", "en")


class DemoDataError(ValueError):
    """A demo data file does not have the expected shape (the message says where)."""


class _Text:
    def __repr__(self) -> str:
        return "TEXT"


TEXT = _Text()


@dataclass(frozen=True)
class Optional:
    schema: object


@dataclass(frozen=True)
class Nullable:
    schema: object


@dataclass(frozen=True)
class Choice:
    values: tuple

    def __init__(self, *values):
        object.__setattr__(self, "values", tuple(values))


@dataclass(frozen=True)
class Row:
    schemas: tuple

    def __init__(self, *schemas):
        object.__setattr__(self, "schemas", tuple(schemas))


@dataclass(frozen=True)
class MapOf:
    key: object
    value: object


def _type_name(value) -> str:
    return "nothing" if value is None else type(value).__name__


def check(value, schema, where: str) -> None:
    """Raise DemoDataError unless `value` has the shape `schema` describes."""
    if schema is TEXT:
        if not isinstance(value, dict) or set(value) != set(LANGUAGES):
            have = ", ".join(sorted(value)) if isinstance(value, dict) else _type_name(value)
            raise DemoDataError(f"{where}: expected a text in {', '.join(LANGUAGES)} (got {have})")
        for language in LANGUAGES:
            if not isinstance(value[language], str) or not value[language].strip():
                raise DemoDataError(f"{where}.{language}: the {language} text is empty")
    elif isinstance(schema, Nullable):
        if value is not None:
            check(value, schema.schema, where)
    elif isinstance(schema, Choice):
        if value not in schema.values:
            raise DemoDataError(f"{where}: {value!r} is not one of {', '.join(map(str, schema.values))}")
    elif isinstance(schema, Row):
        if not isinstance(value, list) or len(value) != len(schema.schemas):
            raise DemoDataError(f"{where}: expected a list of {len(schema.schemas)} items")
        for index, (item, item_schema) in enumerate(zip(value, schema.schemas, strict=True)):
            check(item, item_schema, f"{where}[{index}]")
    elif isinstance(schema, list):
        if not isinstance(value, list):
            raise DemoDataError(f"{where}: expected a list (got {_type_name(value)})")
        for index, item in enumerate(value):
            check(item, schema[0], f"{where}[{index}]")
    elif isinstance(schema, MapOf):
        if not isinstance(value, dict):
            raise DemoDataError(f"{where}: expected a mapping (got {_type_name(value)})")
        for key, item in value.items():
            check(key, schema.key, f"{where} (key {key!r})")
            check(item, schema.value, f"{where}.{key}")
    elif isinstance(schema, dict):
        if not isinstance(value, dict):
            raise DemoDataError(f"{where}: expected a mapping (got {_type_name(value)})")
        unknown = sorted(set(value) - set(schema), key=str)
        if unknown:
            raise DemoDataError(f"{where}: unknown field {unknown[0]!r}")
        for name, field in schema.items():
            if name not in value:
                if isinstance(field, Optional):
                    continue
                raise DemoDataError(f"{where}: missing field {name!r}")
            check(value[name], field.schema if isinstance(field, Optional) else field, f"{where}.{name}")
    elif isinstance(schema, type):
        # YAML reads 2024-01-01 as a date; a bool is not an int here; an int is a fine float.
        ok = isinstance(value, schema) and not (schema is int and isinstance(value, bool))
        ok = ok or (schema is float and isinstance(value, int) and not isinstance(value, bool))
        if schema is dt.date and isinstance(value, dt.datetime):
            ok = False
        if not ok:
            raise DemoDataError(f"{where}: expected {schema.__name__} (got {_type_name(value)} {value!r})")
    else:  # pragma: no cover - a mistake in a schema, not in a file
        raise TypeError(f"unknown schema {schema!r}")


def load(path: Path, schema) -> dict | list:
    """The data of one file, checked against `schema`."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DemoDataError(f"{path.name}: not valid YAML: {exc}") from exc
    check(data, schema, path.name)
    return data


def multilingual(language: str, **texts: dict) -> dict:
    """Fields of a multilingual model (portal/multilingual.py) from texts given in every language:
    the `language` version in the ordinary columns, the others in `translations`."""
    data = {name: text[language] for name, text in texts.items()}
    data["translations"] = {
        other: {name: text[other] for name, text in texts.items()} for other in LANGUAGES if other != language
    }
    return data
