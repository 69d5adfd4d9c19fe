"""Core housekeeping tasks: safe to run at any time and any number of times."""

from celery import shared_task

from .idempotency import purge_expired


@shared_task(name="core.purge_idempotency_keys", acks_late=True, soft_time_limit=120,
             time_limit=180)
def purge_idempotency_keys() -> int:
    """Delete Idempotency-Key and form-token claims older than their lifetime (24 h)."""
    return purge_expired()
