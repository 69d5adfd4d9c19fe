"""A frozen portfolio recommendation: the snapshot the Board of Trustees decides on."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .calls import Call


class PortfolioRecommendation(models.Model):
    """One finalised version of a call's recommendation; a later change is a new version."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="recommendations")
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    envelope_usd = models.DecimalField(_("envelope (USD)"), max_digits=14, decimal_places=2)
    total_usd = models.DecimalField(_("total (USD)"), max_digits=14, decimal_places=2)
    total_score = models.DecimalField(max_digits=12, decimal_places=2)
    solver_status = models.CharField(max_length=32)
    parameters = models.JSONField(default=dict, blank=True)  # weights, normalisation, constraints
    rank_cut = models.JSONField(default=dict, blank=True)  # comparison with the plain rank cut
    note = models.TextField(_("reason for the change"), blank=True, max_length=4000)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    finalised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "-version"]
        verbose_name = _("portfolio recommendation")
        verbose_name_plural = _("portfolio recommendations")
        constraints = [
            models.UniqueConstraint(fields=["call", "version"], name="one_version_number"),
            models.UniqueConstraint(fields=["call"], condition=Q(is_current=True),
                                    name="one_current_recommendation_per_call"),
        ]

    def __str__(self) -> str:
        return f"{self.call} v{self.version}"


class PortfolioItem(models.Model):
    recommendation = models.ForeignKey(PortfolioRecommendation, on_delete=models.CASCADE,
                                       related_name="items")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField(null=True, blank=True)
    total_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    requested_usd = models.DecimalField(_("requested (USD)"), max_digits=14, decimal_places=2)
    included = models.BooleanField()
    reserve_position = models.PositiveIntegerField(null=True, blank=True)
    reason_code = models.CharField(max_length=64)
    reason_text = models.TextField(blank=True)
    breakdown = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["recommendation", "rank", "id"]
        verbose_name = _("portfolio item")
        verbose_name_plural = _("portfolio items")
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "application"],
                                    name="one_item_per_application"),
            models.CheckConstraint(condition=Q(included=False) | Q(reserve_position__isnull=True),
                                   name="included_items_are_not_reserve"),
        ]

    def __str__(self) -> str:
        return f"{self.application} ({self.reason_code})"
