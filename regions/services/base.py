"""What every write of the regions app shares: the actor's region scope, the whitelist of
fields, and model validation before anything is written."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.permissions import can_act_in_region, is_national, is_official


def require_scope(by, region_id: int) -> None:
    if by is None or not (is_official(by) or is_national(by)) or not can_act_in_region(by, region_id):
        raise PermissionDenied(_("You cannot act for this region."))


def assign(instance, values: dict) -> None:
    """Set the given fields: an input's `changes()`, whose names its dataclass already checked."""
    for name, value in values.items():
        setattr(instance, name, value)


def full_clean(instance, exclude: list[str] | None = None) -> None:
    """Model validation (max_length, validators, choices, check constraints) before any write.

    Django enforces a TextField's max_length only in forms; the services are also reached
    from the API, so it is checked here too (a 5 MB description is refused, not stored).
    """
    errors: dict[str, list] = {}
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.TextField) and field.max_length:
            value = getattr(instance, field.attname) or ""
            if len(value) > field.max_length:
                errors[field.name] = [
                    _("Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).")
                    % {"limit_value": field.max_length, "show_value": len(value)}
                ]
    try:
        instance.full_clean(exclude=exclude, validate_unique=True, validate_constraints=True)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)


def same_region(errors: dict, field: str, obj, region_id: int, message) -> None:
    if obj is not None and obj.region_id != region_id:
        errors.setdefault(field, []).append(message)
