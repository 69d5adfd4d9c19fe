from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExchangeRate(models.Model):
    """USD value of one unit of ``currency`` from ``valid_on`` (e.g. the UN operational rate
    of the month). A contribution takes by default the latest rate on or before the day it
    was received; the rate recorded on the contribution is what counts afterwards."""

    currency = models.CharField(_("currency"), max_length=3)
    valid_on = models.DateField(_("valid from"))
    rate = models.DecimalField(_("USD per unit"), max_digits=16, decimal_places=10)
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["currency", "-valid_on"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_on"], name="one_rate_per_day"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.valid_on}: {self.rate}"
