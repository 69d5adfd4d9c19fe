"""Demo: the one builder of a signed grant with its first tranche paid, shared by
``grants.demo.grant_life`` (ngo1's running grant) and ``grants.demo.refunds`` (ngo5's
suspended one): the grant row, its report schedule and tranches, then the agreement signed,
the bank details confirmed and the first tranche paid through the real services, dated
before the start."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db.models import Max

from fundapp.accounts.models import User
from grants.models import (
    AgreementSignature,
    Application,
    BankDetails,
    Call,
    Disbursement,
    Grant,
    ReportDue,
    Tranche,
)
from grants.services.awards import DEFAULT_TRANCHES, add_months, report_schedule, split_amounts
from grants.services.implementation import (
    agreement_accept,
    agreement_countersign,
    bank_details_confirm,
    bank_details_set,
    disbursement_record,
)


def utc(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def demo_grant(call: Call, app: Application, start: date, *, amount: Decimal, months: int,
               conditions: str = "", created_days_before: int | None = None,
               later_tranches_at_final: bool = False) -> Grant:
    """The call's next grant for ``app``, ``months`` long from ``start``: its reports due
    and the default tranches (the first planned at the start; the later ones at the final
    report's due date, or unplanned)."""
    sequence = (Grant.objects.filter(call=call).aggregate(n=Max("sequence"))["n"] or 0) + 1
    end = add_months(start, months) - timedelta(days=1)
    grant = Grant.objects.create(
        application=app, call=call, sequence=sequence,
        agreement_number=f"VTF-{call.number}-{sequence:03d}", approved_usd=amount,
        start_date=start, end_date=end, conditions=conditions)
    if created_days_before is not None:
        Grant.objects.filter(pk=grant.pk).update(
            created_at=utc(start - timedelta(days=created_days_before)))
    schedule = report_schedule(start, end)
    ReportDue.objects.bulk_create([ReportDue(grant=grant, kind=kind, number=n, due_date=due)
                                   for kind, n, due in schedule])
    final = dict((k, d) for k, _n, d in schedule)["final"] if later_tranches_at_final else None
    amounts = split_amounts(amount, [t["percent"] for t in DEFAULT_TRANCHES])
    Tranche.objects.bulk_create([
        Tranche(grant=grant, position=i, percent=spec["percent"], amount_usd=share,
                condition=spec["condition"], planned_date=start if i == 1 else final)
        for i, (spec, share) in enumerate(zip(DEFAULT_TRANCHES, amounts, strict=True), 1)])
    return grant


@dataclass(frozen=True)
class Signing:
    """Who signs for the organisation, its bank, and how many days before the start the
    agreement was signed and countersigned (``bank_dated``: the bank details are dated
    with them)."""

    signatory: str
    account_number: str
    bank_name: str
    swift: str
    signed_days: int
    countersigned_days: int
    bank_dated: bool = False


def sign_and_pay(grant: Grant, secretariat: User, ngo: User, signing: Signing) -> None:
    start = grant.start_date
    agreement_accept(actor=ngo, grant=grant, signatory_name=signing.signatory,
                     signatory_title="Executive Director")
    bank_details_set(actor=ngo, grant=grant, account_holder=grant.application.organisation.name,
                     account_number=signing.account_number, bank_name=signing.bank_name,
                     swift=signing.swift)
    agreement_countersign(actor=secretariat, grant=grant)
    bank_details_confirm(actor=secretariat, grant=grant)
    signed = start - timedelta(days=signing.signed_days)
    countersigned = start - timedelta(days=signing.countersigned_days)
    AgreementSignature.objects.filter(grant=grant).update(
        signed_at=utc(signed), countersigned_at=utc(countersigned))
    if signing.bank_dated:
        BankDetails.objects.filter(grant=grant).update(
            updated_at=utc(signed, 11), confirmed_at=utc(countersigned, 11))
    first = grant.tranches.get(position=1)
    payment = disbursement_record(actor=secretariat, grant=grant, tranche=first, paid_on=start,
                                  amount_usd=first.amount_usd,
                                  reference=f"DEMO-{grant.agreement_number}-1")
    Disbursement.objects.filter(pk=payment.pk).update(recorded_at=utc(start, 15))
