"""Requests for information on a submitted application, and deadline extensions.

A request moves the application to ``information_requested`` (its organisation's editors
may change it and its attachments again); ``returns_to`` is the state it came from, where
resubmitting puts it back. ``snapshot`` is the application as it stood when the request was
made (the field-by-field difference shown to the secretariat compares against it).

An extension lets one application, or every application of one organisation, on a call be
submitted until ``until`` though the call has closed for everyone else.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .applications import Application
from .calls import Call
from .organisations import Organisation

USER = settings.AUTH_USER_MODEL


class InformationRequest(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="information_requests")
    message = models.TextField(_("what is needed"), max_length=8000)
    due_on = models.DateField(_("answer due by"))
    returns_to = models.CharField(_("returns to"), max_length=24)
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    requested_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    changes = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("request for information")
        verbose_name_plural = _("requests for information")
        constraints = [models.UniqueConstraint(
            fields=["application"], condition=Q(answered_at__isnull=True),
            name="one_open_information_request")]

    def __str__(self) -> str:
        return f"{self.application}: {self.message[:40]}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()


class DeadlineExtension(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="extensions")
    application = models.ForeignKey(Application, null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="extensions")
    organisation = models.ForeignKey(Organisation, null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="extensions")
    until = models.DateTimeField(_("may submit until"))
    reason = models.TextField(_("reason"), max_length=4000)
    granted_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("granted by"))
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        constraints = [models.CheckConstraint(
            condition=(Q(application__isnull=False, organisation__isnull=True)
                       | Q(application__isnull=True, organisation__isnull=False)),
            name="extension_for_application_or_organisation")]

    def __str__(self) -> str:
        return f"{self.call}: {self.application or self.organisation} until {self.until}"
