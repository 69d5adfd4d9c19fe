import pytest

from grants.models import AgendaItem
from grants.services.board import board_session_close, board_vote_cast
from tests.grants.board.helpers import meeting, recommended_call


@pytest.fixture(autouse=True)
def _fund(funded):
    """A fund with ample contributions unless a test says otherwise (tests/conftest.py)."""


@pytest.fixture
def board(seated):
    """(chair, [four members]) sitting today: tests/conftest.py's ``seated``, whose
    ``chair`` fixture is ``board[0]``."""
    return seated


@pytest.fixture
def members(trustees):
    return trustees


@pytest.fixture
def everyone_on_board(board):
    return [board[0], *board[1]]


@pytest.fixture
def call(db):
    """Two included applications (50,000 and 40,000) and one on the reserve list (30,000)."""
    return recommended_call()


@pytest.fixture
def session(call, secretariat, board):
    return meeting(call, secretariat)


@pytest.fixture
def decided(session, chair, members):
    """``session`` closed with its first application approved (USD 45,000, with a condition)
    and its second declined with feedback; returns those two agenda items, re-read."""
    approved, declined, _reserve = session.items.all()
    for user in (chair, *members[:2]):
        board_vote_cast(actor=user, session=session, application=approved.application,
                        vote="approve", amount_usd="45000.00",
                        conditions="Hire a child-protection officer.")
        board_vote_cast(actor=user, session=session, application=declined.application,
                        vote="decline", feedback="The budget for shelter is not justified.")
    board_session_close(actor=chair, session=session)
    return (AgendaItem.objects.get(pk=approved.pk), AgendaItem.objects.get(pk=declined.pk))
