from django.core.management.base import BaseCommand

from taxonomy.services import starter_taxonomy_load


class Command(BaseCommand):
    help = "Load the sectors (ISIC sections) and the team's starter skill taxonomy in ar/fr/en."

    def handle(self, *args, **options):
        result = starter_taxonomy_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Starter taxonomy: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged, relations +{result.relations_added}."
            )
        )
