"""The board pages cost the same with few rows and with many."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import BoardSession, Grant
from grants.services.board import board_session_close
from tests.grants.board.helpers import (
    meeting,
    recommended_call,
    sitting_board,
    vote_all,
)
from tests.queries import queries_for_get

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("funded")]
BUDGET = 20


def sessions(n, secretariat, seated, amounts=(Decimal("20000"),), close=True):
    chair, members = seated
    made = []
    for _ in range(n):
        session = meeting(recommended_call(included=amounts, reserve=()), secretariat)
        vote_all(session, [chair, *members[:2]])
        if close:
            board_session_close(actor=chair, session=session)
        made.append(session)
    return made


@pytest.mark.parametrize("name", ["board-home", "grant-list", "board-members"])
def test_board_lists_cost_the_same_for_few_or_many_rows(login, secretariat, seated, name):
    client = login(seated[0])
    sessions(2, secretariat, seated)
    few = queries_for_get(client, reverse(f"grants:{name}"))
    sessions(5, secretariat, seated, amounts=(Decimal("20000"),) * 3)
    sitting_board(5, chair=False, prefix="extra")
    assert queries_for_get(client, reverse(f"grants:{name}")) == few <= BUDGET


@pytest.mark.parametrize("close", [False, True])
def test_the_session_page_costs_the_same_for_few_or_many_items(login, secretariat, seated,
                                                               close):
    small, = sessions(1, secretariat, seated, close=close)
    big, = sessions(1, secretariat, seated, amounts=(Decimal("20000"),) * 12, close=close)
    for client in (login(seated[0]), login(secretariat)):
        few = reverse("grants:board-session", args=[small.pk])
        many = reverse("grants:board-session", args=[big.pk])
        assert queries_for_get(client, few) == queries_for_get(client, many) <= BUDGET


def test_the_briefing_and_grant_pages_are_cheap(login, secretariat, seated):
    session, = sessions(1, secretariat, seated, amounts=(Decimal("20000"),) * 4)
    client = login(secretariat)
    item = BoardSession.objects.get().items.first()
    briefing = reverse("grants:board-item", args=[session.pk, item.pk])
    assert queries_for_get(client, briefing) <= BUDGET
    grant = Grant.objects.first()
    assert queries_for_get(client, reverse("grants:grant-detail", args=[grant.pk])) <= BUDGET
