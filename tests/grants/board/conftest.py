import pytest

from tests.grants.board.helpers import ample_fund, meeting, recommended_call, sitting_board


@pytest.fixture(autouse=True)
def _fund(monkeypatch):
    """A fund with ample contributions unless a test says otherwise."""
    ample_fund(monkeypatch)


@pytest.fixture
def board(db):
    """(chair, [four members]) sitting today."""
    return sitting_board()


@pytest.fixture
def chair(board):
    return board[0]


@pytest.fixture
def members(board):
    return board[1]


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
