"""Voting and closing at the same moment: both take the session's row lock first, so a vote
either lands before the close (and is in the signed hash) or finds the session closed."""

import time
from decimal import Decimal

import pytest
from django.db import connection

from fundapp.core.errors import StateConflict
from grants.models import BoardSession, Vote
from grants.selectors.board import votes_hash
from grants.services import board as board_services
from grants.services.board import board_session_close, board_vote_cast
from tests.concurrency import run_together
from tests.grants.board.helpers import meeting, recommended_call, sitting_board

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture
def setting(secretariat):
    chair, members = sitting_board()
    session = meeting(recommended_call(included=(Decimal("50000.00"),), reserve=()), secretariat)
    app = session.items.get().application
    for user in (chair, members[0], members[1]):
        board_vote_cast(actor=user, session=session, application=app, vote="approve")
    return session, app, chair, members


def slow(monkeypatch, name, seconds=0.4, when=lambda *a, **k: True):
    """Make ``grants.services.board.<name>`` linger inside its transaction."""
    original = getattr(board_services, name)

    def lingering(*args, **kwargs):
        result = original(*args, **kwargs)
        if when(*args, **kwargs):
            time.sleep(seconds)
        return result

    monkeypatch.setattr(board_services, name, lingering)


def late_votes(session, app, members):
    return [lambda u=u: board_vote_cast(actor=u, session=session, application=app,
                                        vote="decline", feedback="Late.")
            for u in members[2:]]


def signed_votes_match(session) -> bool:
    closed = BoardSession.objects.get(pk=session.pk)
    return closed.status == "closed" and closed.votes_hash == votes_hash(closed)


def test_votes_arriving_while_the_chair_closes_wait_and_are_refused(monkeypatch, setting):
    session, app, chair, members = setting
    slow(monkeypatch, "votes_hash")  # the close holds the lock a while after signing
    results = run_together([lambda: board_session_close(actor=chair, session=session),
                    *late_votes(session, app, members)], delays=[0, 0.1, 0.1])
    assert not isinstance(results[0], Exception)
    assert all(isinstance(r, StateConflict) and r.status_code == 409 for r in results[1:])
    assert Vote.objects.filter(session=session).count() == 3
    assert signed_votes_match(session)


def test_a_close_arriving_during_a_vote_waits_and_signs_it(monkeypatch, setting):
    session, app, chair, members = setting
    slow(monkeypatch, "audit_record", when=lambda **kw: kw.get("verb") == "board.vote")
    results = run_together([lambda: board_session_close(actor=chair, session=session),
                    lambda: board_vote_cast(actor=members[2], session=session,
                                            application=app, vote="abstain")],
                   delays=[0.1, 0])
    assert isinstance(results[1], Vote) and not isinstance(results[0], Exception)
    assert Vote.objects.filter(session=session).count() == 4
    assert signed_votes_match(session)


@pytest.mark.parametrize("attempt", range(3))
def test_a_free_race_always_signs_exactly_what_landed(setting, attempt):
    session, app, chair, members = setting
    results = run_together([lambda: board_session_close(actor=chair, session=session),
                    *late_votes(session, app, members)], delays=[0, 0, 0])
    assert not isinstance(results[0], Exception)
    assert all(isinstance(r, Vote | StateConflict) for r in results[1:]), results
    accepted = sum(isinstance(r, Vote) for r in results[1:])
    assert Vote.objects.filter(session=session).count() == 3 + accepted
    assert signed_votes_match(session)
