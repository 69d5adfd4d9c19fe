from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .donors import Donor
from .pledges import Pledge


class Earmarking(models.TextChoices):
    UNEARMARKED = "unearmarked", _("Unearmarked")
    CALL = "call", _("A call for proposals")
    THEME = "theme", _("A theme")


class Theme(models.TextChoices):
    PREVENTION = "prevention", _("Prevention")
    PROTECTION = "protection", _("Protection")
    PROSECUTION = "prosecution", _("Prosecution")
    PARTNERSHIPS = "partnerships", _("Partnerships")


class RateSource(models.TextChoices):
    TABLE = "table", _("Rates table")
    MANUAL = "manual", _("Entered by hand")
    PAR = "par", _("USD (no conversion)")


class ContributionImport(models.Model):
    """An uploaded bank statement or finance export, previewed then imported as a whole."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        IMPORTED = "imported", _("Imported")

    file = models.FileField(upload_to="donor-imports/%Y/%m/")
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=8)
    sha256 = models.CharField("SHA-256", max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PREVIEWED)
    rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    total_usd = models.DecimalField(_("total (USD)"), max_digits=16, decimal_places=2,
                                    default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contribution import")
        verbose_name_plural = _("contribution imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class ReceiptSequence(models.Model):
    """The last receipt number issued for a year (locked while numbering)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("receipt number sequence")
        verbose_name_plural = _("receipt number sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Contribution(models.Model):
    """Money received. ``amount_usd`` = ``amount × exchange_rate``, half up to the cent
    (``donors.money.to_usd``); the rate recorded here is the one that counts."""

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="contributions",
                              db_index=False)  # covered by contribution_donor_recent
    pledge = models.ForeignKey(Pledge, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="contributions")
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    received_on = models.DateField(_("received on"))
    exchange_rate = models.DecimalField(_("exchange rate to USD"), max_digits=16,
                                        decimal_places=10)
    rate_source = models.CharField(max_length=8, choices=RateSource.choices,
                                   default=RateSource.TABLE)
    amount_usd = models.DecimalField(_("USD value"), max_digits=14, decimal_places=2)
    bank_reference = models.CharField(_("bank reference"), max_length=64, null=True,
                                      blank=True)
    earmarking = models.CharField(_("earmarking"), max_length=16, choices=Earmarking.choices,
                                  default=Earmarking.UNEARMARKED)
    earmark_call = models.ForeignKey("grants.Call", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("earmarked for call"))
    earmark_theme = models.CharField(_("earmarked for theme"), max_length=16,
                                     choices=Theme.choices, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=24, unique=True)
    receipt_language = models.CharField(max_length=8, default="en")
    note = models.TextField(_("note"), max_length=2000, blank=True)
    import_batch = models.ForeignKey(ContributionImport, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="contributions")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        indexes = [
            # Reports sum amount_usd by date and by donor: both are index-only scans on
            # PostgreSQL (amount_usd is in the key, as SQLite has no INCLUDE columns).
            models.Index(fields=["received_on", "donor", "amount_usd"],
                         name="contribution_received"),
            models.Index(fields=["donor", "-received_on", "amount_usd"],
                         name="contribution_donor_recent"),
            models.Index(fields=["currency", "-received_on"], name="contribution_currency"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contribution_amount_positive"),
            models.CheckConstraint(condition=Q(exchange_rate__gt=0),
                                   name="contribution_rate_positive"),
            models.CheckConstraint(condition=Q(amount_usd__gt=0), name="contribution_usd_positive"),
            models.UniqueConstraint(fields=["bank_reference"], name="unique_bank_reference",
                                    condition=Q(bank_reference__isnull=False)),
            models.CheckConstraint(
                condition=(Q(earmarking="call", earmark_call__isnull=False)
                           | ~Q(earmarking="call") & Q(earmark_call__isnull=True)),
                name="contribution_call_earmark"),
            models.CheckConstraint(
                condition=(Q(earmarking="theme") & ~Q(earmark_theme="")
                           | ~Q(earmarking="theme") & Q(earmark_theme="")),
                name="contribution_theme_earmark"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_number} {self.currency} {self.amount:,.2f}"

    @property
    def earmark_label(self) -> str:
        if self.earmarking == Earmarking.CALL and self.earmark_call_id:
            return str(_("Call no. %(n)s") % {"n": self.earmark_call.number})
        if self.earmarking == Earmarking.THEME:
            return str(self.get_earmark_theme_display())
        return str(Earmarking.UNEARMARKED.label)


class DonorYearTotal(models.Model):
    """What one donor gave in one calendar year: the USD sum and the number of its
    contributions. The reports, the fund summary and the transparency page read these few
    thousand rows instead of summing a million contributions.

    Contributions are never changed or deleted once recorded, so the totals only grow:
    ``donors.services.totals.totals_add`` adds each new contribution in the transaction that
    records it, and ``totals_rebuild`` recomputes them all from the contributions (the
    migration that created them, a bench's bulk load). ``totals_mismatches`` says where they
    would differ from the rows; a test holds it at none."""

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="year_totals",
                              verbose_name=_("donor"))
    year = models.PositiveSmallIntegerField(_("year"))
    amount_usd = models.DecimalField(_("received (USD)"), max_digits=18, decimal_places=2)
    contributions = models.PositiveIntegerField(_("contributions"))

    class Meta:
        verbose_name = _("donor's yearly total")
        verbose_name_plural = _("donors' yearly totals")
        constraints = [
            models.UniqueConstraint(fields=["donor", "year"], name="donor_year_total_unique"),
        ]
        indexes = [models.Index(fields=["year", "donor", "amount_usd"],
                                name="donor_year_total_by_year")]

    def __str__(self) -> str:
        return f"{self.donor_id} {self.year}: {self.amount_usd} USD"


class DonorTotal(models.Model):
    """What one donor gave since the fund's creation (USD, count) and the first year it
    gave: the largest donors and the donors of each type read these few thousand rows.
    Kept like ``DonorYearTotal``, in the same statements of ``donors.services.totals``."""

    donor = models.OneToOneField(Donor, on_delete=models.CASCADE, related_name="total",
                                 primary_key=True, verbose_name=_("donor"))
    amount_usd = models.DecimalField(_("received since creation (USD)"), max_digits=18,
                                     decimal_places=2)
    contributions = models.PositiveIntegerField(_("contributions"))
    first_year = models.PositiveSmallIntegerField(_("first year"))

    class Meta:
        verbose_name = _("donor's total since creation")
        verbose_name_plural = _("donors' totals since creation")
        indexes = [models.Index(fields=["-amount_usd", "donor"], name="donor_total_largest")]

    def __str__(self) -> str:
        return f"{self.donor_id}: {self.amount_usd} USD since {self.first_year}"
