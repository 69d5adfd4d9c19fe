"""Every Celery task of donors: thin, each calls one service. Both are safe to run at any time
and any number of times; schedule them with Celery beat if wanted (e.g.
``donors.check_milestones`` daily, ``donors.purge_import_previews`` weekly). Celery finds
this module by itself (``app.autodiscover_tasks()``); the task names must not change."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from donors.services.imports import contribution_import_previews_purge
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
    return contribution_import_previews_purge(days=days)
