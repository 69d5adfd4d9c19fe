"""Recording contributions: checks, USD value, receipt number, pledge settlement, thanks.

The same checks serve a single contribution (``contribution_record``) and every row of a
bulk import (``donors.services.imports``), so both refuse the same input with the same words.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from donors.models import (
    Contribution,
    Donor,
    Earmarking,
    Pledge,
    PledgeStatus,
    RateSource,
    ReceiptSequence,
    Theme,
)
from donors.money import format_amount, to_usd
from donors.selectors.rates import RATE_MAX_AGE_DAYS, rate_on
from donors.services.totals import totals_add
from fundapp.core.audit import audit_record
from fundapp.core.errors import Errors, StateConflict, ValidationFailed
from fundapp.core.locks import lock
from fundapp.notifications.services import notify

from .common import (
    check_amount,
    check_currency,
    check_rate,
    check_received_on,
    require_manager,
)
from .pledges import pledges_settle
from .targets import milestones_check

RECEIPT_FORMAT = "VTF-{year}-{number:05d}"


@dataclass
class ContributionInput:
    donor: Donor | None
    amount: Decimal | None
    currency: str
    received_on: date | None
    exchange_rate: Decimal | None = None
    bank_reference: str | None = None
    pledge: Pledge | None = None
    earmarking: str = Earmarking.UNEARMARKED
    earmark_call: object | None = None  # grants.models.Call
    earmark_theme: str = ""
    note: str = ""
    confirm_duplicate: bool = False  # record even if an identical one exists


class DuplicateContribution(StateConflict):
    """An identical contribution without a bank reference: the person confirms or stops."""

    def __init__(self, earlier: Contribution):
        self.earlier = earlier
        super().__init__(_(
            "A contribution of %(a)s from this donor received on %(d)s is already recorded "
            "(receipt %(r)s). If this is a second payment, confirm to record it anyway.")
            % {"a": format_amount(earlier.amount, earlier.currency),
               "d": earlier.received_on.isoformat(), "r": earlier.receipt_number})

    def as_data(self) -> dict:
        e = self.earlier
        return {"detail": str(self.message), "duplicate_of": {
            "id": e.pk, "received_on": e.received_on.isoformat(), "amount": f"{e.amount:.2f}",
            "currency": e.currency, "receipt_number": e.receipt_number}}


@dataclass
class Checked:
    errors: Errors = field(default_factory=Errors)
    conflicts: Errors = field(default_factory=Errors)  # state problems (409)
    rate: Decimal | None = None
    rate_source: str = RateSource.TABLE
    amount_usd: Decimal | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and not self.conflicts


RateLookup = Callable[[str, date], Decimal | None]


def _table_rate(currency: str, day: date) -> Decimal | None:
    found = rate_on(currency, day)
    return found.rate if found else None


def check_contribution(inp: ContributionInput, rate_lookup: RateLookup = _table_rate) -> Checked:
    """Every rule on one contribution except the bank reference's uniqueness."""
    result = Checked()
    errors = result.errors
    if inp.donor is None:
        errors.add("donor", _("Choose the donor."))
    inp.currency = check_currency(inp.currency, errors)
    check_amount(inp.amount, inp.currency, errors)
    check_received_on(inp.received_on, errors)
    inp.bank_reference = (inp.bank_reference or "").strip()[:64] or None
    _check_rate(inp, result, rate_lookup)
    _check_pledge(inp, result)
    _check_earmark(inp, errors)
    if not errors and result.rate is not None:
        result.amount_usd = to_usd(inp.amount, result.rate)
        if result.amount_usd <= 0:
            errors.add("amount", _("This amount is worth less than one US cent."))
    return result


def _check_rate(inp: ContributionInput, result: Checked, rate_lookup: RateLookup) -> None:
    if inp.currency == "USD":
        if inp.exchange_rate is not None and inp.exchange_rate != 1:
            result.errors.add("exchange_rate", _("A USD contribution has an exchange rate of 1."))
        result.rate, result.rate_source = Decimal(1), RateSource.PAR
    elif inp.exchange_rate is not None:
        check_rate(inp.exchange_rate, result.errors)
        result.rate, result.rate_source = inp.exchange_rate, RateSource.MANUAL
    elif inp.currency and "currency" not in result.errors and isinstance(inp.received_on, date):
        result.rate = rate_lookup(inp.currency, inp.received_on)
        if result.rate is None:
            result.errors.add("exchange_rate", _(
                "No exchange rate for %(c)s on or before %(d)s (within %(n)s days): enter the "
                "rate, or add it to the rates table.")
                % {"c": inp.currency, "d": inp.received_on.isoformat(), "n": RATE_MAX_AGE_DAYS})


def _check_pledge(inp: ContributionInput, result: Checked) -> None:
    pledge = inp.pledge
    if pledge is None:
        return
    if inp.donor is not None and pledge.donor_id != inp.donor.pk:
        result.errors.add("pledge", _("This pledge belongs to another donor."))
    elif pledge.status == PledgeStatus.CANCELLED:
        result.conflicts.add("pledge", _("The pledge is cancelled: contributions can no longer "
                                         "settle it."))
    elif inp.currency and pledge.currency != inp.currency:
        result.errors.add("currency", _("The pledge is in %(c)s: a contribution settling it "
                                        "must be in %(c)s too.") % {"c": pledge.currency})


