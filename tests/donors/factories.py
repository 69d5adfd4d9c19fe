"""Donor-side factories and helpers for the donor tests."""

from datetime import date
from decimal import Decimal

import factory

from donors.models import Contribution, Donor, DonorType, ExchangeRate, Pledge
from donors.services.contributions import ContributionInput, contribution_record
from donors.services.pledges import pledge_create


class DonorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Donor
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Donor {n}")
    donor_type = DonorType.MEMBER_STATE
    country = "SE"
    language = "en"

    @factory.post_generation
    def users(self, create, extracted, **kwargs):
        for user in extracted or []:
            self.users.add(user)


def rate(currency: str, day: date, value: str) -> ExchangeRate:
    return ExchangeRate.objects.create(currency=currency, valid_on=day, rate=Decimal(value))


def record(donor: Donor, amount="1000.00", currency="USD", received_on=None, **extra
           ) -> Contribution:
    """Record a contribution through the service (as the system unless ``actor``)."""
    actor = extra.pop("actor", None)
    extra.setdefault("confirm_duplicate", True)  # test data repeats amounts on purpose
    values = ContributionInput(donor=donor, amount=Decimal(str(amount)), currency=currency,
                               received_on=received_on or date(2024, 3, 1), **extra)
    return contribution_record(actor=actor, values=values)


def pledge(donor: Donor, amount="10000.00", currency="USD", year=2024, **extra) -> Pledge:
    extra.setdefault("pledged_on", date(year, 1, 15))
    return pledge_create(actor=None, donor=donor, amount=Decimal(str(amount)),
                         currency=currency, year_from=year, **extra)
