"""Two people recording at once: receipts stay consecutive, a pledge adds up, milestones go
out once (PostgreSQL row locks)."""

from datetime import date
from decimal import Decimal
from functools import partial

import pytest
from django.db import connection

from donors.models import Contribution, PledgeStatus
from fundapp.notifications.models import Notification
from tests.concurrency import run_together

from .factories import pledge, record

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def at_once(work, count: int) -> list:
    """The exceptions raised by ``work(i)`` run in ``count`` threads released together."""
    results = run_together([partial(work, i) for i in range(count)], timeout=30)
    return [r for r in results if isinstance(r, Exception)]


def test_simultaneous_contributions_get_consecutive_receipts_and_settle_the_pledge(
        sweden, secretariat):
    p = pledge(sweden, "780000.00")
    errors = at_once(lambda i: record(sweden, "130000.00", received_on=date(2024, 5, 1),
                                      pledge=p, bank_reference=f"C-{i}"), 6)
    assert errors == []
    assert sorted(Contribution.objects.values_list("receipt_number", flat=True)) == [
        f"VTF-2024-{n:05d}" for n in range(1, 7)]
    p.refresh_from_db()
    assert (p.status, p.paid_amount) == (PledgeStatus.PAID, Decimal("780000.00"))
    percents = sorted(Notification.objects.filter(kind="target_milestone")
                      .values_list("data__percent", flat=True))
    assert percents == [50]


def test_the_same_bank_reference_at_once_is_recorded_once(sweden):
    errors = at_once(lambda i: record(sweden, "10.00", received_on=date(2024, 5, 1),
                                      bank_reference="SAME"), 4)
    assert Contribution.objects.count() == 1
    assert len(errors) == 3


def test_simultaneous_contributions_without_a_pledge_still_announce_a_milestone_once(
        sweden, secretariat):
    # The year's receipt counter is locked while recording, so each sees the others' money.
    errors = at_once(lambda i: record(sweden, "130000.00", received_on=date(2024, 5, 1),
                                      bank_reference=f"D-{i}"), 6)
    assert errors == []
    assert list(Notification.objects.filter(kind="target_milestone")
                .values_list("data__percent", flat=True)) == [50]
