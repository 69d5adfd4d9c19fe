"""Row locks for what two people may change at once. All select_for_update lives here."""

from django.db import models


def lock(model: type[models.Model], pk) -> models.Model:
    """Lock one row for the rest of the transaction (no-op on SQLite, which locks the DB)."""
    return model.objects.select_for_update().get(pk=pk)
