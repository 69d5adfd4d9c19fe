"""Writes on notifications: the outbox, delivery, the sweep, digests, reading, resending.

Exactly-once e-mail rests on one rule: a notification is e-mailed only by a transaction that
holds its row lock and finds it still pending; the same transaction marks it sent.
"""

import logging
import random
import smtplib
from collections.abc import Iterable
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from fundapp.accounts.roles import user_can
from fundapp.core.audit import audit_record
from fundapp.core.errors import Errors, NotAllowed, StateConflict
from fundapp.core.locks import lock

from .kinds import KINDS
from .kinds import kind as kind_of
from .models import (
    DeliveryState,
    EmailMode,
    EmailStatus,
    Notification,
    NotificationPreference,
)
from .rendering import build_digest, build_email
from .selectors import preference_for

logger = logging.getLogger(__name__)

SWEEP_AFTER = timedelta(minutes=5)  # a pending row untouched this long is dispatched again
MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 60
BACKOFF_MAX_SECONDS = 30 * 60  # below the Redis visibility timeout (one hour)
TRANSIENT_ERRORS = (OSError, SoftTimeLimitExceeded)  # smtplib and socket errors are OSErrors


class DeliveryDeferred(Exception):
    """A transient failure, recorded on the row; try again in ``countdown`` seconds."""

    def __init__(self, cause: BaseException, countdown: int):
        super().__init__(str(cause))
        self.cause = cause
        self.countdown = countdown


# --- the outbox -----------------------------------------------------------------------

def notify(
    *, recipients: Iterable, kind: str, target: models.Model | None = None,
    data: dict | None = None, dedupe_key: str | None = None,
) -> list[Notification]:
    """Write one outbox row per recipient in the caller's transaction; deliver after commit.

    ``dedupe_key`` (suffixed per recipient) makes an event notify each person at most once,
    however often the code that emits it runs.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}: register it in kinds.py.")
    people = {u.pk: u for u in recipients}
    keys = {pk: f"{dedupe_key}:{pk}" if dedupe_key else None for pk in people}
    known = set(Notification.objects.filter(dedupe_key__in=[k for k in keys.values() if k])
                .values_list("dedupe_key", flat=True)) if dedupe_key else set()
    fields = {
        "kind": kind, "data": data or {}, "target_id": str(target.pk) if target else "",
        "target_type": ContentType.objects.get_for_model(target) if target else None,
        "next_attempt_at": timezone.now() + SWEEP_AFTER,
    }
    if dedupe_key is None:  # one INSERT for the whole fan-out
        created = Notification.objects.bulk_create([
            Notification(recipient=user, language=user.language or "en", **fields)
            for user in people.values()])
    else:
        created = [row for pk, user in people.items() if keys[pk] not in known
                   and (row := _create_once(user, keys[pk], fields)) is not None]
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: dispatch(ids))
    return created


def notify_address(*, email: str, kind: str, language: str = "en",
                   target: models.Model | None = None, data: dict | None = None,
                   ) -> Notification:
    """E-mail an address that is not (yet) a user's: no in-app notice, no preferences."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}: register it in kinds.py.")
    row = Notification.objects.create(
        email=email, language=language or "en", kind=kind, data=data or {},
        target_id=str(target.pk) if target else "",
        target_type=ContentType.objects.get_for_model(target) if target else None,
        next_attempt_at=timezone.now() + SWEEP_AFTER)
    transaction.on_commit(lambda: dispatch([row.pk]))
    return row


def _create_once(user, key: str, fields: dict) -> Notification | None:
    row = Notification(recipient=user, language=user.language or "en", dedupe_key=key,
                       **fields)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # a concurrent run wrote the same key first
        return None
    return row


# One broker message delivers up to this many rows: a fan-out to 10,000 people is 200
# publishes, not 10,000, and a worker spends its time e-mailing rather than fetching tasks.
DISPATCH_BATCH = 50


def dispatch(ids: list[int]) -> int:
    """Queue delivery of ``ids``, in batches of ``DISPATCH_BATCH`` (a single row as its own
    task); never raises, so the event's request always succeeds.

    When the broker is unreachable the rows stay pending and the periodic sweep sends them
    once it is back. Returns how many were handed to the broker.
    """
    from .tasks import deliver_notification, deliver_notifications

    handed = 0
    for start in range(0, len(ids), DISPATCH_BATCH):
        batch = list(ids[start:start + DISPATCH_BATCH])
        try:
            if len(batch) == 1:
                deliver_notification.apply_async((batch[0],))
            else:
                deliver_notifications.apply_async((batch,))
        except (BrokerError, OSError) as exc:
            logger.warning("Broker unavailable, %d notification(s) left for the sweep: %s",
                           len(ids) - handed, exc)
            break
        except Exception:  # eager mode runs the task right here: never fail the request
            logger.exception("Delivery of notification(s) %s failed", batch)
        handed += len(batch)
    return handed


