import importlib
import logging
import random

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import module_has_submodule

from portal.demo.files import DemoDataError, load

PROJECT_APPS = ["portal", "taxonomy", "regions", "diaspora", "projects", "matching", "partners", "dashboards"]


def demo_modules():
    """The project apps' `demo` modules, in INSTALLED_APPS order (the order they seed in)."""
    for config in apps.get_app_configs():
        if config.name in PROJECT_APPS and module_has_submodule(config.module, "demo"):
            yield config.name, importlib.import_module(f"{config.name}.demo")


def check_files() -> int:
    """Read every demo data file against its loader's schema (DemoDataError on the first fault)."""
    checked = 0
    for _name, module in demo_modules():
        loader = getattr(module, "loader", None)
        for filename, schema in getattr(loader, "FILES", {}).items():
            load(loader.DATA / filename, schema)
            checked += 1
    return checked


class Command(BaseCommand):
    help = (
        "Load the demo data set: every project app's `demo.seed(context)`, in INSTALLED_APPS order, "
        "from the data files under each app's demo/ directory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2021, help="Random seed (same seed, same data).")
        parser.add_argument("--check", action="store_true", help="Only check the data files; write nothing.")

    def handle(self, *args, seed: int, check: bool, **options):
        try:
            checked = check_files()  # every file first: a mistake stops the demo before it writes
        except DemoDataError as exc:
            raise CommandError(f"demo data: {exc}") from exc
        if check:
            self.stdout.write(self.style.SUCCESS(f"demo: {checked} data files are well formed"))
            return
        context = {"random": random.Random(seed)}
        # Hundreds of in-process tasks run after each app's commit: their one-line "succeeded"
        # logs would bury the accounts printed below (failures are still logged, as warnings).
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        # The demo's people are made up: what the services tell them stays in the portal's inbox;
        # no e-mail is sent or printed (the tasks run in-process in `make demo`).
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            for name, module in demo_modules():
                with transaction.atomic():
                    lines = module.seed(context) or []
                self.stdout.write(self.style.SUCCESS(f"demo: {name}"))
                for line in lines:
                    self.stdout.write(line)
