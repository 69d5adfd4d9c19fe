"""The board and grants endpoints cost the same for few rows and for many."""

from decimal import Decimal

import pytest

from grants.services.board import board_session_close, board_vote_cast
from tests.factories import ngo_user
from tests.grants.board.helpers import (
    meeting,
    recommended_call,
    sitting_board,
    vote_all,
)
from tests.queries import queries_for_get

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("funded")]


def closed_sessions(n, secretariat, seated, amounts=(Decimal("50000.00"),), organisation=None):
    chair, members = seated
    for _ in range(n):
        session = meeting(recommended_call(included=amounts, reserve=(),
                                           organisation=organisation), secretariat)
        vote_all(session, [chair, *members[:2]])
        board_session_close(actor=chair, session=session)


def test_the_session_list_is_flat(api_as, secretariat, seated):
    client = api_as(seated[0])
    closed_sessions(2, secretariat, seated)
    few = queries_for_get(client, "/api/v1/board/sessions/")
    closed_sessions(6, secretariat, seated, amounts=(Decimal("20000"), Decimal("30000")))
    meeting(recommended_call(included=(Decimal("20000"),) * 3), secretariat)
    assert queries_for_get(client, "/api/v1/board/sessions/") == few <= 6


def test_a_session_costs_the_same_with_few_or_many_items_and_votes(api_as, secretariat, seated):
    chair, members = seated
    small = meeting(recommended_call(included=(Decimal("20000"),), reserve=()), secretariat)
    vote_all(small, [chair])
    big = meeting(recommended_call(included=(Decimal("20000"),) * 12,
                                   reserve=(Decimal("10000"),) * 4), secretariat)
    vote_all(big, [chair, *members])
    item = big.items.first()
    board_vote_cast(actor=members[0], session=big, application=item.application, vote="abstain")
    client = api_as(members[1])
    few = queries_for_get(client, f"/api/v1/board/sessions/{small.pk}/")
    assert queries_for_get(client, f"/api/v1/board/sessions/{big.pk}/") == few <= 15


def test_a_closed_session_costs_the_same(api_as, secretariat, seated):
    closed_sessions(1, secretariat, seated)
    closed_sessions(1, secretariat, seated, amounts=(Decimal("20000"),) * 8)
    from grants.models import BoardSession

    small, big = BoardSession.objects.order_by("pk")
    client = api_as(secretariat)
    assert queries_for_get(client, f"/api/v1/board/sessions/{small.pk}/") == queries_for_get(
        client, f"/api/v1/board/sessions/{big.pk}/") <= 15


def test_the_membership_list_is_flat(api_as, secretariat, seated):
    client = api_as(secretariat)
    few = queries_for_get(client, "/api/v1/board/members/")
    sitting_board(6, chair=False, prefix="more")
    assert queries_for_get(client, "/api/v1/board/members/") == few <= 5


@pytest.mark.parametrize("role", ["secretariat", "donor", "ngo"])
def test_the_grant_list_is_flat(client_for, everyone, secretariat, seated, organisation, role):
    client = client_for(role)
    closed_sessions(1, secretariat, seated, organisation=organisation)
    closed_sessions(1, secretariat, seated)
    few = queries_for_get(client, "/api/v1/grants/")
    closed_sessions(2, secretariat, seated, amounts=(Decimal("20000"),) * 5,
                    organisation=organisation)
    closed_sessions(2, secretariat, seated, amounts=(Decimal("20000"),) * 5)
    assert queries_for_get(client, "/api/v1/grants/") == few <= 8


def test_an_ngo_grant_detail_is_cheap(api_as, secretariat, seated, organisation):
    closed_sessions(1, secretariat, seated, organisation=organisation)
    from grants.models import Grant

    user = ngo_user(organisation, username="grantee")
    assert queries_for_get(api_as(user), f"/api/v1/grants/{Grant.objects.get().pk}/") <= 8
