from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from fundapp.core.errors import StateConflict
from grants.models import AgendaItem, ApplicationStatus, Decision, Grant
from grants.services.awards import grant_cancel
from grants.services.board import board_reserve_offer, board_session_close, board_vote_cast
from tests.grants.board.helpers import meeting, recommended_call, vote_all

pytestmark = pytest.mark.django_db
SOON = timezone.now() + timedelta(days=5)


@pytest.fixture
def decided_call(secretariat, chair, members):
    """Envelope 90,000 fully committed to two grants; two applications on the reserve list."""
    call = recommended_call(envelope="90000.00", included=(Decimal("50000"), Decimal("40000")),
                            reserve=(Decimal("30000"), Decimal("20000")))
    session = meeting(call, secretariat)
    for item in list(session.items.all())[:2]:
        for user in (chair, *members[:2]):
            board_vote_cast(actor=user, session=session, application=item.application,
                            vote="approve")
    board_session_close(actor=chair, session=session)
    return call


def test_nothing_to_offer_while_the_grants_commit_the_whole_envelope(decided_call, secretariat):
    with pytest.raises(StateConflict):
        board_reserve_offer(actor=secretariat, call=decided_call, closes_at=SOON)


def test_a_cancelled_grant_frees_its_amount_for_the_next_reserve_application(
        decided_call, secretariat, chair, members):
    grant_cancel(actor=secretariat, grant=Grant.objects.get(approved_usd=40000),
                 reason="The NGO withdrew.")
    offer = board_reserve_offer(actor=secretariat, call=decided_call, closes_at=SOON)
    item = offer.items.get()
    assert offer.is_reserve_offer and offer.kind == "written"
    assert offer.offered_usd == Decimal("40000.00")
    assert (item.on_reserve, item.reserve_position, item.requested_usd) == (
        True, 1, Decimal("30000.00"))
    vote_all(offer, [chair, *members])
    board_session_close(actor=chair, session=offer)
    grant = Grant.objects.get(application=item.application)
    assert grant.agreement_number.endswith("-003") and grant.approved_usd == Decimal("30000")


def test_an_approval_below_the_request_frees_the_rest(secretariat, chair, members):
    call = recommended_call(envelope="90000.00", included=(Decimal("50000"), Decimal("40000")),
                            reserve=(Decimal("10000"),))
    session = meeting(call, secretariat)
    first, second, _reserve = session.items.all()
    for user in (chair, *members[:2]):
        board_vote_cast(actor=user, session=session, application=first.application,
                        vote="approve")
        board_vote_cast(actor=user, session=session, application=second.application,
                        vote="approve", amount_usd="32000.00")
    board_session_close(actor=chair, session=session)
    offer = board_reserve_offer(actor=secretariat, call=call, closes_at=SOON)
    assert offer.offered_usd == Decimal("8000.00")


def test_the_offer_goes_down_the_reserve_list_and_stops_when_it_is_exhausted(
        decided_call, secretariat, chair, members):
    grant_cancel(actor=secretariat, grant=Grant.objects.get(approved_usd=50000), reason="Gone")
    first = board_reserve_offer(actor=secretariat, call=decided_call, closes_at=SOON)
    vote_all(first, [chair, *members], vote="decline")
    board_session_close(actor=chair, session=first)
    second = board_reserve_offer(actor=secretariat, call=decided_call, closes_at=SOON)
    assert second.items.get().reserve_position == 2
    vote_all(second, [chair, *members], vote="decline")
    board_session_close(actor=chair, session=second)
    with pytest.raises(StateConflict):
        board_reserve_offer(actor=secretariat, call=decided_call, closes_at=SOON)
    declined = AgendaItem.objects.filter(decision=Decision.DECLINED, on_reserve=True)
    assert {i.application.status for i in declined} == {ApplicationStatus.DECLINED}
