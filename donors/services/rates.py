"""Writes on the exchange-rates table."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from donors.models import ExchangeRate
from fundapp.core.audit import audit_record
from fundapp.core.errors import Errors

from .common import check_currency, check_rate, require_manager


@transaction.atomic
def exchange_rate_set(*, actor, currency: str, valid_on: date, rate: Decimal,
                      source: str = "") -> ExchangeRate:
    """Add the rate of ``currency`` from ``valid_on``, or correct that day's rate.

    Contributions already recorded keep the rate they were recorded with.
    """
    require_manager(actor)
    errors = Errors()
    currency = check_currency(currency, errors)
    if currency == "USD":
        errors.add("currency", _("USD needs no rate: its rate is always 1."))
    check_rate(rate, errors, "rate")
    if not isinstance(valid_on, date):
        errors.add("valid_on", _("Enter the date the rate applies from (YYYY-MM-DD)."))
    errors.raise_if_any()
    row = ExchangeRate.objects.select_for_update().filter(currency=currency,
                                                          valid_on=valid_on).first()
    before = {"rate": row.rate, "source": row.source} if row else {}
    if row is None:
        row = ExchangeRate(currency=currency, valid_on=valid_on, created_by=actor)
    row.rate, row.source = rate, (source or "")[:200]
    row.save()
    audit_record(actor=actor, verb="exchange_rate.set", target=row, before=before,
                 after={"currency": currency, "valid_on": valid_on, "rate": rate,
                        "source": row.source})
    return row
