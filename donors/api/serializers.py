"""Shapes of the donor API. Money is a string with two decimals; rates keep ten.

Rules that depend on data (rates in the table, cancelled pledges, bank references already
recorded, dates in the future) live in the services and come back as field errors.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from donors.models import DonorType, Earmarking, PledgeStatus, RateSource, Theme
from donors.money import MAX_AMOUNT
from fundapp.accounts.roles import user_can
from fundapp.core.validators import single_line

INT_MAX = 2**63 - 1


def amount_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kwargs)


def usd_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


def rate_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=16, decimal_places=10, **kwargs)


@extend_schema_field({"type": "string", "pattern": "^[A-Z]{2}$", "example": "SE"})
class CountryCodeField(serializers.CharField):
    default_error_messages = {"unknown": _("Unknown country code: {code}.")}

    def to_internal_value(self, data):
        code = super().to_internal_value(data).strip().upper()
        if code and code not in countries:
            self.fail("unknown", code=code[:12])
        return code

    def to_representation(self, value):
        return getattr(value, "code", value) or ""


class CurrencyField(serializers.CharField):
    """An ISO 4217 code; unknown codes are refused by the services with a clear message."""

    def __init__(self, **kwargs):
        super().__init__(max_length=3, min_length=3, **kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(data).strip().upper()


class DonorSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200, validators=[single_line])
    donor_type = serializers.ChoiceField(choices=DonorType.choices)
    country = CountryCodeField(required=False, allow_blank=True, max_length=2)
    anonymous = serializers.BooleanField(required=False, help_text=_(
        "Shown as “Anonymous donor” on every public page, report and export."))
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                         validators=[single_line])
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=50, required=False, allow_blank=True)
    address = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True,
                                  help_text=_("Internal: shown to the secretariat only."))
    users = serializers.SerializerMethodField(help_text=_("Portal users (secretariat only)."))
    created_at = serializers.DateTimeField(read_only=True)

    def get_users(self, donor) -> list[str]:
        return [u.username for u in donor.users.all()]

    def to_representation(self, donor):
        data = super().to_representation(donor)
        request = self.context.get("request")
        if request is not None and not user_can(request.user, "donor.manage"):
            data.pop("notes", None)
            data.pop("users", None)
        return data


class PledgeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    donor = serializers.IntegerField(source="donor_id", min_value=1, max_value=INT_MAX)
    donor_name = serializers.CharField(source="donor.name", read_only=True)
    amount = amount_field(max_value=MAX_AMOUNT)
    currency = CurrencyField()
    exchange_rate = rate_field(required=False, allow_null=True, help_text=_(
        "USD per unit on the day of the pledge (indicative); default: the rates table."))
    amount_usd = usd_field(read_only=True, help_text=_("Indicative USD value."))
    year_from = serializers.IntegerField(min_value=2010, max_value=2100)
    year_to = serializers.IntegerField(min_value=2010, max_value=2100, required=False)
    pledged_on = serializers.DateField()
    expected_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=PledgeStatus.choices, read_only=True)
    paid_amount = amount_field(read_only=True)
    outstanding = amount_field(read_only=True)
    received_on = serializers.DateField(read_only=True, source="last_received_on", allow_null=True,
                                        help_text=_("Date of the latest payment, if any."))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    cancel_reason = serializers.CharField(read_only=True)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ContributionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    donor = serializers.IntegerField(source="donor_id", min_value=1, max_value=INT_MAX)
    donor_name = serializers.CharField(source="donor.name", read_only=True)
    pledge = serializers.IntegerField(source="pledge_id", required=False, allow_null=True,
                                      min_value=1, max_value=INT_MAX)
    amount = amount_field(max_value=MAX_AMOUNT)
    currency = CurrencyField()
    received_on = serializers.DateField()
    exchange_rate = rate_field(required=False, allow_null=True, help_text=_(
        "USD per unit of the currency; default: the rates table on the day received."))
    rate_source = serializers.ChoiceField(choices=RateSource.choices, read_only=True)
    amount_usd = usd_field(read_only=True, help_text=_(
        "amount × exchange_rate, rounded half up to the cent."))
    bank_reference = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                           allow_null=True)
    earmarking = serializers.ChoiceField(choices=Earmarking.choices, required=False,
                                         default=Earmarking.UNEARMARKED)
    earmark_call = serializers.IntegerField(source="earmark_call_id", required=False,
                                            allow_null=True, min_value=1, max_value=INT_MAX)
    earmark_theme = serializers.ChoiceField(choices=Theme.choices, required=False,
                                            allow_blank=True)
    receipt_number = serializers.CharField(read_only=True)
    receipt_url = serializers.SerializerMethodField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    created_at = serializers.DateTimeField(read_only=True)
    confirm_duplicate = serializers.BooleanField(write_only=True, default=False, help_text=_(
        "Without a bank reference, a contribution identical to a recorded one (donor, amount, "
        "currency, date) is refused with 409 and `duplicate_of`; send true to record it "
        "anyway."))

    def get_receipt_url(self, contribution) -> str:
        return reverse("contribution-receipt", args=[contribution.pk])


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=False, help_text=_(
        "Only preview: say what would happen to each row, save nothing."))


class ImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    status = serializers.CharField()
    messages = serializers.ListField(child=serializers.CharField())
    donor = serializers.CharField()
    amount = amount_field(allow_null=True)
    currency = serializers.CharField()
    received_on = serializers.DateField(allow_null=True)
    exchange_rate = rate_field(allow_null=True)
    amount_usd = usd_field(allow_null=True)
    bank_reference = serializers.CharField()
    receipt_number = serializers.CharField()


class ExchangeRateSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    currency = CurrencyField()
    valid_on = serializers.DateField()
    rate = rate_field()
    source = serializers.CharField(max_length=200, required=False, allow_blank=True)


class AnnualTargetSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2010, max_value=2100)
    amount_usd = usd_field()
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)
    updated_at = serializers.DateTimeField(read_only=True)
