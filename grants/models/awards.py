"""Grants awarded by the board: the agreement, its tranche schedule and its report schedule."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from .applications import Application
from .board import MONEY, AgendaItem
from .calls import Call


class GrantStatus(models.TextChoices):
    PENDING_SIGNATURE = "pending_signature", _("Pending signature")
    ACTIVE = "active", _("Active")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", pgettext_lazy("grant status", "Closed")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")
    CANCELLED = "cancelled", _("Cancelled")


CANCELLABLE = (GrantStatus.PENDING_SIGNATURE, GrantStatus.ACTIVE, GrantStatus.SUSPENDED)


def final_report_accepted(grant: "Grant") -> bool:
    """Condition of the closing transitions: the grant's final report is accepted."""
    from .implementation import ReportStatus

    return grant.progress_reports.filter(kind=ReportKind.FINAL,
                                         status=ReportStatus.ACCEPTED).exists()


class Grant(models.Model):
    application = models.OneToOneField(Application, on_delete=models.PROTECT,
                                       related_name="grant")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="grants")
    agenda_item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="grant")
    sequence = models.PositiveSmallIntegerField()
    agreement_number = models.CharField(_("agreement number"), max_length=32, unique=True)
    approved_usd = models.DecimalField(_("approved amount (USD)"), **MONEY)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = FSMField(_("status"), max_length=24, choices=GrantStatus.choices,
                      default=GrantStatus.PENDING_SIGNATURE, db_index=True)
    conditions = models.TextField(_("conditions"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("reason for the cancellation"), blank=True,
                                     max_length=4000)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspension_reason = models.TextField(_("reason for the suspension"), blank=True,
                                         max_length=4000)
    terminated_at = models.DateTimeField(_("terminated at"), null=True, blank=True)
    termination_reason = models.TextField(_("reason for the termination"), blank=True,
                                          max_length=4000)
    unspent_at_termination_usd = models.DecimalField(
        _("unspent balance at termination (USD)"), null=True, blank=True, **MONEY)
    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "sequence"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.UniqueConstraint(fields=["call", "sequence"], name="one_grant_sequence"),
            models.CheckConstraint(condition=Q(approved_usd__gt=0),
                                   name="grant_amount_positive"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")),
                                   name="grant_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.agreement_number

    @property
    def is_editable(self) -> bool:
        return self.status == GrantStatus.PENDING_SIGNATURE

    # --- transitions (run by grants/services/{awards,implementation}.py) ---

    @transition(field=status, source=GrantStatus.PENDING_SIGNATURE, target=GrantStatus.ACTIVE)
    def activate(self) -> None:
        """The secretariat countersigned the agreement the organisation signed."""

    @transition(field=status, source=GrantStatus.PENDING_SIGNATURE,
                target=GrantStatus.CANCELLED)
    def decline_agreement(self, *, reason: str, when) -> None:
        """The organisation declined the agreement: the grant is cancelled."""
        self.cancelled_at, self.cancel_reason = when, reason[:4000]

    @transition(field=status, source=CANCELLABLE, target=GrantStatus.CANCELLED)
    def cancel(self, *, reason: str) -> None:
        self.cancelled_at, self.cancel_reason = timezone.now(), reason[:4000]

    @transition(field=status, source=GrantStatus.ACTIVE, target=GrantStatus.CLOSING,
                conditions=[final_report_accepted])
    def start_closing(self) -> None:
        """The final report is accepted: the grant awaits its closure."""

    @transition(field=status, source=GrantStatus.CLOSING, target=GrantStatus.CLOSED,
                conditions=[final_report_accepted])
    def close(self) -> None:
        pass

    # --- suspension and termination (run by grants/services/suspensions.py) ---

    @transition(field=status, source=GrantStatus.ACTIVE, target=GrantStatus.SUSPENDED)
    def suspend(self, *, reason: str) -> None:
        """No payment until resumed; reports stay due."""
        self.suspended_at, self.suspension_reason = timezone.now(), reason[:4000]

    @transition(field=status, source=GrantStatus.SUSPENDED, target=GrantStatus.ACTIVE)
    def resume(self) -> None:
        """The suspension's time and reason stay as the last one's record (and in history)."""

    @transition(field=status, source=(GrantStatus.ACTIVE, GrantStatus.SUSPENDED),
                target=GrantStatus.TERMINATED)
    def terminate(self, *, reason: str, unspent_usd) -> None:
        self.terminated_at, self.termination_reason = timezone.now(), reason[:4000]
        self.unspent_at_termination_usd = unspent_usd


class TrancheCondition(models.TextChoices):
    ON_SIGNATURE = "on_signature", _("On signature of the agreement")
    AFTER_REPORT_N = "after_report_n", _("After the accepted interim report no. N")
    AFTER_FINAL_REPORT = "after_final_report", _("After the accepted final report")


class Tranche(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="tranches")
    position = models.PositiveSmallIntegerField()
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    amount_usd = models.DecimalField(_("amount (USD)"), **MONEY)
    condition = models.CharField(_("released"), max_length=24,
                                 choices=TrancheCondition.choices)
    report_number = models.PositiveSmallIntegerField(_("report no."), null=True, blank=True)
    planned_date = models.DateField(_("planned date"), null=True, blank=True)

    class Meta:
        ordering = ["grant", "position"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [
            models.UniqueConstraint(fields=["grant", "position"], name="one_tranche_position"),
            models.CheckConstraint(condition=Q(percent__gt=0) & Q(percent__lte=100),
                                   name="tranche_percent_range"),
            models.CheckConstraint(condition=Q(amount_usd__gt=0),
                                   name="tranche_amount_positive"),
            models.CheckConstraint(
                condition=Q(condition="after_report_n", report_number__isnull=False)
                | (~Q(condition="after_report_n") & Q(report_number__isnull=True)),
                name="tranche_report_number_when_needed"),
        ]

    def __str__(self) -> str:
        return f"{self.grant} #{self.position}: {self.percent} %"


class ReportKind(models.TextChoices):
    INTERIM = "interim", _("Interim report")
    FINAL = "final", _("Final report")


class ReportDue(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="reports_due")
    kind = models.CharField(_("kind"), max_length=16, choices=ReportKind.choices)
    number = models.PositiveSmallIntegerField(default=1)
    due_date = models.DateField(_("due date"))

    class Meta:
        ordering = ["grant", "due_date", "id"]
        verbose_name = _("report due")
        verbose_name_plural = _("reports due")
        constraints = [
            models.UniqueConstraint(fields=["grant", "kind", "number"],
                                    name="one_report_due_per_number"),
        ]

    def __str__(self) -> str:
        return f"{self.grant}: {self.get_kind_display()} {self.due_date}"

