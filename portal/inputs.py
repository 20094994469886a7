"""Typed inputs of the services: one frozen dataclass per aggregate, whose fields ARE the
fields a person (through a form) or a client (through the API) may edit.

That dataclass is the one list of editable fields: the form builds its fields from it
(`Meta.fields = NeedInput.names(...)`) and hands the service an instance (`InputForm.to_input()`);
the service writes what the instance carries and nothing else. A field left `UNSET` is not
touched, so the same type serves the form that edits every field and the call that changes one.
A plain mapping is still accepted by the services (demo data, older callers): it is read
through the same dataclass, so an unknown name is refused (TypeError) as before.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, ClassVar, Self


class _Unset:
    """The value of a field the caller did not give (None is a real value: "clear it")."""

    _instance: _Unset | None = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


# Typed Any so that a field reads `title: str = UNSET` with its real type.
UNSET: Any = _Unset()


@dataclasses.dataclass(frozen=True)
class ServiceInput:
    """Base of the typed inputs; subclasses are frozen dataclasses whose fields default to UNSET."""

    @classmethod
    def names(cls, *, exclude: tuple[str, ...] = ()) -> list[str]:
        """The editable fields, in declaration order (the order the forms show them in)."""
        names = [f.name for f in dataclasses.fields(cls)]
        unknown = set(exclude) - set(names)
        if unknown:
            raise TypeError(f"{cls.__name__} has no fields {sorted(unknown)}")
        return [name for name in names if name not in exclude]

    @classmethod
    def coerce(cls, data: ServiceInput | Mapping[str, Any], **also: Any) -> Self:
        """`data` as this input: itself, another input whose fields are all ours (a form
        step's), or a mapping of field names; plus the fields in `also` that are not UNSET (a
        service's older keyword arguments, e.g. `stakeholders=`). Unknown names raise TypeError."""
        values = data.changes() if isinstance(data, ServiceInput) else dict(data)
        also = {name: value for name, value in also.items() if value is not UNSET}
        if set(values) & set(also):
            raise TypeError(f"given twice: {sorted(set(values) & set(also))}")
        if isinstance(data, cls) and not also:
            return data
        values |= also
        unknown = set(values) - set(cls.names())
        if unknown:
            raise TypeError(f"unexpected fields: {sorted(unknown)}")
        return cls(**values)

    @classmethod
    def from_cleaned(cls, cleaned: Mapping[str, Any]) -> Self:
        """The input from a form's cleaned_data (the form's other fields are not ours)."""
        names = set(cls.names())
        return cls(**{name: value for name, value in cleaned.items() if name in names})

    @classmethod
    def from_instance(cls, obj) -> Self:
        """Every field as `obj` has it (e.g. to copy a row into a new one)."""
        return cls(**{name: getattr(obj, name) for name in cls.names()})

    def changes(self) -> dict[str, Any]:
        """The fields given, by name (the UNSET ones are left out)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if getattr(self, f.name) is not UNSET}


class InputForm:
    """Mixin of a form whose fields are (some of) `input_class`'s: it hands the service an input."""

    input_class: ClassVar[type[ServiceInput]]

    def to_input(self) -> ServiceInput:
        return self.input_class.from_cleaned(self.cleaned_data)
