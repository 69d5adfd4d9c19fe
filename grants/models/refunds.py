"""Unspent funds an organisation returned to the fund. A refund raises the fund's available
balance and is reported as a negative disbursement (IATI transaction type 3)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .awards import Grant
from .board import MONEY

USER = settings.AUTH_USER_MODEL


class Refund(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="refunds")
    amount_usd = models.DecimalField(_("amount (USD)"), **MONEY)
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("bank reference"), max_length=64, unique=True)
    note = models.TextField(_("note"), blank=True, max_length=4000)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [models.CheckConstraint(condition=Q(amount_usd__gt=0),
                                              name="refund_amount_positive")]

    def __str__(self) -> str:
        return f"{self.grant}: {self.amount_usd} USD on {self.received_on}"
