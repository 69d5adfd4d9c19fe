from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class EmailStatus(models.TextChoices):
    """What happened on the e-mail channel (the in-app notice is the row itself)."""

    WAITING = "waiting", _("Not sent yet")
    SENT = "sent", _("E-mailed")
    DIGEST = "digest", _("Held for the daily digest")
    DIGESTED = "digested", _("E-mailed in the daily digest")
    SKIPPED = "skipped", _("Not e-mailed (turned off or no address)")


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("One e-mail per notification")
    DIGEST = "digest", _("One daily digest e-mail")


class Notification(models.Model):
    """Outbox row: written in the event's transaction, delivered after commit.

    ``state`` is pending until the e-mail channel is settled (sent, digested or skipped),
    failed when delivery gave up (``last_error`` says why). ``next_attempt_at`` is when the
    periodic sweep may dispatch a pending row again.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", null=True, blank=True)
    # An address that is not (yet) a user's, e.g. an invitation: e-mail only, no in-app
    # notice, no preferences. Empty for rows with a recipient.
    email = models.EmailField(blank=True)
    kind = models.CharField(max_length=64, db_index=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True,
                                    on_delete=models.SET_NULL)
    target_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=8, default="en")
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    state = models.CharField(max_length=16, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING, db_index=True)
    email_status = models.CharField(max_length=16, choices=EmailStatus.choices,
                                    default=EmailStatus.WAITING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_recent"),
            models.Index(fields=["next_attempt_at"], name="notif_pending_due",
                         condition=Q(state="pending")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="notification_sent_has_time"),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False, email="")
                | Q(recipient__isnull=True) & ~Q(email=""),
                name="notification_recipient_or_address"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient or self.email}"

    @property
    def address(self) -> str:
        return self.recipient.email if self.recipient_id else self.email

    @property
    def read(self) -> bool:
        return self.read_at is not None

    @property
    def url(self) -> str:
        return str(self.data.get("url") or "")

    def resend_refusal(self) -> str:
        """Why this notification cannot be sent again ("" when it can): a pending one is
        still in the outbox; one e-mailed to a bare address no longer holds its link."""
        if self.state == DeliveryState.PENDING:
            return str(_("This notification is still waiting to be sent: it is in the "
                         "outbox already."))
        if self.recipient_id is None and self.state == DeliveryState.SENT:
            return str(_("This e-mail went to an address without an account, and its "
                         "one-time link is not kept once sent. Send a new invitation "
                         "instead."))
        return ""

    @property
    def resendable(self) -> bool:
        return not self.resend_refusal()


class NotificationPreference(models.Model):
    """A person's choices; without a row, every kind is e-mailed immediately."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference")
    email_mode = models.CharField(_("e-mail"), max_length=16, choices=EmailMode.choices,
                                  default=EmailMode.IMMEDIATE)
    muted_kinds = models.JSONField(_("turned off"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.email_mode}"
