"""Web forms of the donor pages: shapes only (types, lengths, decimals, known choices).

Rules that depend on data (rates in the table, a cancelled pledge, a bank reference already
recorded, dates in the future) live in ``donors.services`` and come back as field errors.
"""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import LazyTypedChoiceField

from donors.models import DonorType, Earmarking, PledgeStatus, Theme
from donors.money import MAX_AMOUNT, currency_choices
from fundapp.core.formatting import money
from fundapp.core.idempotency import FormTokenField
from fundapp.core.validators import single_line
from fundapp.core.widgets import SearchableSelect, country_choices

YEAR_MIN, YEAR_MAX = 2010, 2100


def amount_field(label, *, required=True, help_text=""):
    return forms.DecimalField(
        label=label, required=required, max_digits=16, decimal_places=2,
        max_value=MAX_AMOUNT, help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))


def rate_field(required=False):
    return forms.DecimalField(
        label=_("Exchange rate to USD"), required=required, max_digits=16, decimal_places=10,
        help_text=_("USD for one unit of the currency (e.g. 1.0850 for EUR). Leave empty to "
                    "use the rates table."),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _any_currency() -> list[tuple[str, str]]:
    return [("", _("All currencies")), *currency_choices()]


def currency_field():
    return forms.ChoiceField(label=_("Currency"), choices=currency_choices,
                             help_text=_("ISO 4217 code."))


class DonorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, validators=[single_line])
    donor_type = forms.ChoiceField(label=_("Type"), choices=DonorType.choices)
    country = LazyTypedChoiceField(label=_("Country"), choices=country_choices("—"),
                                   required=False, widget=SearchableSelect())
    anonymous = forms.BooleanField(
        label=_("Anonymous"), required=False,
        help_text=_("Shown as “Anonymous donor” on every public page, report and export."))
    language = forms.ChoiceField(label=_("Language for receipts"), choices=settings.LANGUAGES)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False,
                                   validators=[single_line])
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=50, required=False)
    address = forms.CharField(label=_("Postal address"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(label=_("Internal notes"), max_length=5000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    @staticmethod
    def initial_from(donor) -> dict:
        return {f: getattr(donor, f) for f in (
            "name", "donor_type", "anonymous", "language", "contact_name", "contact_email",
            "contact_phone", "address", "notes")} | {"country": donor.country.code or ""}


class LinkUserForm(forms.Form):
    username = forms.CharField(label=_("Username of the portal user"), max_length=150)


class PledgeForm(forms.Form):
    donor = forms.TypedChoiceField(label=_("Donor"), coerce=int)
    amount = amount_field(_("Amount"))
    currency = currency_field()
    year_from = forms.IntegerField(label=_("First year covered"), min_value=YEAR_MIN,
                                   max_value=YEAR_MAX)
    year_to = forms.IntegerField(label=_("Last year covered"), min_value=YEAR_MIN,
                                 max_value=YEAR_MAX, required=False,
                                 help_text=_("Leave empty for a one-year pledge."))
    pledged_on = forms.DateField(label=_("Pledged on"), widget=date_input())
    expected_on = forms.DateField(label=_("Payment expected on"), required=False,
                                  widget=date_input())
    exchange_rate = rate_field()
    note = forms.CharField(label=_("Note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    form_token = FormTokenField()

    def __init__(self, *args, donors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"].choices = [("", "—")] + [(d.pk, d.name) for d in donors]


class CancelPledgeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ContributionForm(forms.Form):
    donor = forms.TypedChoiceField(label=_("Donor"), coerce=int)
    amount = amount_field(_("Amount"))
    currency = currency_field()
    received_on = forms.DateField(label=_("Received on"), widget=date_input())
    exchange_rate = rate_field()
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=64, required=False)
    pledge = forms.TypedChoiceField(label=_("Settles pledge"), coerce=int, required=False,
                                    empty_value=None)
    earmarking = forms.ChoiceField(label=_("Earmarking"), choices=Earmarking.choices,
                                   initial=Earmarking.UNEARMARKED)
    earmark_call = forms.TypedChoiceField(label=_("Call"), coerce=int, required=False,
                                          empty_value=None)
    earmark_theme = forms.ChoiceField(label=_("Theme"), required=False,
                                      choices=[("", "—"), *Theme.choices])
    note = forms.CharField(label=_("Note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    confirm_duplicate = forms.BooleanField(
        label=_("Record it anyway: this is a second payment, not the same one entered twice"),
        required=False)
    form_token = FormTokenField()

    def __init__(self, *args, donors, pledges, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"].choices = [("", "—")] + [(d.pk, d.name) for d in donors]
        self.fields["pledge"].choices = [("", _("None"))] + [
            (p.pk, f"{p.donor.name} · {money(p.amount, p.currency)} · {p.years_label}")
            for p in pledges]
        self.fields["earmark_call"].choices = [("", "—")] + [
            (c.pk, str(c)) for c in calls]
        self.fields["received_on"].initial = timezone.localdate()


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"),
                           help_text=_("Columns: donor (or donor_id), amount, currency, "
                                       "received_on (YYYY-MM-DD), bank_reference; optional: "
                                       "exchange_rate, pledge, earmarking, call, theme, note. "
                                       "CSV files must be UTF-8."))


class RateForm(forms.Form):
    currency = currency_field()
    valid_on = forms.DateField(label=_("Valid from"), widget=date_input())
    rate = forms.DecimalField(label=_("USD per unit"), max_digits=16, decimal_places=10,
                              min_value=Decimal("0.0000000001"),
                              widget=forms.NumberInput(attrs={"step": "any"}))
    source = forms.CharField(label=_("Source"), max_length=200, required=False,
                             help_text=_("e.g. UN operational rate of exchange"))


class TargetForm(forms.Form):
    amount_usd = forms.DecimalField(label=_("Target (USD)"), max_digits=14, decimal_places=2,
                                    min_value=Decimal("0.01"),
                                    widget=forms.NumberInput(attrs={"step": "0.01"}))
    reason = forms.CharField(label=_("Reason for the change"), max_length=500, required=False)


def year_choices(years) -> list:
    return [("", _("All years"))] + [(y, y) for y in years]


class ContributionFilterForm(forms.Form):
    SORTS = {"received": "received_on", "donor": "donor__name", "amount": "amount",
             "usd": "amount_usd", "receipt": "receipt_number"}
    q = forms.CharField(label=_("Search"), max_length=100, required=False,
                        help_text=_("Receipt, bank reference or donor"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False,
                                  empty_value=None)
    donor_type = forms.ChoiceField(label=_("Donor type"), required=False,
                                   choices=[("", _("All types")), *DonorType.choices])
    currency = forms.ChoiceField(label=_("Currency"), required=False,
                                 choices=_any_currency)
    earmarking = forms.ChoiceField(label=_("Earmarking"), required=False,
                                   choices=[("", _("All")), *Earmarking.choices])
    donor = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1,
                               max_value=2**63 - 1)
    sort = forms.ChoiceField(required=False, choices=[
        (f"{sign}{key}", key) for key in SORTS for sign in ("", "-")])

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(years)

    def ordering(self) -> list:
        sort = self.cleaned_data.get("sort") or "-received"
        column = self.SORTS[sort.lstrip("-")]
        return [f"-{column}" if sort.startswith("-") else column, "-id"]


class PledgeFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year covered"), coerce=int, required=False,
                                  empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *PledgeStatus.choices])
    currency = forms.ChoiceField(label=_("Currency"), required=False,
                                 choices=_any_currency)
    donor = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1,
                               max_value=2**63 - 1)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(years)


class DonorFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False,
                        help_text=_("Name or contact"))
    donor_type = forms.ChoiceField(label=_("Type"), required=False,
                                   choices=[("", _("All types")), *DonorType.choices])
    country = LazyTypedChoiceField(label=_("Country"), required=False,
                                   choices=country_choices(_("All countries")))


class YearForm(forms.Form):
    year = forms.IntegerField(required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)
