from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

DEFAULT_TARGET_USD = Decimal("1500000.00")
MILESTONES = (50, 75, 100)


class AnnualTarget(models.Model):
    """The fund's income target for one year (USD 1.5 million unless the secretariat sets
    another); every change is kept in its history."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    amount_usd = models.DecimalField(_("target (USD)"), max_digits=14, decimal_places=2,
                                     default=DEFAULT_TARGET_USD)
    reason = models.CharField(_("reason for the change"), max_length=500, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual target")
        verbose_name_plural = _("annual targets")
        constraints = [
            models.CheckConstraint(condition=Q(amount_usd__gt=0), name="target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: USD {self.amount_usd:,.2f}"


class TargetMilestone(models.Model):
    """A share of a year's target reached; written once, when it first happens."""

    year = models.PositiveSmallIntegerField()
    percent = models.PositiveSmallIntegerField()
    received_usd = models.DecimalField(_("received (USD)"), max_digits=14, decimal_places=2)
    target_usd = models.DecimalField(_("target (USD)"), max_digits=14, decimal_places=2)
    reached_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "percent"]
        verbose_name = _("target milestone")
        verbose_name_plural = _("target milestones")
        constraints = [
            models.UniqueConstraint(fields=["year", "percent"], name="one_milestone_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.percent} %"
