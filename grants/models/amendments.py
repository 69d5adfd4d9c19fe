"""Changes to a signed grant: amendments and the versions of the agreement they produce.

An amendment is a no-cost extension (``new_end_date``), a budget revision (``budget_lines``:
the grant's new lines, same total; ``previous_lines`` the lines it replaces) or another
change (``details``). The secretariat approves or declines it with a reason; a budget
revision whose reallocations all stay under the threshold (``AMENDMENT_APPROVAL_THRESHOLD``)
is recorded without approval (``recorded_only``). An approved amendment produces a new
``AgreementVersion``: the agreement PDF as it then stood, kept for good.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from .awards import Grant

USER = settings.AUTH_USER_MODEL


class AmendmentKind(models.TextChoices):
    NO_COST_EXTENSION = "no_cost_extension", _("No-cost extension")
    BUDGET_REVISION = "budget_revision", _("Budget revision")
    OTHER = "other", _("Other change")


class AmendmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class Amendment(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="amendments")
    kind = models.CharField(_("kind"), max_length=24, choices=AmendmentKind.choices)
    reason = models.TextField(_("reason"), max_length=8000)
    details = models.TextField(_("the change"), blank=True, max_length=8000)
    new_end_date = models.DateField(_("new end date"), null=True, blank=True)
    previous_end_date = models.DateField(_("previous end date"), null=True, blank=True)
    budget_lines = models.JSONField(_("budget lines"), default=list, blank=True)
    previous_lines = models.JSONField(default=list, blank=True, editable=False)
    status = FSMField(_("status"), max_length=16, choices=AmendmentStatus.choices,
                      default=AmendmentStatus.REQUESTED, db_index=True)
    recorded_only = models.BooleanField(_("recorded without approval"), default=False)
    requested_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True,
                                       max_length=4000)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        constraints = [models.CheckConstraint(
            condition=~Q(kind="no_cost_extension") | Q(new_end_date__isnull=False),
            name="extension_has_new_end_date")]

    def __str__(self) -> str:
        return f"{self.grant}: {self.get_kind_display()}"

    # --- transitions (run by grants/services/amendments.py) ---

    @transition(field=status, source=AmendmentStatus.REQUESTED, target=AmendmentStatus.APPROVED)
    def approve(self, *, by, reason: str = "") -> None:
        self.decided_by, self.decided_at = by, timezone.now()
        self.decision_reason = (reason or "")[:4000]

    @transition(field=status, source=AmendmentStatus.REQUESTED, target=AmendmentStatus.DECLINED)
    def decline(self, *, by, reason: str) -> None:
        self.decided_by, self.decided_at = by, timezone.now()
        self.decision_reason = (reason or "")[:4000]


def agreement_version_path(instance: "AgreementVersion", filename: str) -> str:
    return f"agreements/{instance.grant_id}/v{instance.number}.pdf"


class AgreementVersion(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT,
                              related_name="agreement_versions")
    number = models.PositiveSmallIntegerField(_("version"))
    amendment = models.OneToOneField(Amendment, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="agreement_version")
    file = models.FileField(upload_to=agreement_version_path, max_length=255)
    terms = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["grant", "number"]
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        constraints = [models.UniqueConstraint(fields=["grant", "number"],
                                               name="one_agreement_version_number")]

    def __str__(self) -> str:
        return f"{self.grant} v{self.number}"
