from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from taxonomy.esco import esco_read
from taxonomy.services import taxonomy_sync


class Command(BaseCommand):
    help = "Import an official ESCO CSV pack (skills_<lang>.csv, skillGroups_<lang>.csv, broader relations)."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bars.")

    def handle(self, *args, directory: Path, no_progress: bool, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory.")
        try:
            concepts, relations, languages = esco_read(directory)
        except (FileNotFoundError, KeyError) as exc:
            raise CommandError(f"Not an ESCO CSV pack: {exc}") from exc
        result = taxonomy_sync(concepts=concepts, relations=relations, languages=languages, progress=not no_progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"ESCO ({', '.join(sorted(languages))}): {len(concepts)} concepts, "
                f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged; "
                f"labels +{result.labels_added} -{result.labels_removed}; relations +{result.relations_added}."
            )
        )
