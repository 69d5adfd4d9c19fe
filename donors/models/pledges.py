from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition

from .donors import Donor


class PledgeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


SETTLING = (PledgeStatus.OPEN, PledgeStatus.PARTLY_PAID, PledgeStatus.PAID)


class Pledge(models.Model):
    """A promise to give ``amount`` in ``currency`` for the years ``year_from``–``year_to``.

    ``status`` and ``paid_amount`` are kept by the services: contributions in the pledge's
    currency settle it; only a cancellation is a separate action. ``exchange_rate`` and
    ``amount_usd`` are indicative (the rate on the day of the pledge).
    """

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="pledges")
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    exchange_rate = models.DecimalField(_("exchange rate to USD"), max_digits=16,
                                        decimal_places=10)
    amount_usd = models.DecimalField(_("indicative USD value"), max_digits=14,
                                     decimal_places=2)
    year_from = models.PositiveSmallIntegerField(_("first year covered"))
    year_to = models.PositiveSmallIntegerField(_("last year covered"))
    pledged_on = models.DateField(_("pledged on"))
    expected_on = models.DateField(_("payment expected on"), null=True, blank=True)
    status = FSMField(_("status"), max_length=16, choices=PledgeStatus.choices,
                      default=PledgeStatus.OPEN, db_index=True)
    paid_amount = models.DecimalField(_("paid so far"), max_digits=16, decimal_places=2,
                                      default=0)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pledged_on", "-id"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        indexes = [models.Index(fields=["donor", "-pledged_on"]),
                   models.Index(fields=["year_from", "year_to"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="pledge_amount_positive"),
            models.CheckConstraint(condition=Q(exchange_rate__gt=0), name="pledge_rate_positive"),
            models.CheckConstraint(condition=Q(year_to__gte=F("year_from")),
                                   name="pledge_years_ordered"),
            models.CheckConstraint(condition=Q(paid_amount__gte=0), name="pledge_paid_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.donor} {self.currency} {self.amount:,.2f} ({self.years_label})"

    @property
    def years_label(self) -> str:
        if self.year_from == self.year_to:
            return str(self.year_from)
        return f"{self.year_from}–{self.year_to}"

    @property
    def outstanding(self):
        if self.status == PledgeStatus.CANCELLED:
            return 0
        return max(self.amount - self.paid_amount, 0)

    # --- transitions (run by donors/services/pledges.py) ---

    @transition(field=status, source=[PledgeStatus.OPEN, PledgeStatus.PARTLY_PAID],
                target=PledgeStatus.CANCELLED)
    def cancel(self, *, reason: str) -> None:
        """Cancel what is left; contributions already received stay recorded."""
        self.cancel_reason = reason[:500]

    @transition(field=status, source=SETTLING, target=RETURN_VALUE(*SETTLING))
    def settle(self) -> str:
        """The state ``paid_amount`` gives: open, partly paid or paid (not when cancelled)."""
        if self.paid_amount <= 0:
            return PledgeStatus.OPEN
        return PledgeStatus.PAID if self.paid_amount >= self.amount else PledgeStatus.PARTLY_PAID

    @property
    def payment_year(self) -> int:
        """The year the rest is expected: the expected date's, else the last year covered."""
        return self.expected_on.year if self.expected_on else self.year_to
