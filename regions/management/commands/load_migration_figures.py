import csv
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from regions.services import INDICATOR_COLUMNS, migration_figures_load


class Command(BaseCommand):
    help = (
        "Load published migration figures from a CSV (indicator,scope,year,value,unit,source,status; "
        "scope MA for national or a region's HCP code). Idempotent: rows are upserted."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                missing = [c for c in INDICATOR_COLUMNS if c not in (reader.fieldnames or [])]
                if missing:
                    raise CommandError(f"{path}: missing columns {', '.join(missing)}")
                rows = list(reader)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        try:
            result = migration_figures_load(rows=rows)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"migration figures: {result['created']} created, {result['updated']} updated")
        )
