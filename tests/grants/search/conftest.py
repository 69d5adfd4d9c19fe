"""Rows the search tests look for: two organisations' applications and grants, two donors'
contributions (with bank references), and a helper that adds many more look-alikes."""

import itertools
from datetime import date

import pytest

from tests.donors.factories import DonorFactory, record
from tests.factories import ApplicationFactory, OrganisationFactory
from tests.grants.implementation.helpers import make_grant


@pytest.fixture
def rows(db, organisation, other_organisation):
    """``organisation`` is "Hope Shelter Nigeria", ``other_organisation`` "Other NGO"."""
    organisation.registration_number = "RC-NG-7788"
    organisation.save(update_fields=["registration_number"])
    hope_app = ApplicationFactory(organisation=organisation, reference="VTF9-0042",
                                  title="Safe houses for survivors in Lagos")
    other_app = ApplicationFactory(organisation=other_organisation, reference="VTF9-0043",
                                   title="Legal aid for survivors in Nairobi")
    hope_grant = make_grant(organisation)
    other_grant = make_grant(other_organisation)
    luxembourg = DonorFactory(name="Luxembourg", country="LU")
    sweden = DonorFactory(name="Sweden Development Agency", country="SE")
    lux_money = record(luxembourg, amount="60000.00", bank_reference="LU-2026-PART",
                       received_on=date(2026, 3, 1))
    swe_money = record(sweden, amount="25000.00", bank_reference="SE-2026-0001",
                       received_on=date(2026, 4, 1))
    return {"hope_app": hope_app, "other_app": other_app, "hope_grant": hope_grant,
            "other_grant": other_grant, "luxembourg": luxembourg, "sweden": sweden,
            "lux_money": lux_money, "swe_money": swe_money}


SERIAL = itertools.count(1)


def add_many(n: int) -> None:
    """``n`` more rows of every kind that all match "survivors" / "Many" (call it again for
    more: the numbers go on)."""
    for _ in range(n):
        i = next(SERIAL)
        org = OrganisationFactory(name=f"Many Hands Network {i}")
        ApplicationFactory(organisation=org, reference=f"VTF9-9{i:04d}",
                           title=f"Shelter for survivors {i}")
        make_grant(org)
        donor = DonorFactory(name=f"Many Donors Fund {i}")
        record(donor, amount="100.00", bank_reference=f"MANY-{i:04d}")
