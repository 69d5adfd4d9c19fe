from django.core.management.base import BaseCommand

from grants.demo.ranking import seed_ranking_demo


class Command(BaseCommand):
    help = "Add reviewed applications to call 7 for the ranking demo (idempotent)."

    def handle(self, *args, **options):
        created = seed_ranking_demo()
        for item in created:
            self.stdout.write(f"  + {item}")
        self.stdout.write(f"Ranking demo: {len(created)} item(s) created.")
