"""Core tasks: housekeeping and background jobs; safe to run at any time and any number of
times."""

from celery import shared_task
from django.conf import settings

from .idempotency import purge_expired
from .jobs import job_run, jobs_expire, jobs_requeue

JOB_LIMIT = getattr(settings, "JOB_TIME_LIMIT_SECONDS", 1800)


@shared_task(name="core.purge_idempotency_keys", acks_late=True, soft_time_limit=120,
             time_limit=180)
def purge_idempotency_keys() -> int:
    """Delete Idempotency-Key and form-token claims older than their lifetime (24 h)."""
    return purge_expired()


@shared_task(name="core.run_job", acks_late=True, soft_time_limit=JOB_LIMIT,
             time_limit=JOB_LIMIT + 60)
def run_job(job_id: int) -> str:
    """Run one background export or import (once: a started or finished job is left)."""
    return job_run(job_id)


@shared_task(name="core.expire_jobs", acks_late=True, soft_time_limit=120, time_limit=180)
def expire_jobs() -> int:
    """Delete the files of jobs kept past their 7 days; queue again the jobs left waiting."""
    jobs_requeue()
    return jobs_expire()
