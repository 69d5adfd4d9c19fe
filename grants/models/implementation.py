"""Grants in implementation: the signed agreement, bank details, disbursements against
tranches, progress reports (versions, expenditure, indicators) and the grant's closure."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from .applications import BudgetCategory, Service
from .awards import Grant, ReportDue, ReportKind, Tranche
from .board import MONEY

USER = settings.AUTH_USER_MODEL


class AgreementSignature(models.Model):
    """The NGO's acceptance (or refusal) of the agreement and the secretariat's countersignature."""

    grant = models.OneToOneField(Grant, on_delete=models.CASCADE, related_name="signature")
    signatory_name = models.CharField(_("signatory's name"), max_length=200, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=200, blank=True)
    signed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    terms_digest = models.CharField(max_length=64, blank=True,
                                    help_text=_("SHA-256 of the terms the organisation signed."))
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True, max_length=4000)
    countersigned_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+")
    countersigned_at = models.DateTimeField(_("countersigned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreement signature")
        verbose_name_plural = _("agreement signatures")

    def __str__(self) -> str:
        return f"{self.grant}: {self.signatory_name}"


class BankDetails(models.Model):
    grant = models.OneToOneField(Grant, on_delete=models.CASCADE, related_name="bank_details")
    account_holder = models.CharField(_("account holder"), max_length=200)
    account_number = models.CharField(_("IBAN or account number"), max_length=64)
    bank_name = models.CharField(_("bank name"), max_length=200)
    swift = models.CharField(_("SWIFT/BIC"), max_length=11, blank=True)
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["account_number"])

    class Meta:
        verbose_name = _("bank details")
        verbose_name_plural = _("bank details")

    def __str__(self) -> str:
        return f"{self.grant}: {self.masked}"

    @property
    def masked(self) -> str:
        digits = self.account_number.replace(" ", "")
        return "•" * max(len(digits) - 4, 0) + digits[-4:]

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Disbursement(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="disbursements")
    tranche = models.ForeignKey(Tranche, on_delete=models.PROTECT, related_name="disbursements")
    paid_on = models.DateField(_("paid on"))
    amount_usd = models.DecimalField(_("amount (USD)"), **MONEY)
    reference = models.CharField(_("payment reference"), max_length=64, unique=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [models.CheckConstraint(condition=Q(amount_usd__gt=0),
                                              name="disbursement_amount_positive")]

    def __str__(self) -> str:
        return f"{self.grant} {self.reference}: {self.amount_usd}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", pgettext_lazy("report status", "Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    ACCEPTED = "accepted", _("Accepted")


class ProgressReport(models.Model):
    """One version of a report due; a revision after a request for changes is a new version."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="progress_reports")
    report_due = models.ForeignKey(ReportDue, on_delete=models.PROTECT, related_name="versions")
    kind = models.CharField(_("kind"), max_length=16, choices=ReportKind.choices)
    version = models.PositiveSmallIntegerField(default=1)
    status = FSMField(_("status"), max_length=24, choices=ReportStatus.choices,
                      default=ReportStatus.DRAFT, db_index=True)
    achievements = models.TextField(_("achievements"), max_length=20000)
    challenges = models.TextField(_("challenges"), blank=True, max_length=20000)
    lessons = models.TextField(_("lessons learned"), blank=True, max_length=20000)
    story = models.TextField(_("a survivor-centred story"), blank=True, max_length=20000)
    consent_confirmed = models.BooleanField(_("the survivor consented; no identifying details"),
                                            default=False)
    victims_total = models.PositiveIntegerField(_("victims assisted"), default=0)
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("comments"), blank=True, max_length=8000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["grant_id", "report_due_id", "version"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(fields=["report_due", "version"], name="one_report_version"),
            models.CheckConstraint(condition=Q(consent_confirmed=True) | Q(story=""),
                                   name="report_story_needs_consent"),
        ]

    def __str__(self) -> str:
        return f"{self.grant}: {self.get_kind_display()} v{self.version}"

    # --- transitions (run by grants/services/implementation.py) ---

    @transition(field=status, source=ReportStatus.DRAFT, target=ReportStatus.SUBMITTED)
    def submit(self, *, by) -> None:
        self.submitted_by, self.submitted_at = by, timezone.now()

    @transition(field=status, source=ReportStatus.SUBMITTED, target=ReportStatus.ACCEPTED)
    def accept(self, *, by, comment: str = "") -> None:
        self._reviewed(by, comment)

    @transition(field=status, source=ReportStatus.SUBMITTED,
                target=ReportStatus.CHANGES_REQUESTED)
    def request_changes(self, *, by, comment: str) -> None:
        self._reviewed(by, comment)

    def _reviewed(self, by, comment: str) -> None:
        self.reviewed_by, self.reviewed_at = by, timezone.now()
        self.review_comment = comment[:8000]


