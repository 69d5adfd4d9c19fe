from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from grants import demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent). Refuses to run unless DEBUG is on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a publicly known password, so it only runs "
                "with DEBUG on (DEBUG=1). Never run it against a production database.")
        created = demo.seed(stderr=self.stderr)
        demo.report(created, stdout=self.stdout, style=self.style)