# --- delivery --------------------------------------------------------------------------

def _locked(qs: QuerySet[Notification]) -> QuerySet[Notification]:
    """Lock the rows of ``qs`` (call inside a transaction).

    PostgreSQL locks the rows; SQLite ignores FOR UPDATE, so a no-op write first takes its
    database-wide write lock, which serialises concurrent deliveries just the same.
    """
    if connection.vendor == "sqlite":
        qs.update(attempts=F("attempts"))
    return qs.select_for_update(of=("self",))


def backoff_seconds(attempts: int) -> int:
    delay = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0))
    return int(delay * random.uniform(1.0, 1.1))


def _is_permanent(exc: BaseException) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return not isinstance(exc, TRANSIENT_ERRORS)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _record_failure(rows: list[Notification], exc: BaseException, now: datetime, *,
                    sweepable: bool = True) -> DeliveryDeferred | None:
    """Count the attempt; give up (failed) on permanent errors or after MAX_ATTEMPTS.

    A retryable row is also left due for the sweep a little after its Celery retry, in case
    that retry is lost; digest rows are not (only the digest sends them).
    """
    attempts = max(n.attempts for n in rows) + 1
    give_up = _is_permanent(exc) or attempts >= MAX_ATTEMPTS
    countdown = backoff_seconds(attempts)
    due = now + timedelta(seconds=countdown) + SWEEP_AFTER
    for n in rows:
        n.attempts = attempts
        n.last_error = _describe(exc)
        n.state = DeliveryState.FAILED if give_up else DeliveryState.PENDING
        n.next_attempt_at = due if sweepable and not give_up else None
        n.save(update_fields=["attempts", "last_error", "state", "next_attempt_at",
                              "updated_at"])
    if give_up:
        logger.error("Notification(s) %s failed for good: %s", [n.pk for n in rows],
                     _describe(exc))
        return None
    return DeliveryDeferred(exc, countdown)


def _settle(n: Notification, email_status: str, now: datetime) -> None:
    n.state, n.email_status, n.sent_at, n.next_attempt_at = (
        DeliveryState.SENT, email_status, now, None)
    n.save(update_fields=["state", "email_status", "sent_at", "next_attempt_at", "attempts",
                          "updated_at"])


def _deliver(n: Notification, now: datetime) -> None:
    if n.recipient_id is None:  # an address only: e-mailed now, whatever the kind
        n.attempts += 1
        build_email(n).send()
        # Its link may carry a one-time secret (an invitation): only the e-mail keeps it.
        n.data = {key: value for key, value in n.data.items() if key != "url"}
        n.save(update_fields=["data"])
        _settle(n, EmailStatus.SENT, now)
        return
    definition = kind_of(n.kind)
    optional = not definition.essential
    preference = preference_for(n.recipient) if optional else None
    if not n.recipient.email or (optional and n.kind in preference.muted_kinds):
        _settle(n, EmailStatus.SKIPPED, now)
    elif optional and preference.email_mode == EmailMode.DIGEST:
        n.email_status, n.next_attempt_at = EmailStatus.DIGEST, None
        n.save(update_fields=["email_status", "next_attempt_at", "updated_at"])
    else:
        n.attempts += 1
        build_email(n).send()
        _settle(n, EmailStatus.SENT, now)


def notification_deliver(*, notification_id: int) -> None:
    """E-mail one notification at most once; raises DeliveryDeferred to be retried later."""
    deferred = None
    with transaction.atomic():
        qs = Notification.objects.filter(pk=notification_id)
        n = _locked(qs).select_related("recipient").first()
        if n is None or n.state != DeliveryState.PENDING or n.email_status == EmailStatus.DIGEST:
            return
        now, attempts = timezone.now(), n.attempts
        try:
            with transaction.atomic():
                _deliver(n, now)
        except Exception as exc:  # recorded on the row, shown to the secretariat
            if _is_permanent(exc):
                logger.exception("Notification %s cannot be delivered", n.pk)
            n.attempts = attempts
            deferred = _record_failure([n], exc, now)
    if deferred is not None:
        raise deferred


