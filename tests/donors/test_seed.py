"""The demo data reproduces the figures of the Secretary-General's 2023 report."""

from decimal import Decimal

import pytest

from donors.demo import seed_donors
from donors.models import Contribution, Donor, Pledge
from donors.selectors.reports import fund_summary, year_series
from fundapp.accounts.models import User
from fundapp.accounts.roles import Role, roles_of
from tests.seeding import seeded_once

pytestmark = pytest.mark.django_db

seeded = seeded_once(seed_donors)  # one seeding for the module (tests/seeding.py)


def test_2022_received_exactly_one_million_against_one_and_a_half(seeded):
    summary = fund_summary(2022)
    assert (summary["received_usd"], summary["target_usd"]) == ("1000000.00", "1500000.00")


def test_9_8_million_from_35_member_states_and_34_companies_by_april_2023(seeded):
    summary = fund_summary(2022)
    assert summary["cumulative_received_usd"] == "9800000.00"
    counts = summary["cumulative_donor_counts"]
    assert (counts["member_state"], counts["private_sector"]) == (35, 34)
    assert counts["individual"] > 20
    early_2023 = Contribution.objects.filter(received_on__year=2023, received_on__month__lte=4)
    assert not early_2023.exists()


def test_money_arrives_in_several_currencies(seeded):
    currencies = set(Contribution.objects.values_list("currency", flat=True))
    assert {"USD", "EUR", "GBP", "CHF", "JPY"} <= currencies


def test_this_year_is_partly_funded_with_open_pledges(seeded):
    this_year = year_series()[-1]
    assert 0 < this_year.received < this_year.target
    assert Pledge.objects.filter(year_from=this_year.year, status__in=("open", "partly_paid")
                                 ).count() >= 3


def test_donor1_sees_luxembourg_in_the_portal(seeded, settings):
    user = User.objects.get(username="donor1")
    assert Role.DONOR in roles_of(user) and user.check_password(settings.DEMO_PASSWORD)
    assert list(Donor.objects.filter(users=user).values_list("name", flat=True)) == [
        "Luxembourg"]


def test_seeding_twice_changes_nothing(seeded):
    before = (Donor.objects.count(), Contribution.objects.count(), Pledge.objects.count(),
              sum(Contribution.objects.values_list("amount_usd", flat=True), Decimal(0)))
    seed_donors()
    after = (Donor.objects.count(), Contribution.objects.count(), Pledge.objects.count(),
             sum(Contribution.objects.values_list("amount_usd", flat=True), Decimal(0)))
    assert before == after


def test_donor1_reads_french_as_the_readme_says(seeded):
    from fundapp.notifications.models import Notification

    user = User.objects.get(username="donor1")
    assert (user.language, user.timezone) == ("fr", "Europe/Luxembourg")
    receipts = Notification.objects.filter(recipient=user, kind="contribution_receipt")
    assert receipts.exists() and set(receipts.values_list("language", flat=True)) == {"fr"}
