"""Two people recording a payment on the same tranche at once: the tranche's row lock makes
the second wait, then see the first payment, so the tranche is never overpaid."""

from decimal import Decimal

import pytest
from django.db import connection

from fundapp.core.errors import FundError
from grants.models import Disbursement
from grants.services import implementation as svc
from tests.concurrency import run_together
from tests.factories import UserFactory
from tests.grants.implementation.helpers import active_grant, today

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.mark.parametrize("references", [("PAY-A", "PAY-B"), ("PAY-A", "PAY-A")])
def test_two_people_paying_the_same_tranche_at_once_do_not_both_succeed(
        organisation, ngo, secretariat, monkeypatch, references):
    grant = active_grant(organisation, ngo, secretariat)
    tranche = grant.tranches.get(position=1)
    colleague = UserFactory(username="sec2", roles=["secretariat"])
    original = svc.tranche_blocker

    def lingering(*args, **kwargs):
        import time

        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(svc, "tranche_blocker", lingering)

    def paying(user, reference):
        return lambda: svc.disbursement_record(
            actor=user, grant=grant, tranche=tranche, paid_on=today(),
            amount_usd=Decimal("40000.00"), reference=reference)

    results = run_together([paying(secretariat, references[0]), paying(colleague, references[1])])
    assert sum(isinstance(r, Disbursement) for r in results) == 1
    assert sum(isinstance(r, FundError) for r in results) == 1
    assert Disbursement.objects.count() == 1