def notifications_sweep(*, now: datetime | None = None, limit: int = 1000,
                        stranded: bool = False) -> int:
    """Dispatch again pending rows whose time has come (never sent, or failed and due).

    ``stranded`` also takes every row never tried yet, due or not: the worker asks for
    this when it starts and whenever it reconnects to the broker, because rows created
    while the broker was down were never queued. A row that was queued after all is then
    queued twice; delivery locks the row and skips it once sent, so it is e-mailed once.
    Rows in back-off (tried and failed) keep waiting for their time.

    Each dispatched row is leased for SWEEP_AFTER, so a slow queue is not flooded.
    """
    now = now or timezone.now()
    due = models.Q(next_attempt_at__lte=now)
    if stranded:
        due |= models.Q(attempts=0, next_attempt_at__isnull=False)
    ids = list(Notification.objects.filter(due, state=DeliveryState.PENDING)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    if ids:
        Notification.objects.filter(pk__in=ids, state=DeliveryState.PENDING).update(
            next_attempt_at=now + SWEEP_AFTER)
        dispatch(ids)
    return len(ids)


# --- the daily digest ------------------------------------------------------------------

def digest_recipients() -> list[int]:
    return list(Notification.objects.filter(state=DeliveryState.PENDING,
                                            email_status=EmailStatus.DIGEST)
                .order_by().values_list("recipient_id", flat=True).distinct())


def digest_send(*, user_id: int) -> int:
    """One e-mail with everything held for ``user_id``'s digest; returns how many it held."""
    deferred = None
    with transaction.atomic():
        qs = Notification.objects.filter(recipient_id=user_id, state=DeliveryState.PENDING,
                                         email_status=EmailStatus.DIGEST)
        rows = list(_locked(qs).select_related("recipient").order_by("created_at", "id"))
        if not rows:
            return 0
        now, user = timezone.now(), rows[0].recipient
        attempts = {n.pk: n.attempts for n in rows}
        try:
            with transaction.atomic():
                if user.email:
                    build_digest(user, rows).send()
                for n in rows:
                    n.attempts += 1
                    _settle(n, EmailStatus.DIGESTED if user.email else EmailStatus.SKIPPED, now)
        except Exception as exc:
            logger.warning("Digest for user %s failed: %s", user_id, _describe(exc))
            for n in rows:
                n.email_status, n.attempts = EmailStatus.DIGEST, attempts[n.pk]
            deferred = _record_failure(rows, exc, now, sweepable=False)
    if deferred is not None:
        raise deferred
    return len(rows)


# --- the person's side -----------------------------------------------------------------

def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read (idempotent, not audited)."""
    if notification.recipient_id != actor.pk:
        raise NotAllowed()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now())


@transaction.atomic
def notification_preferences_update(*, actor, email_mode: str,
                                    muted_kinds: list[str]) -> NotificationPreference:
    errors = Errors()
    if email_mode not in EmailMode.values:
        errors.add("email_mode", _("Choose how you want to receive e-mails."))
    for name in muted_kinds:
        if name not in KINDS:
            errors.add("muted_kinds", _("Unknown notification: %(kind)s") % {"kind": name})
        elif KINDS[name].essential:
            errors.add("muted_kinds", _("“%(label)s” is essential and cannot be turned off.")
                       % {"label": KINDS[name].label})
    errors.raise_if_any()
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
        user=actor)
    before = {"email_mode": preference.email_mode, "muted_kinds": preference.muted_kinds}
    preference.email_mode, preference.muted_kinds = email_mode, sorted(set(muted_kinds))
    preference.save()
    audit_record(actor=actor, verb="notification.preferences", target=preference,
                 before=before, after={"email_mode": email_mode,
                                       "muted_kinds": preference.muted_kinds})
    return preference


# --- the secretariat's side ------------------------------------------------------------

@transaction.atomic
def notification_resend(*, actor, notification: Notification) -> Notification:
    """Put a notification back in the outbox (failed, or sent but lost) and dispatch it."""
    if not user_can(actor, "notification.monitor"):
        raise NotAllowed()
    n = lock(Notification, notification.pk)
    if refusal := n.resend_refusal():
        raise StateConflict(refusal)
    before = {"state": n.state, "email_status": n.email_status, "attempts": n.attempts,
              "last_error": n.last_error}
    n.state, n.email_status, n.attempts, n.last_error = (
        DeliveryState.PENDING, EmailStatus.WAITING, 0, "")
    n.sent_at, n.next_attempt_at = None, timezone.now() + SWEEP_AFTER
    n.save()
    audit_record(actor=actor, verb="notification.resend", target=n, before=before,
                 after={"state": n.state})
    transaction.on_commit(lambda: dispatch([n.pk]))
    return n