class ExpenditureLine(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE,
                               related_name="expenditure")
    category = models.CharField(_("budget category"), max_length=32,
                                choices=BudgetCategory.choices)
    approved_usd = models.DecimalField(_("approved (USD)"), **MONEY)
    spent_usd = models.DecimalField(_("spent (USD)"), **MONEY)

    class Meta:
        ordering = ["report_id", "id"]
        verbose_name = _("expenditure line")
        verbose_name_plural = _("expenditure lines")
        constraints = [
            models.UniqueConstraint(fields=["report", "category"], name="one_expenditure_line"),
            models.CheckConstraint(condition=Q(approved_usd__gte=0) & Q(spent_usd__gte=0),
                                   name="expenditure_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.category}"

    @property
    def variance_usd(self):
        return self.spent_usd - self.approved_usd


class VictimGroup(models.TextChoices):
    WOMEN = "women", _("Women")
    GIRLS = "girls", _("Girls")
    MEN = "men", _("Men")
    BOYS = "boys", _("Boys")


class IndicatorDimension(models.TextChoices):
    GROUP = "group", _("Sex and age group")
    SERVICE = "service", _("Service type")


class Indicator(models.Model):
    """Victims assisted in one sex/age group or with one service (a person may get several)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE,
                               related_name="indicators")
    dimension = models.CharField(max_length=8, choices=IndicatorDimension.choices)
    key = models.CharField(max_length=24)
    count = models.PositiveIntegerField(_("victims assisted"))

    class Meta:
        ordering = ["report_id", "dimension", "key"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["report", "dimension", "key"],
                                    name="one_indicator_per_key"),
            models.CheckConstraint(
                condition=(Q(dimension="group") & Q(key__in=VictimGroup.values))
                | (Q(dimension="service") & Q(key__in=Service.values)),
                name="indicator_key_known"),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.dimension}/{self.key} = {self.count}"

    @property
    def label(self) -> str:
        """The group ("Girls") or service ("Shelter") as people read it, in the active
        language."""
        choices = VictimGroup if self.dimension == IndicatorDimension.GROUP else Service
        return str(choices(self.key).label) if self.key in choices.values else self.key


class UnspentTreatment(models.TextChoices):
    NONE = "none", _("Nothing unspent")
    REFUNDED = "refunded", _("Refunded to the fund")
    WRITTEN_OFF = "written_off", _("Written off")


class GrantClosure(models.Model):
    grant = models.OneToOneField(Grant, on_delete=models.PROTECT, related_name="closure")
    paid_usd = models.DecimalField(_("paid (USD)"), **MONEY)
    spent_usd = models.DecimalField(_("spent (USD)"), **MONEY)
    unspent_usd = models.DecimalField(_("unspent balance (USD)"), **MONEY)
    treatment = models.CharField(_("unspent balance"), max_length=16,
                                 choices=UnspentTreatment.choices)
    reason = models.TextField(_("reason"), blank=True, max_length=4000)
    closed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("grant closure")
        verbose_name_plural = _("grant closures")
        constraints = [models.CheckConstraint(
            condition=Q(paid_usd__gte=0) & Q(spent_usd__gte=0) & Q(unspent_usd__gte=0),
            name="closure_figures_not_negative")]

    def __str__(self) -> str:
        return f"{self.grant}: closed"
