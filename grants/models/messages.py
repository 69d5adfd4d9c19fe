"""Message threads between the secretariat and an organisation's members, one on every
application and one on every grant (never reviewers, Board members or other NGOs).

A message belongs to exactly one thread: its application or its grant. ``from_secretariat``
records the side that wrote it (the other side is notified). A reader's unread markers are
one ``ThreadRead`` row per user and thread: every message created after ``read_at`` (and
not written by that user) is unread for them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .awards import Grant

USER = settings.AUTH_USER_MODEL
ONE_THREAD = (Q(application__isnull=False, grant__isnull=True)
              | Q(application__isnull=True, grant__isnull=False))


class Message(models.Model):
    application = models.ForeignKey(Application, null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="messages")
    grant = models.ForeignKey(Grant, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="messages")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("author"))
    from_secretariat = models.BooleanField(_("from the secretariat"), default=False)
    body = models.TextField(_("message"), max_length=20000)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [models.CheckConstraint(condition=ONE_THREAD,
                                              name="message_in_one_thread")]
        indexes = [models.Index(fields=["application", "created_at"]),
                   models.Index(fields=["grant", "created_at"])]

    def __str__(self) -> str:
        return f"{self.application or self.grant}: {self.body[:40]}"


def message_attachment_path(instance: "MessageAttachment", filename: str) -> str:
    return f"messages/{instance.message_id}/{uuid.uuid4().hex}"


class MessageAttachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=message_attachment_path, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        ordering = ["id"]
        verbose_name = _("message attachment")
        verbose_name_plural = _("message attachments")

    def __str__(self) -> str:
        return self.original_name


class ThreadRead(models.Model):
    """Where one user has read a thread up to."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="+")
    grant = models.ForeignKey(Grant, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        verbose_name = _("thread read marker")
        verbose_name_plural = _("thread read markers")
        constraints = [
            models.CheckConstraint(condition=ONE_THREAD, name="thread_read_one_thread"),
            models.UniqueConstraint(fields=["user", "application"],
                                    condition=Q(application__isnull=False),
                                    name="one_read_marker_per_application"),
            models.UniqueConstraint(fields=["user", "grant"], condition=Q(grant__isnull=False),
                                    name="one_read_marker_per_grant"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.application or self.grant} at {self.read_at}"
