"""Pieces shared by the donor services: who may write, and the checks on money."""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from donors.money import MAX_AMOUNT, MAX_RATE, NO_MINOR_UNITS, is_currency
from fundapp.accounts.roles import user_can
from fundapp.core.errors import Errors, NotAllowed

FUND_CREATED = date(2010, 7, 30)  # General Assembly resolution 64/293


def require_manager(actor) -> None:
    """The secretariat writes donor records; ``None`` is the system (seeding, tasks)."""
    if actor is not None and not user_can(actor, "donor.manage"):
        raise NotAllowed(_("Only the fund's secretariat can record donors and contributions."))


def check_currency(code: str | None, errors: Errors, field: str = "currency") -> str:
    code = (code or "").strip().upper()
    if not code:
        errors.add(field, _("Enter the currency (ISO 4217 code, e.g. EUR)."))
    elif not is_currency(code):
        errors.add(field, _("Unknown currency code: %(code)s. Use an ISO 4217 code such as "
                            "USD, EUR or JPY.") % {"code": code[:12]})
    return code


def check_amount(amount, currency: str, errors: Errors, field: str = "amount") -> None:
    if amount is None:
        errors.add(field, _("Enter the amount."))
    elif not isinstance(amount, Decimal):
        errors.add(field, _("Enter the amount as a number, e.g. 250000.00."))
    elif amount <= 0:
        errors.add(field, _("The amount must be greater than zero."))
    elif amount > MAX_AMOUNT:
        errors.add(field, _("The amount is too large."))
    elif currency in NO_MINOR_UNITS and amount != amount.to_integral_value():
        errors.add(field, _("%(currency)s has no decimals: enter a whole amount.")
                   % {"currency": currency})


def check_rate(rate, errors: Errors, field: str = "exchange_rate") -> None:
    if not isinstance(rate, Decimal):
        errors.add(field, _("Enter the exchange rate as a number."))
    elif rate <= 0:
        errors.add(field, _("The exchange rate must be greater than zero."))
    elif rate > MAX_RATE or -rate.as_tuple().exponent > 10:
        errors.add(field, _("Use at most 6 digits before and 10 after the decimal point."))


def check_received_on(day, errors: Errors, field: str = "received_on") -> None:
    if not isinstance(day, date):
        errors.add(field, _("Enter the date the money was received (YYYY-MM-DD)."))
    elif day > timezone.localdate():
        errors.add(field, _("Money cannot be received in the future: %(day)s is after today.")
                   % {"day": day.isoformat()})
    elif day < FUND_CREATED:
        errors.add(field, _("The fund was created on 30 July 2010: %(day)s is earlier.")
                   % {"day": day.isoformat()})
