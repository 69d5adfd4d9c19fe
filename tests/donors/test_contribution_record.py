"""Recording one contribution: value, rate, receipt, pledge, thanks, and what is refused."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from donors.models import Contribution, PledgeStatus, RateSource
from donors.services.contributions import ContributionInput, contribution_record
from donors.services.pledges import pledge_cancel
from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.notifications.models import Notification

from .factories import DonorFactory, pledge, rate, record

pytestmark = pytest.mark.django_db


def refused(field: str, error=ValidationFailed, **kwargs) -> list[str]:
    with pytest.raises(error) as info:
        record(**kwargs)
    assert field in info.value.field_errors, info.value.field_errors
    assert Contribution.objects.count() == 0
    return info.value.field_errors[field]


def test_a_usd_contribution_is_worth_its_amount(sweden):
    c = record(sweden, "250000.00", "USD")
    assert (c.exchange_rate, c.amount_usd, c.rate_source) == (1, Decimal("250000.00"),
                                                              RateSource.PAR)


def test_the_rate_on_or_before_the_day_received_fills_in(sweden, eur_rates):
    c = record(sweden, "100000.00", "EUR", received_on=date(2024, 2, 20))
    assert c.exchange_rate == Decimal("1.0800")
    assert c.amount_usd == Decimal("108000.00")
    assert c.rate_source == RateSource.TABLE


def test_a_rate_entered_by_hand_is_the_one_that_counts(sweden, eur_rates):
    c = record(sweden, "100000.00", "EUR", received_on=date(2024, 2, 20),
               exchange_rate=Decimal("1.0777"))
    assert (c.amount_usd, c.rate_source) == (Decimal("107770.00"), RateSource.MANUAL)


def test_changing_the_rates_table_later_leaves_recorded_contributions_alone(sweden, eur_rates):
    c = record(sweden, "1000.00", "EUR", received_on=date(2024, 2, 20))
    eur_rates[1].rate = Decimal("2")
    eur_rates[1].save()
    c.refresh_from_db()
    assert c.amount_usd == Decimal("1080.00")


def test_receipts_are_numbered_in_sequence_per_year(sweden):
    first = record(sweden, received_on=date(2024, 3, 1))
    second = record(sweden, received_on=date(2024, 5, 1))
    other_year = record(sweden, received_on=date(2023, 5, 1))
    assert [first.receipt_number, second.receipt_number, other_year.receipt_number] == [
        "VTF-2024-00001", "VTF-2024-00002", "VTF-2023-00001"]


def test_the_receipt_is_in_the_donors_language(db):
    donor = DonorFactory(language="fr")
    assert record(donor).receipt_language == "fr"


def test_the_contribution_is_audited_in_the_same_transaction(sweden, secretariat):
    c = record(sweden, "500.00", actor=secretariat)
    event = audit_trail_for(c).get()
    assert (event.verb, event.actor, event.after["amount_usd"]) == (
        "contribution.record", secretariat, "500.00")


def test_the_donors_portal_users_are_thanked_once(sweden, donor):
    c = record(sweden, "500.00")
    notice = Notification.objects.get(kind="contribution_receipt")
    assert notice.recipient == donor
    assert notice.data["receipt_number"] == c.receipt_number
    assert notice.data["url"].endswith(f"/funding/contributions/{c.pk}/receipt.pdf")


def test_a_donor_without_portal_users_gets_no_notice(db):
    record(DonorFactory())
    assert not Notification.objects.filter(kind="contribution_receipt").exists()


def test_payments_settle_a_pledge_partly_then_fully(sweden):
    p = pledge(sweden, "10000.00", "USD")
    record(sweden, "4000.00", pledge=p)
    p.refresh_from_db()
    assert (p.status, p.paid_amount) == (PledgeStatus.PARTLY_PAID, Decimal("4000.00"))
    record(sweden, "6000.00", pledge=p)
    p.refresh_from_db()
    assert (p.status, p.paid_amount) == (PledgeStatus.PAID, Decimal("10000.00"))


# --- bad input ---------------------------------------------------------------------------

@pytest.mark.parametrize("amount", ["0", "-5.00"])
def test_zero_or_negative_amounts_are_refused(sweden, amount):
    assert refused("amount", donor=sweden, amount=amount) == [
        "The amount must be greater than zero."]


def test_a_non_numeric_amount_is_refused(sweden):
    with pytest.raises(ValidationFailed) as info:
        contribution_record(actor=None, values=ContributionInput(
            donor=sweden, amount="lots", currency="USD", received_on=date(2024, 1, 1)))
    assert "amount" in info.value.field_errors


def test_an_unknown_currency_is_refused(sweden):
    assert "Unknown currency code: XYZ" in refused("currency", donor=sweden,
                                                    currency="XYZ")[0]


def test_a_missing_rate_is_refused_naming_the_field(sweden):
    message = refused("exchange_rate", donor=sweden, currency="GBP",
                      received_on=date(2024, 2, 1))[0]
    assert "No exchange rate for GBP on or before 2024-02-01" in message


def test_a_rate_older_than_a_month_counts_as_missing(sweden):
    rate("GBP", date(2023, 12, 1), "1.27")
    refused("exchange_rate", donor=sweden, currency="GBP", received_on=date(2024, 2, 1))


def test_money_received_in_the_future_is_refused(sweden):
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert "in the future" in refused("received_on", donor=sweden, received_on=tomorrow)[0]


def test_money_received_before_the_fund_existed_is_refused(sweden):
    refused("received_on", donor=sweden, received_on=date(2009, 12, 31))


def test_a_contribution_to_a_cancelled_pledge_is_refused(sweden):
    p = pledge(sweden)
    pledge_cancel(actor=None, pledge=p, reason="Budget cut")
    p.refresh_from_db()
    message = refused("pledge", StateConflict, donor=sweden, pledge=p)[0]
    assert "cancelled" in message


def test_a_contribution_to_another_donors_pledge_is_refused(sweden, norway):
    assert refused("pledge", donor=sweden, pledge=pledge(norway)) == [
        "This pledge belongs to another donor."]


def test_a_contribution_in_another_currency_than_its_pledge_is_refused(sweden, eur_rates):
    p = pledge(sweden, currency="USD")
    refused("currency", donor=sweden, currency="EUR", pledge=p)


def test_yen_amounts_must_be_whole(sweden):
    rate("JPY", date(2024, 3, 1), "0.0067")
    refused("amount", donor=sweden, amount="1000.50", currency="JPY")


def test_a_usd_contribution_cannot_carry_another_rate(sweden):
    refused("exchange_rate", donor=sweden, exchange_rate=Decimal("1.1"))


def test_an_amount_worth_less_than_a_cent_is_refused(sweden):
    rate("IDR", date(2024, 3, 1), "0.0000600000")
    refused("amount", donor=sweden, amount="10", currency="IDR")


def test_a_bank_reference_is_recorded_once(sweden):
    first = record(sweden, bank_reference="BNK-1")
    with pytest.raises(ValidationFailed) as info:
        record(sweden, bank_reference=" BNK-1 ")
    assert first.receipt_number in info.value.field_errors["bank_reference"][0]
    assert Contribution.objects.count() == 1


def test_earmarking_for_a_theme_needs_the_theme(sweden):
    refused("earmark_theme", donor=sweden, earmarking="theme")


def test_only_the_secretariat_records_contributions(sweden, donor):
    with pytest.raises(NotAllowed):
        record(sweden, actor=donor)
