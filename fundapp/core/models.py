import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition


class AuditEvent(models.Model):
    """Who did what to which object, written in the same transaction as the change."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    verb = models.CharField(max_length=64, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    target_id = models.CharField(max_length=64)
    target_repr = models.CharField(max_length=255, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.verb} {self.target_repr}"


class IdempotencyKey(models.Model):
    """A request that records money, claimed once per user and key (see core.idempotency).

    The row is inserted in the same transaction as the write it guards, so a concurrent
    duplicate waits on the unique constraint and then finds the stored response.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"],
                                               name="core_idempotency_key_once_per_user")]
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class JobKind(models.TextChoices):
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def job_file_path(job: "Job", filename: str) -> str:
    """A folder no one can guess: the files are served only by the requester's download view."""
    return f"jobs/{uuid.uuid4().hex}/{filename}"


class Job(models.Model):
    """A large export or import run in the background for one person (fundapp/core/jobs.py).

    An export re-runs the list request it was started from (``path``, ``query_string``,
    ``file_format``) as its requester; an import runs the handler registered under
    ``handler`` with its ``params``. Its file is kept until ``expires_at``.
    """

    kind = models.CharField(_("kind"), max_length=8, choices=JobKind.choices)
    handler = models.CharField(_("handler"), max_length=64)
    label = models.CharField(_("what"), max_length=200, blank=True)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="jobs", verbose_name=_("requester"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = FSMField(_("status"), max_length=8, choices=JobStatus.choices,
                      default=JobStatus.QUEUED)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in all"), default=0)
    path = models.CharField(_("path"), max_length=2000, blank=True)
    query_string = models.TextField(_("query string"), blank=True)
    file_format = models.CharField(_("file format"), max_length=8, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    file = models.FileField(_("file"), upload_to=job_file_path, max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requester", "-created_at"],
                                name="core_job_requester_recent")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=JobKind.values), name="core_job_kind"),
            models.CheckConstraint(condition=Q(status__in=JobStatus.values),
                                   name="core_job_status"),
        ]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def downloadable(self) -> bool:
        return self.status == JobStatus.DONE and bool(self.file) and not self.expired

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(100, self.rows_done * 100 // self.rows_total) if self.rows_total else 0

    def stale(self, now=None) -> bool:
        """A run that started this long ago without finishing died with its worker."""
        started = self.started_at or self.created_at
        return (now or timezone.now()) - started > timedelta(
            seconds=getattr(settings, "JOB_TIME_LIMIT_SECONDS", 1800) + 60)

    def _startable(self) -> bool:
        return self.status == JobStatus.QUEUED or self.stale()

    @transition(field=status, source=[JobStatus.QUEUED, JobStatus.RUNNING],
                target=JobStatus.RUNNING, conditions=[_startable])
    def start(self) -> None:
        self.started_at = timezone.now()
        self.attempts += 1

    @transition(field=status, source=JobStatus.RUNNING, target=JobStatus.DONE)
    def finish(self) -> None:
        self._close()

    @transition(field=status, source=[JobStatus.QUEUED, JobStatus.RUNNING],
                target=JobStatus.FAILED)
    def fail(self, error: str) -> None:
        self.error = error
        self._close()

    def _close(self) -> None:
        self.finished_at = timezone.now()
        self.expires_at = self.finished_at + timedelta(
            days=getattr(settings, "JOB_FILE_DAYS", 7))
