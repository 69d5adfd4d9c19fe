"""The conversion rule: amount × rate, computed exactly, rounded once half up to the cent."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from donors.money import CENT, compact_usd, parse_decimal, to_usd

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999999.99"),
                      places=2, allow_nan=False, allow_infinity=False)
rates = st.decimals(min_value=Decimal("0.0000000001"), max_value=Decimal("999999.9999999999"),
                    places=10, allow_nan=False, allow_infinity=False)


@given(amounts, rates)
def test_the_usd_value_is_within_half_a_cent_of_the_exact_product(amount, rate):
    exact = amount * rate
    assert abs(to_usd(amount, rate) - exact) <= Decimal("0.005")


@given(amounts, rates)
def test_the_usd_value_always_has_exactly_two_decimals(amount, rate):
    assert to_usd(amount, rate).as_tuple().exponent == -2


@given(amounts)
def test_a_rate_of_one_keeps_the_amount(amount):
    assert to_usd(amount, Decimal(1)) == amount


@given(amounts, amounts, rates)
def test_a_larger_amount_is_never_worth_less(a, b, rate):
    low, high = sorted((a, b))
    assert to_usd(low, rate) <= to_usd(high, rate)


@given(amounts, rates)
def test_converting_is_the_same_as_one_half_up_rounding_of_the_exact_product(amount, rate):
    assert to_usd(amount, rate) == (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


@given(st.integers(min_value=0, max_value=10**9))
def test_exact_half_cents_round_up(cents):
    # x.xx5 exactly: half up, never to even.
    value = Decimal(cents) / 100 + Decimal("0.005")
    assert to_usd(value, Decimal(1)) == Decimal(cents + 1) / 100


def test_floats_are_refused():
    with pytest.raises(TypeError):
        to_usd(1000.0, Decimal("1.1"))
    with pytest.raises(TypeError):
        to_usd(Decimal("1000"), 1.1)


def test_a_known_example():
    assert to_usd(Decimal("250000.00"), Decimal("1.0850")) == Decimal("271250.00")
    assert to_usd(Decimal("20000000"), Decimal("0.0066")) == Decimal("132000.00")
    assert to_usd(Decimal("0.01"), Decimal("0.5")) == Decimal("0.01")  # 0.005 rounds up


@given(amounts)
def test_amounts_written_with_thousands_separators_parse_to_the_same_value(amount):
    assert parse_decimal(f"{amount:,.2f}") == amount
    assert parse_decimal(f"{amount:.2f}") == amount


@pytest.mark.parametrize("text", ["abc", "12,5", "1.234,56", "1.005", "", "NaN", "1..0", "--5"])
def test_what_is_not_an_amount_is_refused(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_compact_labels():
    assert compact_usd(Decimal("1500000")) == "1.5M"
    assert compact_usd(Decimal("2000000")) == "2M"
    assert compact_usd(Decimal("950000")) == "950k"
    assert compact_usd(Decimal("0")) == "0"
