"""A pledge's states are django-fsm transitions: payments settle it, a cancellation ends it;
an illegal change is a StateConflict (409 in the API), never a silent overwrite."""

from decimal import Decimal

import pytest
from django_fsm import TransitionNotAllowed, can_proceed

from donors.models import Pledge, PledgeStatus
from donors.services.pledges import pledge_cancel, pledges_settle
from fundapp.core.errors import StateConflict

from .factories import pledge, record

pytestmark = pytest.mark.django_db


def test_payments_settle_a_pledge_from_open_to_partly_paid_to_paid(sweden):
    p = pledge(sweden, "1000.00")
    assert p.status == PledgeStatus.OPEN
    record(sweden, "400.00", pledge=p)
    p.refresh_from_db()
    assert (p.status, p.paid_amount) == (PledgeStatus.PARTLY_PAID, Decimal("400.00"))
    record(sweden, "600.00", pledge=p)
    p.refresh_from_db()
    assert (p.status, p.paid_amount) == (PledgeStatus.PAID, Decimal("1000.00"))


def test_an_open_pledge_is_cancelled_with_its_reason(sweden):
    p = pledge_cancel(actor=None, pledge=pledge(sweden), reason="  Budget cut  ")
    p.refresh_from_db()
    assert (p.status, p.cancel_reason) == (PledgeStatus.CANCELLED, "Budget cut")


@pytest.mark.parametrize("paid_first", [False, True], ids=["cancelled", "paid"])
def test_a_cancelled_or_paid_pledge_cannot_be_cancelled(sweden, paid_first):
    p = pledge(sweden, "500.00")
    if paid_first:
        record(sweden, "500.00", pledge=p)
    else:
        pledge_cancel(actor=None, pledge=p, reason="Cut")
    p.refresh_from_db()
    before = p.status
    with pytest.raises(StateConflict) as info:
        pledge_cancel(actor=None, pledge=p, reason="Again")
    assert f"A {p.get_status_display().lower()} pledge cannot be cancelled." == str(
        info.value.message)
    p.refresh_from_db()
    assert p.status == before


def test_settling_a_cancelled_pledge_keeps_it_cancelled_and_counts_what_was_paid(sweden):
    p = pledge(sweden, "1000.00")
    record(sweden, "250.00", pledge=p)
    pledge_cancel(actor=None, pledge=p, reason="Cut")
    pledges_settle([p.pk])
    p.refresh_from_db()
    assert (p.status, p.paid_amount) == (PledgeStatus.CANCELLED, Decimal("250.00"))


def test_the_model_refuses_the_transitions_its_state_does_not_allow(sweden):
    p = Pledge.objects.get(pk=pledge(sweden).pk)
    p.cancel(reason="Cut")
    assert p.status == PledgeStatus.CANCELLED
    assert not can_proceed(p.settle) and not can_proceed(p.cancel)
    with pytest.raises(TransitionNotAllowed):
        p.settle()


def test_cancelling_twice_over_the_api_is_a_409_with_the_message(api_as, secretariat, sweden):
    p = pledge(sweden)
    client = api_as(secretariat)
    first = client.post(f"/api/v1/pledges/{p.pk}/cancel/", {"reason": "Cut"}, format="json")
    assert first.status_code == 200 and first.json()["status"] == "cancelled"
    again = client.post(f"/api/v1/pledges/{p.pk}/cancel/", {"reason": "Twice"},
                        format="json")
    assert again.status_code == 409
    assert again.json() == {"detail": "A cancelled pledge cannot be cancelled."}
