"""Pledges: recording, indicative USD value, cancelling."""

from datetime import date
from decimal import Decimal

import pytest

from donors.models import PledgeStatus
from donors.services.pledges import pledge_cancel
from fundapp.core.errors import StateConflict, ValidationFailed

from .factories import pledge, record

pytestmark = pytest.mark.django_db


def test_a_pledge_takes_an_indicative_usd_value_from_the_rates_table(sweden, eur_rates):
    p = pledge(sweden, "200000.00", "EUR", pledged_on=date(2024, 2, 10))
    assert (p.exchange_rate, p.amount_usd, p.status) == (
        Decimal("1.0800"), Decimal("216000.00"), PledgeStatus.OPEN)


def test_a_pledge_may_cover_several_years(sweden):
    p = pledge(sweden, year=2024, year_to=2026)
    assert p.years_label == "2024–2026"


def test_the_last_year_cannot_come_before_the_first(sweden):
    with pytest.raises(ValidationFailed) as info:
        pledge(sweden, year=2025, year_to=2024)
    assert "year_to" in info.value.field_errors


def test_a_pledge_in_a_currency_without_a_rate_is_refused(sweden):
    with pytest.raises(ValidationFailed) as info:
        pledge(sweden, currency="CHF")
    assert "exchange_rate" in info.value.field_errors


@pytest.mark.parametrize("amount", ["0", "-1"])
def test_a_pledge_of_nothing_is_refused(sweden, amount):
    with pytest.raises(ValidationFailed) as info:
        pledge(sweden, amount)
    assert info.value.field_errors["amount"] == ["The amount must be greater than zero."]


def test_cancelling_keeps_what_was_paid(sweden):
    p = pledge(sweden, "10000.00")
    record(sweden, "2500.00", pledge=p)
    p = pledge_cancel(actor=None, pledge=p, reason="Budget cut")
    p.refresh_from_db()
    assert (p.status, p.paid_amount, p.outstanding) == (PledgeStatus.CANCELLED,
                                                       Decimal("2500.00"), 0)


def test_a_cancellation_needs_a_reason(sweden):
    with pytest.raises(ValidationFailed):
        pledge_cancel(actor=None, pledge=pledge(sweden), reason=" ")


def test_a_paid_pledge_cannot_be_cancelled(sweden):
    p = pledge(sweden, "100.00")
    record(sweden, "100.00", pledge=p)
    p.refresh_from_db()
    with pytest.raises(StateConflict):
        pledge_cancel(actor=None, pledge=p, reason="Too late")
