"""Background jobs: large exports and imports run by Celery for one person, with progress.

An export over ``EXPORT_ASYNC_THRESHOLD`` rows does not answer with its file: the one export
writer (``fundapp.core.exports``) asks ``export_deferred``, registered as its asynchronous
handler, which records a ``Job`` and answers with the job's page (web) or a 202 (API). The
task re-runs the very same list request as the requester, inside ``exports.capture``, so the
file has the same filters, permissions, columns and language as a small export would.

An import (or any other long piece of work of an app above) is a *handler* registered here
under a name, like the notification kinds: ``register("donors.contribution_import",
Handler(kind=JobKind.IMPORT, run=...))``. ``run(job, progress)`` does the work as
``job.requester`` and returns an ``Outcome``. The ground floor never imports the apps.

A finished job is notified to its requester (``job_done`` / ``job_failed``); its file is
served only to the requester (``fundapp.core.job_views``) until ``expires_at`` (7 days after
finishing), then deleted by ``jobs_expire`` (task ``core.expire_jobs``).
"""

import logging
import tempfile
import zoneinfo
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import IO
from urllib.parse import urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_fsm import can_proceed
from kombu.exceptions import OperationalError as BrokerError

from .audit import audit_record
from .errors import FundError, NotAllowed
from .fsm import run_transition
from .locks import lock
from .models import Job, JobKind, JobStatus

logger = logging.getLogger(__name__)

EXPORT = "export"  # the handler of every list export
QUEUE_SWEEP_AFTER = timedelta(minutes=5)  # a job still queued this long is queued again


def threshold() -> int:
    return getattr(settings, "EXPORT_ASYNC_THRESHOLD", 5000)


def progress_every() -> int:
    return max(1, getattr(settings, "JOB_PROGRESS_EVERY", 500))


def max_active() -> int:
    return getattr(settings, "JOB_MAX_ACTIVE_PER_USER", 3)


# --- the registry of handlers ----------------------------------------------------------

@dataclass
class Outcome:
    """What a handler returns: ``error`` (for the requester) makes the job fail; ``file`` is
    an open binary file the job keeps (closed by the runner) under ``file_name``."""

    result: dict = field(default_factory=dict)
    error: str = ""
    file: IO[bytes] | None = None
    file_name: str = ""
    rows: int | None = None


Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Handler:
    kind: str
    run: Callable[[Job, Progress], Outcome]


HANDLERS: dict[str, Handler] = {}


def register(name: str, handler: Handler) -> None:
    if name in HANDLERS and HANDLERS[name] != handler:
        raise ValueError(f"Job handler {name!r} is already registered.")
    HANDLERS[name] = handler


# --- starting --------------------------------------------------------------------------

def jobs_active_for(user):
    return Job.objects.filter(requester=user, status__in=(JobStatus.QUEUED, JobStatus.RUNNING))


@transaction.atomic
def job_start(*, actor, handler: str, rows_total: int, label: str = "", path: str = "",
              query_string: str = "", file_format: str = "", params: dict | None = None,
              language: str | None = None) -> Job:
    """Record a job for ``actor`` and queue it once committed. The same request already
    waiting or running is that job, not a second one."""
    if handler not in HANDLERS:
        raise ValueError(f"Unknown job handler {handler!r}: register it first.")
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed(_("Sign in to run this in the background."))
    lock(get_user_model(), actor.pk)  # one start at a time per person: the checks below hold
    active = jobs_active_for(actor)
    same = active.filter(handler=handler, path=path, query_string=query_string,
                         file_format=file_format, params=params or {}).first()
    if same is not None:
        return same
    if active.count() >= max_active():
        raise TooManyJobs(ngettext(
            "You already have %(n)s file being prepared: wait until it is ready.",
            "You already have %(n)s files being prepared: wait until one is ready.",
            max_active()) % {"n": max_active()})
    job = Job.objects.create(
        kind=HANDLERS[handler].kind, handler=handler, label=str(label)[:200], requester=actor,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        rows_total=max(rows_total, 0), path=path, query_string=query_string,
        file_format=file_format, params=params or {})
    audit_record(actor=actor, verb="job.start", target=job, after={
        "handler": handler, "path": path, "query": query_string, "format": file_format,
        "rows_total": job.rows_total, "params": job.params})
    transaction.on_commit(lambda: queue(job.pk))
    return job


class TooManyJobs(FundError):
    status_code = 409


def queue(job_id: int) -> bool:
    """Hand the job to the broker; never raises (the periodic sweep queues it again)."""
    from .tasks import run_job

    try:
        run_job.apply_async((job_id,))
    except (BrokerError, OSError) as exc:
        logger.warning("Broker unavailable, job %s left for the sweep: %s", job_id, exc)
        return False
    return True


