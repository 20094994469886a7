"""Published migration figures (the CSV files of ../shared/data/figures)."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from ..enums import IndicatorStatus
from ..models import Indicator, Region

INDICATOR_COLUMNS = ("indicator", "scope", "year", "value", "unit", "source", "status")


@transaction.atomic
def migration_figures_load(*, rows: list[dict]) -> dict[str, int]:
    """Upsert published figures (the CSV format of ../shared/data/figures). `scope` is `MA` for
    national or a region's HCP code. All rows are checked first: one bad row loads nothing."""
    region_ids = dict(Region.objects.values_list("code", "pk"))
    errors, clean = [], []
    for number, row in enumerate(rows, start=2):
        missing = [c for c in INDICATOR_COLUMNS if not (row.get(c) or "").strip()]
        if missing:
            errors.append(f"line {number}: missing {', '.join(missing)}")
            continue
        scope = row["scope"].strip()
        if scope != "MA" and scope not in region_ids:
            errors.append(f"line {number}: unknown scope {scope!r}")
            continue
        if row["status"].strip() not in IndicatorStatus.values:
            errors.append(f"line {number}: unknown status {row['status']!r}")
            continue
        try:
            year = int(row["year"])
            value = Decimal(row["value"].strip())
        except (ValueError, InvalidOperation):
            errors.append(f"line {number}: year or value is not a number")
            continue
        clean.append(
            {
                "key": row["indicator"].strip()[:64],
                "region_id": None if scope == "MA" else region_ids[scope],
                "year": year,
                "value": value,
                "unit": row["unit"].strip()[:32],
                "source": row["source"].strip()[:500],
                "status": row["status"].strip(),
            }
        )
    if errors:
        raise ValidationError(errors)
    created = updated = 0
    for item in clean:
        key = {k: item.pop(k) for k in ("key", "region_id", "year")}
        _obj, was_created = Indicator.objects.update_or_create(**key, defaults=item)
        created += was_created
        updated += not was_created
    return {"created": created, "updated": updated}
