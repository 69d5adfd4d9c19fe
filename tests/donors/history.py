"""Two grants over three years, paid, reported and one of them refunded: the data behind
the fund summary's year-alone figures and the IATI file's transactions."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from grants.models import (
    Disbursement,
    Grant,
    GrantClosure,
    GrantStatus,
    ProgressReport,
    Refund,
    UnspentTreatment,
)
from grants.services.implementation import report_accept, report_submit
from tests.grants.implementation.helpers import active_grant, due, report_data


@dataclass
class History:
    first: Grant  # 2021-03-01 for 12 months, NG and BJ: paid 40,000 in 2021, 120 victims
    second: Grant  # 2022-06-01 for 12 months, KE: paid 32,000 in 2022, 500 victims
    refund: GrantClosure  # 2,000.00 of the first grant back to the fund in 2023


def _paid(grant, secretariat, on: date, amount: str, reference: str) -> None:
    # Written as the history it is: the service refuses to pay while a report is overdue.
    Disbursement.objects.create(grant=grant, tranche=grant.tranches.get(position=1),
                                paid_on=on, amount_usd=Decimal(amount), reference=reference,
                                recorded_by=secretariat)


def _reported(grant, ngo, secretariat, on: date, victims: int, groups: dict) -> None:
    report = report_submit(actor=ngo, grant=grant, report_due=due(grant),
                           data=report_data(victims_total=victims, by_group=groups,
                                            expenditure=[],
                                            by_service={"shelter": victims}))
    report_accept(actor=secretariat, report=report)
    ProgressReport.objects.filter(pk=report.pk).update(
        submitted_at=datetime(on.year, on.month, on.day, 12, tzinfo=UTC))


def build(organisation, other_organisation, ngo, other_ngo, secretariat) -> History:
    first = active_grant(organisation, ngo, secretariat, start=date(2021, 3, 1),
                         countries=("NG", "BJ"))
    second = active_grant(other_organisation, other_ngo, secretariat, amount="40000.00",
                          start=date(2022, 6, 1), countries=("KE",))
    _paid(first, secretariat, date(2021, 3, 10), "40000.00", "PAY-2021-1")
    _paid(second, secretariat, date(2022, 6, 15), "32000.00", "PAY-2022-1")
    _reported(first, ngo, secretariat, date(2021, 9, 1), 120,
              {"women": 60, "girls": 30, "men": 20, "boys": 10})
    _reported(second, other_ngo, secretariat, date(2022, 11, 1), 500, {"women": 500})
    Grant.objects.filter(pk=first.pk).update(status=GrantStatus.CLOSED)
    refund = GrantClosure.objects.create(
        grant=first, paid_usd=Decimal("40000.00"), spent_usd=Decimal("38000.00"),
        unspent_usd=Decimal("2000.00"), treatment=UnspentTreatment.REFUNDED,
        closed_by=secretariat)
    GrantClosure.objects.filter(pk=refund.pk).update(
        closed_at=datetime(2023, 1, 15, 9, tzinfo=UTC))
    # The closure "refunded" records the money coming back as a Refund (the figures' source).
    Refund.objects.create(grant=first, amount_usd=Decimal("2000.00"),
                          received_on=date(2023, 1, 15), reference="REF-2023-1",
                          recorded_by=secretariat)
    return History(first, second, refund)