def is_api_path(path: str) -> bool:
    return path.startswith("/api/")


def export_deferred(request, *, fmt: str, total: int, basename: str,
                    title: str | None = None) -> HttpResponse | None:
    """The asynchronous handler of ``fundapp.core.exports``: start the export as a job and
    answer with it (the web: the job's page; the API: 202 with its status URL). None (write
    the file now) for an anonymous reader, who has no job page."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return None
    api = is_api_path(request.path)
    try:
        job = job_start(actor=user, handler=EXPORT, rows_total=total,
                        label=str(title or basename.replace("-", " ").capitalize()),
                        path=request.path,
                        query_string=request.META.get("QUERY_STRING", ""), file_format=fmt,
                        params={"basename": basename})
    except TooManyJobs as exc:
        if api:
            return JsonResponse(exc.as_data(), status=exc.status_code)
        messages.error(request, exc.message, fail_silently=True)
        return redirect("jobs:list")
    if api:
        return JsonResponse(job_summary(job), status=202,
                            headers={"Location": reverse("api-job", args=[job.pk])})
    messages.info(request, ngettext(
        "This export has %(n)s row: it is prepared in the background, and this page "
        "shows how far it is.",
        "This export has %(n)s rows: it is prepared in the background, and this page "
        "shows how far it is.",
        total) % {"n": f"{total:,}"}, fail_silently=True)
    return redirect("jobs:detail", pk=job.pk)


def job_summary(job: Job) -> dict:
    return {"job": job.pk, "status": job.status, "rows_total": job.rows_total,
            "url": reverse("api-job", args=[job.pk])}


# --- running ---------------------------------------------------------------------------

class _Progress:
    """Written in its own autocommitted UPDATE, so the job's page sees it while it runs."""

    def __init__(self, job: Job):
        self.pk, self.total = job.pk, job.rows_total

    def __call__(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self.total = total
        Job.objects.filter(pk=self.pk, status=JobStatus.RUNNING).update(
            rows_done=done, rows_total=max(self.total or 0, done))


def job_run(job_id: int) -> str:
    """Run a queued job (or one whose worker died) to its end; the job's status. Running it
    again once started or finished changes nothing."""
    job = _claim(job_id)
    if job is None:
        return Job.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""
    with _as_requester(job):
        outcome = _outcome(job, _Progress(job))
        return _finish(job.pk, outcome)


def _claim(job_id: int) -> Job | None:
    with transaction.atomic():
        try:
            job = lock(Job, job_id)
        except Job.DoesNotExist:
            return None
        if not can_proceed(job.start):
            return None
        run_transition(job.start)
        job.rows_done = 0
        job.save(update_fields=["status", "started_at", "attempts", "rows_done"])
    return job


def _outcome(job: Job, progress: Progress) -> Outcome:
    handler = HANDLERS.get(job.handler)
    try:
        if handler is None:
            raise LookupError(f"no job handler {job.handler!r}")
        if not job.requester.is_active:
            return Outcome(error=_("Your account is no longer active."))
        return handler.run(job, progress)
    except FundError as exc:
        errors = [str(m) for messages_ in exc.field_errors.values() for m in messages_]
        return Outcome(error=str(exc.message), result={"errors": errors} if errors else {})
    except (Http404, PermissionDenied):
        return Outcome(error=_refused(404))
    except SoftTimeLimitExceeded:
        return Outcome(error=_("This took too long and was stopped: narrow the list with its "
                               "filters and try again."))
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.handler)
        return Outcome(error=_("Something went wrong while doing this. Try again later; if it "
                               "happens again, tell the fund's secretariat."))


