"""Donor tasks. Both are safe to run at any time and any number of times; schedule them with
Celery beat if wanted (e.g. ``donors.check_milestones`` daily, ``donors.purge_import_previews``
weekly)."""

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from donors.models import ContributionImport
from donors.services.targets import milestones_check


@shared_task(name="donors.check_milestones", acks_late=True, soft_time_limit=60,
             time_limit=90)
def check_milestones(year: int | None = None) -> list[int]:
    """Announce any milestone of ``year`` (default: this year) not yet announced."""
    with transaction.atomic():
        return milestones_check(year=year or timezone.localdate().year)


@shared_task(name="donors.purge_import_previews", acks_late=True, soft_time_limit=120,
             time_limit=180)
def purge_import_previews(days: int = 7) -> int:
    """Delete uploads that were previewed but never imported, with their files."""
    stale = ContributionImport.objects.filter(
        status=ContributionImport.Status.PREVIEWED,
        created_at__lt=timezone.now() - timedelta(days=days))
    count = 0
    for batch in stale:
        batch.file.delete(save=False)
        batch.delete()
        count += 1
    return count