def _check_earmark(inp: ContributionInput, errors: Errors) -> None:
    if inp.earmarking not in Earmarking.values:
        errors.add("earmarking", _("Choose unearmarked, a call or a theme."))
    elif inp.earmarking == Earmarking.CALL and inp.earmark_call is None:
        errors.add("earmark_call", _("Choose the call the contribution is earmarked for."))
    elif inp.earmarking == Earmarking.THEME and inp.earmark_theme not in Theme.values:
        errors.add("earmark_theme", _("Choose the theme the contribution is earmarked for."))
    if inp.earmarking != Earmarking.CALL:
        inp.earmark_call = None
    if inp.earmarking != Earmarking.THEME:
        inp.earmark_theme = ""


def receipt_numbers(year: int, count: int) -> list[str]:
    """Reserve ``count`` consecutive receipt numbers of ``year`` (row-locked counter)."""
    ReceiptSequence.objects.get_or_create(year=year)
    sequence = lock(ReceiptSequence, year)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return [RECEIPT_FORMAT.format(year=year, number=n) for n in range(first, first + count)]


def build_contribution(inp: ContributionInput, checked: Checked, *, actor, receipt: str,
                       batch=None) -> Contribution:
    return Contribution(
        donor=inp.donor, pledge=inp.pledge, amount=inp.amount, currency=inp.currency,
        received_on=inp.received_on, exchange_rate=checked.rate,
        rate_source=checked.rate_source, amount_usd=checked.amount_usd,
        bank_reference=inp.bank_reference, earmarking=inp.earmarking,
        earmark_call=inp.earmark_call, earmark_theme=inp.earmark_theme,
        receipt_number=receipt, receipt_language=inp.donor.language or "en",
        note=(inp.note or "")[:2000], import_batch=batch,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None)


def _check_duplicate(values: ContributionInput) -> None:
    """Without a bank reference, the same donor, amount, currency and day needs a confirm.

    The donor's row is locked so that identical posts arriving together see each other.
    """
    if values.bank_reference or values.confirm_duplicate:
        return
    lock(Donor, values.donor.pk)
    earlier = (Contribution.objects.filter(
        donor=values.donor, amount=values.amount, currency=values.currency,
        received_on=values.received_on).order_by("id").first())
    if earlier is not None:
        raise DuplicateContribution(earlier)


def _existing_reference(reference: str | None) -> Contribution | None:
    if not reference:
        return None
    return Contribution.objects.filter(bank_reference=reference).first()


@transaction.atomic
def contribution_record(*, actor, values: ContributionInput) -> Contribution:
    """Record money received, number its receipt, settle its pledge, thank the donor."""
    require_manager(actor)
    checked = check_contribution(values)
    checked.errors.raise_if_any()
    checked.conflicts.raise_if_any(StateConflict)
    if values.pledge is not None:
        values.pledge = lock(Pledge, values.pledge.pk)
        if values.pledge.status == PledgeStatus.CANCELLED:
            raise StateConflict.on(
                "pledge", _("The pledge is cancelled: contributions can no longer settle it."))
    _check_duplicate(values)
    existing = _existing_reference(values.bank_reference)
    if existing is not None:
        raise ValidationFailed.on(
            "bank_reference", _("This bank reference is already recorded (receipt %(r)s).")
            % {"r": existing.receipt_number})
    receipt = receipt_numbers(values.received_on.year, 1)[0]
    contribution = build_contribution(values, checked, actor=actor, receipt=receipt)
    try:
        with transaction.atomic():
            contribution.save()
    except IntegrityError as exc:  # the same bank reference, recorded a moment ago
        raise StateConflict.on(
            "bank_reference", _("This bank reference was just recorded by someone else.")) from exc
    totals_add([contribution])
    audit_record(actor=actor, verb="contribution.record", target=contribution,
                 after=snapshot(contribution))
    if contribution.pledge_id:
        pledges_settle([contribution.pledge_id])
    milestones_check(year=contribution.received_on.year)
    thank(contribution, list(contribution.donor.users.filter(is_active=True)))
    return contribution


def snapshot(c: Contribution) -> dict:
    return {"donor": c.donor_id, "amount": c.amount, "currency": c.currency,
            "received_on": c.received_on, "exchange_rate": c.exchange_rate,
            "rate_source": c.rate_source, "amount_usd": c.amount_usd,
            "bank_reference": c.bank_reference, "earmarking": c.earmarking,
            "pledge": c.pledge_id, "receipt_number": c.receipt_number}


def thank(contribution: Contribution, users: list) -> None:
    """The thank-you notice with the receipt, to the donor's portal users (after commit)."""
    if not users:
        return
    notify(recipients=users, kind="contribution_receipt", target=contribution,
           data={"donor": contribution.donor.name, "donor_type": contribution.donor.donor_type,
                 "donor_country": str(contribution.donor.country or ""),
                 "receipt_number": contribution.receipt_number,
                 "amount": str(contribution.amount), "currency": contribution.currency,
                 "amount_usd": str(contribution.amount_usd),
                 "received_on": contribution.received_on.isoformat(),
                 "url": reverse("donors:receipt", args=[contribution.pk])},
           dedupe_key=f"contribution-receipt:{contribution.pk}")