@contextmanager
def _as_requester(job: Job):
    """The requester's language and time zone, as in the request that started the job."""
    language = job.language or job.requester.language or settings.LANGUAGE_CODE
    try:
        zone = zoneinfo.ZoneInfo(getattr(job.requester, "timezone", "") or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    with translation.override(language), timezone.override(zone):
        yield


def _finish(job_id: int, outcome: Outcome) -> str:
    try:
        with transaction.atomic():
            job = lock(Job, job_id)
            if job.status != JobStatus.RUNNING:  # finished meanwhile by a stale re-run
                return job.status
            _record(job, outcome)
            job.save()
            audit_record(actor=None, verb=f"job.{job.status}", target=job, after={
                "rows_done": job.rows_done, "error": job.error[:500]})
            _notify(job)
            return job.status
    finally:
        if outcome.file is not None:
            outcome.file.close()


def _record(job: Job, outcome: Outcome) -> None:
    job.result = outcome.result
    if outcome.rows is not None:
        job.rows_done = outcome.rows
        job.rows_total = outcome.rows if not outcome.error else max(job.rows_total,
                                                                     outcome.rows)
    if outcome.error:
        run_transition(job.fail, None, outcome.error)
        return
    if outcome.file is not None:
        outcome.file.seek(0)
        job.file_name = outcome.file_name[:200] or f"job-{job.pk}"
        job.file.save(job.file_name, File(outcome.file), save=False)
    run_transition(job.finish)
    if outcome.rows is None:
        job.rows_done = job.rows_total


def _notify(job: Job) -> None:
    from fundapp.notifications.services import notify

    done = job.status == JobStatus.DONE
    url = reverse("jobs:download", args=[job.pk]) if job.downloadable else reverse(
        "jobs:detail", args=[job.pk])
    notify(recipients=[job.requester], kind="job_done" if done else "job_failed", target=job,
           data={"label": job.label, "kind": job.kind, "rows": job.rows_done,
                 "file_name": job.file_name, "error": job.error[:500],
                 "summary": str(job.result.get("summary") or "")[:500],
                 "expires_at": job.expires_at.isoformat() if job.expires_at else "",
                 "page": reverse("jobs:detail", args=[job.pk]), "url": url})


# --- the export handler ------------------------------------------------------------------

def _site():
    parts = urlsplit(settings.SITE_URL)
    secure = parts.scheme == "https"
    return {"SERVER_NAME": parts.hostname or "localhost",
            "SERVER_PORT": str(parts.port or (443 if secure else 80)),
            "wsgi.url_scheme": parts.scheme or "http", "secure": secure}


def replay_request(job: Job):
    """The GET that started the export, for its requester (no middleware: the original
    request passed it)."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from rest_framework.test import APIRequestFactory, force_authenticate

    url = job.path + (f"?{job.query_string}" if job.query_string else "")
    site = _site()
    secure = site.pop("secure")
    api = is_api_path(job.path)
    headers = {}
    if api and "format" not in QueryDict(job.query_string):
        from .exports import CONTENT_TYPES

        headers["HTTP_ACCEPT"] = CONTENT_TYPES[job.file_format].split(";")[0]
    request = (APIRequestFactory() if api else _factory()).get(url, secure=secure, **site,
                                                               **headers)
    if api:
        force_authenticate(request, user=job.requester)
    request.user = job.requester
    request.LANGUAGE_CODE = translation.get_language()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _factory():
    from django.test import RequestFactory

    return RequestFactory()


def _run_export(job: Job, progress: Progress) -> Outcome:
    from . import exports

    try:
        match = resolve(job.path)
    except Resolver404:
        return Outcome(error=_("This list no longer exists."))
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    try:
        with exports.capture(out, progress=progress, every=progress_every()) as sink:
            response = match.func(replay_request(job), *match.args, **match.kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        if response.status_code != 200 or sink.rows is None:
            out.close()
            return Outcome(error=_refused(response.status_code))
    except BaseException:
        out.close()
        raise
    basename = job.params.get("basename") or "export"
    return Outcome(file=out, rows=sink.rows,
                   file_name=exports.export_filename(basename, job.file_format))


def _refused(status: int) -> str:
    if status in (401, 403, 404):
        return _("You may no longer see this list, so it was not exported.")
    if status == 400:
        return _("The filters of this list are no longer valid: export it again from the list.")
    return _("This list could not be exported (answer %(status)s).") % {"status": status}


register(EXPORT, Handler(kind=JobKind.EXPORT, run=_run_export))


# --- housekeeping ----------------------------------------------------------------------

def jobs_expire(*, now=None) -> int:
    """Delete the files of jobs past ``expires_at`` (the rows stay, marked expired); safe to
    run at any time (task ``core.expire_jobs``). The number of files deleted."""
    now = now or timezone.now()
    count = 0
    for job in Job.objects.filter(expires_at__lte=now).exclude(file=""):
        job.file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(file="")
        count += 1
    return count


def jobs_requeue(*, now=None) -> int:
    """Queue again the jobs the broker never ran (down when they were started) and those
    whose worker died while running them."""
    now = now or timezone.now()
    waiting = Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=now - QUEUE_SWEEP_AFTER)
    running = [j for j in Job.objects.filter(status=JobStatus.RUNNING) if j.stale(now)]
    count = 0
    for job in [*waiting, *running]:
        count += queue(job.pk)
    return count


# --- reading -----------------------------------------------------------------------------

def jobs_visible_to(user):
    """A person's own jobs, newest first: no one else's, whatever their role."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(requester=user).order_by("-created_at", "-id")


def get_job_for(user, pk) -> Job:
    """The job if ``user`` started it; 404 otherwise (even for the secretariat)."""
    job = jobs_visible_to(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job
