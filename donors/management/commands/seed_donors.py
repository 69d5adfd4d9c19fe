from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from donors.demo import seed_donors


class Command(BaseCommand):
    help = "Load the demo donors, pledges and contributions (idempotent; DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_donors creates a demo account with a publicly known "
                               "password, so it only runs with DEBUG on (DEBUG=1).")
        seed_donors(stdout=self.stdout)
