"""Import the UN Security Council Consolidated List from its XML file (no network)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fundapp.core.errors import FundError
from grants.services.sanctions import sanctions_list_import


class Command(BaseCommand):
    help = "Import the UN Security Council Consolidated List (XML) for sanctions screening."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The list's XML file, e.g. consolidated.xml")

    def handle(self, *args, path: str, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            imported = sanctions_list_import(actor=None, data=file.read_bytes(),
                                             source_name=file.name)
        except FundError as exc:
            raise CommandError("; ".join(
                str(m) for msgs in exc.as_data().values()
                for m in (msgs if isinstance(msgs, list) else [msgs]))) from None
        self.stdout.write(self.style.SUCCESS(
            f"Imported {imported.individuals} individuals and {imported.entities} entities "
            f"from {imported.source_name}."))
