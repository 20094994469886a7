from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dashboards.services import region_shapes_load


class Command(BaseCommand):
    help = (
        "Load the regions' outlines for the national map from a TopoJSON file (ids MA-01…MA-12), "
        "e.g. ../shared/data/morocco/regions_osm.topojson (© OpenStreetMap contributors, ODbL). "
        "The file is read, simplified and stored in the database; it is never copied into the repository."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        count = region_shapes_load(path=path)
        self.stdout.write(self.style.SUCCESS(f"{count} region shapes loaded."))
