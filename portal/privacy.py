"""The personal-data registry: every model that holds data about a person says so here.

An app registers its models (from its AppConfig.ready) with the path from the model to the
User, how to export a row and how to erase it. The privacy centre then builds the member's
export (GDPR art. 15/20) and erasure (art. 17) from the registry alone, and a test fails when
a model with a foreign key to the User (or to an ExpertProfile) is not registered — so a new
app cannot forget its personal data.

    register_personal_data(Match, user_path="profile__user", erase="delete")
    register_personal_data(Project, user_path=("investor", "assigned_officer"), erase="anonymise",
                           anonymise={"investor": None, "assigned_officer": None})

`user_path` is one lookup path to the User, or a tuple of them (a row is the person's if any
path leads to them); a test checks that every foreign key to the User or to an ExpertProfile
is the first step of one of them. `erase="delete"` deletes the rows; `erase="anonymise"` keeps
them (statistical traces) with the given fields overwritten (`anonymise`: {field: value}, or
a callable(queryset, user) returning the number of rows it changed). A field of `anonymise`
that is itself one of the user paths is overwritten only where it points to the person: erasing
the official who revoked a token blanks `revoked_by`, not the `created_by` of a colleague. A handler may raise
django.core.exceptions.ValidationError to refuse the erasure (e.g. an official who still owns
open needs): the whole erasure is rolled back and the message shown to the person.
The User itself is erased last (deleted), after every other handler ran.

Rows that name a person without a foreign key (django-axes' login records keep the username
as it was typed) are registered with `lookup=callable(user) -> queryset` instead of a
`user_path`: the lookup must find them whatever the letter case (see `_email_rows`).
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from django.apps import apps
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from .models import Notification

EraseMode = Literal["delete", "anonymise"]


@dataclass
class PersonalDataEntry:
    model: type[models.Model]
    user_paths: tuple[str, ...]
    export: Callable[[models.Model], dict] | None = None
    erase: EraseMode = "delete"
    anonymise: dict | Callable | None = None
    # Erasure runs in ascending order; rows that PROTECT others go later.
    order: int = 100
    files: list[str] = field(default_factory=list)
    lookup: Callable | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def is_user_model(self) -> bool:
        return self.user_paths == ("",)

    def queryset_for(self, user) -> models.QuerySet:
        if self.lookup is not None:
            return self.lookup(user)
        if self.is_user_model:
            return self.model._default_manager.filter(pk=user.pk)
        condition = models.Q()
        for path in self.user_paths:
            condition |= models.Q(**{path: user})
        return self.model._default_manager.filter(condition).distinct()


_REGISTRY: dict[str, PersonalDataEntry] = {}


def register_personal_data(
    model: type[models.Model],
    *,
    user_path: str | tuple[str, ...] = (),
    export: Callable[[models.Model], dict] | None = None,
    erase: EraseMode = "delete",
    anonymise: dict | Callable | None = None,
    order: int = 100,
    lookup: Callable | None = None,
) -> None:
    """Declare that `model` holds personal data of the user reached by `user_path`."""
    if erase not in ("delete", "anonymise"):
        raise ValueError(f"erase must be 'delete' or 'anonymise', not {erase!r}")
    if erase == "anonymise" and anonymise is None:
        raise ValueError("erase='anonymise' needs `anonymise` (fields to overwrite, or a callable).")
    if (lookup is None) == (user_path == ()):
        raise ValueError("give either a user_path or a lookup")
    files = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    _REGISTRY[model._meta.label] = PersonalDataEntry(
        model=model,
        user_paths=(user_path,) if isinstance(user_path, str) else tuple(user_path),
        export=export,
        erase=erase,
        anonymise=anonymise,
        order=order,
        files=files,
        lookup=lookup,
    )


def registered_models() -> dict[str, PersonalDataEntry]:
    _register_core()
    return dict(_REGISTRY)


def _json_value(value):
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if hasattr(value, "code") and not isinstance(value, models.Model):  # django-countries Country
        return value.code
    return value


# Never exported, even to their owner: secrets and hashes.
SECRET_FIELDS = {"password", "digest", "secret"}  # password hash, API token digest, webhook secret


def row_export(obj: models.Model) -> dict:
    """Every concrete field (foreign keys as ids) and every many-to-many as a list of ids."""
    data = {}
    for f in obj._meta.concrete_fields:
        if f.name in SECRET_FIELDS:
            continue
        data[f.attname] = _json_value(getattr(obj, f.attname if f.is_relation else f.name))
    for f in obj._meta.many_to_many:
        if f.remote_field.through._meta.auto_created:
            data[f.name] = sorted(getattr(obj, f.name).values_list("pk", flat=True))
    return data


def personal_data_export(user) -> dict:
    """All data about `user`: {model label: [rows]} plus the list of files (storage names)."""
    result: dict = {"models": {}, "files": []}
    for label, entry in sorted(registered_models().items()):
        rows = []
        for obj in entry.queryset_for(user).order_by("pk"):
            rows.append(entry.export(obj) if entry.export else row_export(obj))
            for name in entry.files:
                file = getattr(obj, name)
                if file:
                    result["files"].append({"model": label, "field": name, "name": file.name, "storage": file})
        result["models"][label] = rows
    return result


def personal_data_erase(user) -> dict[str, int]:
    """Erase everything about `user`: registered rows deleted or anonymised, files removed
    from storage after commit, the User deleted. Returns {model label: rows affected}."""
    entries = sorted(registered_models().values(), key=lambda e: (e.order, e.label))
    counts: dict[str, int] = {}
    files = []
    with transaction.atomic():
        for entry in entries:
            if entry.is_user_model:
                continue  # the User itself, last
            qs = entry.queryset_for(user)
            if entry.erase == "delete":
                # delete() refuses a distinct() queryset: go through the primary keys.
                qs = entry.model._default_manager.filter(pk__in=list(qs.values_list("pk", flat=True)))
            for obj in qs.only("pk", *entry.files) if entry.files else ():
                for name in entry.files:
                    file = getattr(obj, name)
                    if file:
                        files.append((file.storage, file.name))
            if entry.erase == "delete":
                counts[entry.label] = qs.delete()[1].get(entry.label, 0)
            elif callable(entry.anonymise):
                counts[entry.label] = entry.anonymise(qs, user) or 0
            else:
                counts[entry.label] = _anonymise_fields(entry, qs, user)
        for entry in entries:
            if entry.is_user_model:
                counts[entry.label] = entry.queryset_for(user).delete()[1].get(entry.label, 0)

        def remove_files():
            for storage, name in files:
                storage.delete(name)

        transaction.on_commit(remove_files)
    return counts


def _anonymise_fields(entry: PersonalDataEntry, queryset, user) -> int:
    """Overwrite `entry.anonymise` on the person's rows; a field that is one of the user paths
    only on the rows where it leads to this person. Returns the number of rows changed."""
    manager = entry.model._default_manager
    changed: set = set()
    for name, value in entry.anonymise.items():
        rows = manager.filter(**{name: user}) if name in entry.user_paths else queryset
        pks = list(rows.values_list("pk", flat=True))
        manager.filter(pk__in=pks).update(**{name: value})
        changed.update(pks)
    return len(changed)


_core_done = False


def _register_core() -> None:
    """The portal's own models (this module lives in portal/, whose AppConfig it leaves alone)."""
    global _core_done
    if _core_done:
        return
    _core_done = True
    from django.contrib.auth import get_user_model

    register_personal_data(Notification, user_path="user", erase="delete")
    if apps.is_installed("axes"):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            register_personal_data(model, lookup=_email_rows(model), erase="delete", order=900)
    # Second-factor devices: the export says which exist and when used, never a key or a code.
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for device_model in (TOTPDevice, StaticDevice):
        register_personal_data(device_model, user_path="user", export=_device_export, erase="delete")
    register_personal_data(get_user_model(), user_path="", export=_user_export, erase="delete", order=1000)


def _email_rows(model):
    """Login records name the person by the address typed, in any letter case."""

    def lookup(user):
        return model._default_manager.filter(username__iexact=user.email)

    return lookup


def _device_export(device) -> dict:
    return {
        "kind": device._meta.model_name,
        "name": device.name,
        "confirmed": device.confirmed,
        "created_at": _json_value(device.created_at),
        "last_used_at": _json_value(device.last_used_at),
    }


def _user_export(user) -> dict:
    data = row_export(user)
    data.pop("password", None)
    return data
