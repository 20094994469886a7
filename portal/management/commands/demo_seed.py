import importlib
import random

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

PROJECT_APPS = ["portal", "taxonomy", "regions", "diaspora", "projects", "matching", "partners", "dashboards"]


class Command(BaseCommand):
    help = "Load the demo data set: every project app's `demo.seed(context)`, in INSTALLED_APPS order."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2021, help="Random seed (same seed, same data).")

    def handle(self, *args, seed: int, **options):
        context = {"random": random.Random(seed)}
        for config in apps.get_app_configs():
            if config.name not in PROJECT_APPS or not module_has_submodule(config.module, "demo"):
                continue
            module = importlib.import_module(f"{config.name}.demo")
            with transaction.atomic():
                lines = module.seed(context) or []
            self.stdout.write(self.style.SUCCESS(f"demo: {config.name}"))
            for line in lines:
                self.stdout.write(line)
