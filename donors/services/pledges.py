"""Writes on pledges: recording, cancelling, and settling by contributions."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from donors.models import Donor, Pledge
from donors.money import to_usd
from donors.selectors.rates import rate_on
from fundapp.core.audit import audit_record
from fundapp.core.errors import Errors, ValidationFailed
from fundapp.core.fsm import require_transition
from fundapp.core.locks import lock

from .common import check_amount, check_currency, check_rate, require_manager

MIN_YEAR, MAX_YEAR = 2010, 2100


def _check_years(year_from, year_to, errors: Errors) -> None:
    for field, year in (("year_from", year_from), ("year_to", year_to)):
        if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
            errors.add(field, _("Enter a year between %(a)s and %(b)s.")
                       % {"a": MIN_YEAR, "b": MAX_YEAR})
    if not errors and year_to < year_from:
        errors.add("year_to", _("The last year covered cannot be before the first."))


def _pledge_rate(currency: str, pledged_on: date, rate, errors: Errors) -> Decimal | None:
    if currency == "USD":
        return Decimal(1)
    if rate is not None:
        check_rate(rate, errors)
        return rate
    found = rate_on(currency, pledged_on) if currency and isinstance(pledged_on, date) else None
    if found is None and currency:
        errors.add("exchange_rate", _("No exchange rate for %(c)s on or before %(d)s: enter "
                                      "the rate, or add it to the rates table.")
                   % {"c": currency, "d": pledged_on})
    return found.rate if found else None


@transaction.atomic
def pledge_create(*, actor, donor: Donor, amount: Decimal, currency: str, year_from: int,
                  year_to: int | None = None, pledged_on: date, expected_on: date | None = None,
                  exchange_rate: Decimal | None = None, note: str = "") -> Pledge:
    require_manager(actor)
    errors = Errors()
    currency = check_currency(currency, errors)
    check_amount(amount, currency, errors)
    year_to = year_to if year_to is not None else year_from
    _check_years(year_from, year_to, errors)
    if not isinstance(pledged_on, date):
        errors.add("pledged_on", _("Enter the date of the pledge (YYYY-MM-DD)."))
    if expected_on is not None and isinstance(pledged_on, date) and expected_on < pledged_on:
        errors.add("expected_on", _("Payment cannot be expected before the pledge was made."))
    rate = _pledge_rate(currency, pledged_on, exchange_rate, errors)
    errors.raise_if_any()
    pledge = Pledge.objects.create(
        donor=donor, amount=amount, currency=currency, exchange_rate=rate,
        amount_usd=to_usd(amount, rate), year_from=year_from, year_to=year_to,
        pledged_on=pledged_on, expected_on=expected_on, note=(note or "")[:2000],
        created_by=actor)
    audit_record(actor=actor, verb="pledge.create", target=pledge, after={
        "donor": donor.pk, "amount": amount, "currency": currency, "years": pledge.years_label,
        "exchange_rate": rate, "amount_usd": pledge.amount_usd})
    return pledge


@transaction.atomic
def pledge_cancel(*, actor, pledge: Pledge, reason: str = "") -> Pledge:
    """Cancel what is left of a pledge; contributions already received stay recorded."""
    require_manager(actor)
    pledge = lock(Pledge, pledge.pk)
    require_transition(pledge.cancel, _("A %(status)s pledge cannot be cancelled.")
                       % {"status": pledge.get_status_display().lower()})
    if not (reason or "").strip():
        raise ValidationFailed.on("reason", _("Say why the pledge is cancelled."))
    before = pledge.status
    pledge.cancel(reason=reason.strip())
    pledge.save(update_fields=["status", "cancel_reason"])
    audit_record(actor=actor, verb="pledge.cancel", target=pledge, before={"status": before},
                 after={"status": pledge.status}, note=pledge.cancel_reason)
    return pledge


def pledges_settle(pledge_ids: Iterable[int]) -> None:
    """Recompute paid amount and status of pledges from their contributions (locked)."""
    for pk in sorted(set(pledge_ids)):
        pledge = lock(Pledge, pk)
        paid = pledge.contributions.aggregate(s=Sum("amount"))["s"] or Decimal(0)
        pledge.paid_amount = paid
        if can_proceed(pledge.settle):  # a cancelled pledge stays cancelled
            pledge.settle()
        pledge.save(update_fields=["paid_amount", "status"])
