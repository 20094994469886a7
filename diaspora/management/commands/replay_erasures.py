from django.core.management.base import BaseCommand

from diaspora.erasure_log import erasures_replay


class Command(BaseCommand):
    help = "After restoring a backup: erase again every account listed in the erasure log (settings.JUSUR_ERASURE_LOG)."

    def handle(self, *args, **options):
        count = erasures_replay()
        self.stdout.write(self.style.SUCCESS(f"replay_erasures: {count} account(s) erased again"))
