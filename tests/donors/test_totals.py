"""The yearly totals per donor (DonorYearTotal) always equal the sums of the contributions
they stand for, however the contributions were recorded: one by one, by import, or several
at once on PostgreSQL."""

from datetime import date
from decimal import Decimal
from functools import partial

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Count, Sum

from donors.models import Contribution, DonorTotal, DonorYearTotal
from donors.selectors import reports
from donors.services.imports import contribution_import
from donors.services.totals import totals_mismatches, totals_rebuild
from tests.concurrency import run_together

from .factories import DonorFactory, record

pytestmark = pytest.mark.django_db


def stored() -> dict:
    """The yearly totals; checks on the way that each donor's total since creation is
    their sum (and its first year their first)."""
    yearly = {(t.donor_id, t.year): (t.amount_usd, t.contributions)
              for t in DonorYearTotal.objects.all()}
    for overall in DonorTotal.objects.all():
        mine = {year: v for (donor, year), v in yearly.items() if donor == overall.donor_id}
        assert overall.amount_usd == sum(v[0] for v in mine.values())
        assert overall.contributions == sum(v[1] for v in mine.values())
        assert overall.first_year == min(mine)
    assert DonorTotal.objects.count() == len({donor for donor, _year in yearly})
    return yearly


def summed() -> dict:
    rows = {}
    for c in Contribution.objects.all():
        total, n = rows.get((c.donor_id, c.received_on.year), (Decimal("0.00"), 0))
        rows[(c.donor_id, c.received_on.year)] = (total + c.amount_usd, n + 1)
    return rows


def test_each_recorded_contribution_adds_to_its_donors_year(sweden, norway):
    record(sweden, "1000.00", received_on=date(2023, 12, 31))
    record(sweden, "250.50", received_on=date(2024, 1, 1))
    record(sweden, "0.01", received_on=date(2024, 7, 9))
    record(norway, "99999.99", received_on=date(2024, 2, 2))
    assert stored() == {(sweden.pk, 2023): (Decimal("1000.00"), 1),
                        (sweden.pk, 2024): (Decimal("250.51"), 2),
                        (norway.pk, 2024): (Decimal("99999.99"), 1)}
    assert stored() == summed() and totals_mismatches() == []


def test_an_import_adds_every_row_in_its_transaction(sweden, norway, eur_rates, secretariat):
    record(sweden, "10.00", received_on=date(2024, 2, 1))
    content = (b"donor,amount,currency,received_on,bank_reference\n"
               b"Sweden,250000.00,EUR,2024-02-15,BNK-1\n"
               b"Norway,1500.50,USD,2024-03-01,BNK-2\n"
               b"Sweden,1000,USD,2023-03-02,BNK-3\n"
               b"Sweden,1000,EUR,2024-03-02,BNK-4\n")
    contribution_import(actor=secretariat, uploaded=SimpleUploadedFile("s.csv", content))
    assert Contribution.objects.count() == 5
    assert stored() == summed() and totals_mismatches() == []
    # the same file again imports nothing, and adds nothing
    contribution_import(actor=secretariat, uploaded=SimpleUploadedFile("s.csv", content))
    assert stored() == summed()


def test_a_refused_import_adds_nothing(sweden, secretariat):
    content = (b"donor,amount,currency,received_on,bank_reference\n"
               b"Sweden,100,USD,2024-02-15,BNK-1\nNowhere,100,USD,2024-02-15,BNK-2\n")
    with pytest.raises(Exception):  # noqa: B017 - the refusal's kind is the import's business
        contribution_import(actor=secretariat, uploaded=SimpleUploadedFile("s.csv", content))
    assert not DonorYearTotal.objects.exists()


def test_the_reports_read_the_totals_and_agree_with_the_rows(sweden, norway):
    individual = DonorFactory(name="A. Person", donor_type="individual", country="FR")
    for donor, amount, day in ((sweden, "1000.00", date(2022, 5, 1)),
                               (sweden, "2000.00", date(2023, 5, 1)),
                               (norway, "300.00", date(2023, 6, 1)),
                               (individual, "45.50", date(2023, 6, 2)),
                               (individual, "4.50", date(2023, 8, 2))):
        record(donor, amount, received_on=day)
    in_2023 = Contribution.objects.filter(received_on__year=2023)
    assert reports.received_in(2023) == in_2023.aggregate(s=Sum("amount_usd"))["s"]
    assert reports.cumulative_through(2022) == Decimal("1000.00")
    assert reports.cumulative_through(2023) == Decimal("3350.00")
    by_type = {t.donor_type: (t.received, t.donors) for t in reports.types_in_year(2023)}
    assert by_type["member_state"] == (Decimal("2300.00"), 2)
    assert by_type["individual"] == (Decimal("50.00"), 1)  # one donor, twice
    assert reports.donor_counts_since_creation(2022)["member_state"] == 1
    assert reports.donor_counts_since_creation()["individual"] == 1
    totals = reports.donor_totals()
    assert [(d.donor_id, d.total) for d in totals.top(2)] == [
        (sweden.pk, Decimal("3000.00")), (norway.pk, Decimal("300.00"))]
    since = {t.donor_type: (t.received, t.donors) for t in totals.types}
    assert since["member_state"] == (Decimal("3300.00"), 2)
    assert since["individual"] == (Decimal("50.00"), 1)
    series = {r.year: r.received for r in reports.year_series(until=2023)}
    assert series[2022] == Decimal("1000.00") and series[2023] == Decimal("2350.00")


def test_a_rebuild_gives_the_same_totals_and_mismatches_are_found(sweden, norway):
    record(sweden, "1000.00", received_on=date(2023, 1, 5))
    record(norway, "20.00", received_on=date(2024, 1, 5))
    before = stored()
    DonorYearTotal.objects.filter(donor=sweden).update(amount_usd=Decimal("1.00"))
    DonorTotal.objects.filter(donor=norway).update(first_year=2020)
    assert totals_mismatches() == [(sweden.pk, 2023), (norway.pk, None)]
    assert totals_rebuild() == 2
    assert stored() == before and totals_mismatches() == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_contributions_recorded_at_once_for_one_donor_all_count(sweden):
    def one(i):
        record(sweden, f"{100 + i}.00", received_on=date(2024, 3, 1),
               bank_reference=f"BNK-AT-ONCE-{i}")
    run_together([partial(one, i) for i in range(8)])
    count = Contribution.objects.aggregate(n=Count("id"), s=Sum("amount_usd"))
    assert count["n"] == 8
    assert stored() == {(sweden.pk, 2024): (count["s"], 8)}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL path is PostgreSQL's")
def test_pledges_spread_over_years_alike_in_the_database_and_in_python(sweden, norway,
                                                                        eur_rates, secretariat):
    from donors.services.pledges import pledge_cancel

    from .factories import pledge

    pledge(sweden, "10000.05", year=2024, year_to=2025)  # 5000.025 a year: a half cent
    pledge(sweden, "100000.00", year=2024, year_to=2026)  # 33333.333…
    pledge(norway, "250000.00", currency="EUR", year=2024, year_to=2027)
    cancelled = pledge(norway, "9999.99", year=2025, year_to=2027)
    record(norway, "1234.57", pledge=cancelled, received_on=date(2025, 3, 1))
    pledge_cancel(actor=secretariat, pledge=cancelled, reason="budget cut")
    in_sql, in_python = reports._pledged_in_sql(), reports._pledged_in_python()
    assert dict(in_sql) == dict(in_python)
    assert in_sql[2024] > 0 and set(in_sql) == {2024, 2025, 2026, 2027}
