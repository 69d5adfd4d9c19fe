import sys
import types
from decimal import Decimal

import pytest

from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import StateConflict
from grants.models import SessionStatus
from grants.selectors import board as board_selectors
from grants.selectors.board import fund_available_balance, session_overview
from grants.services.board import board_session_close
from tests.grants.board.helpers import ample_fund, meeting, recommended_call, vote_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_call(secretariat, board):
    """Envelope 100,000; the agenda asks 50,000 + 40,000 + 30,000 (reserve)."""
    return recommended_call(envelope="100000.00")


def test_the_running_total_and_budget_position_are_shown_while_voting(tight_call, secretariat,
                                                                       chair, members):
    session = meeting(tight_call, secretariat)
    vote_all(session, [chair, *members[:2]])
    overview = session_overview(session, chair)
    assert overview.total_usd == Decimal("120000.00")
    assert overview.budget.call_remaining_usd == Decimal("100000.00")
    assert overview.budget.call_left_after_usd == Decimal("-20000.00")
    assert overview.budget.problems == ("envelope",)


def test_closing_is_blocked_when_it_would_overdraw_the_envelope(tight_call, secretariat, chair,
                                                               members):
    session = meeting(tight_call, secretariat)
    vote_all(session, [chair, *members[:2]])
    with pytest.raises(StateConflict) as exc:
        board_session_close(actor=chair, session=session)
    assert exc.value.status_code == 409
    assert "USD 120,000.00" in str(exc.value.message)
    assert "USD 100,000.00" in str(exc.value.message)
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN


def test_the_chair_overrides_with_a_reason_and_it_is_audited(tight_call, secretariat, chair,
                                                            members):
    session = meeting(tight_call, secretariat)
    vote_all(session, [chair, *members[:2]])
    closed = board_session_close(actor=chair, session=session,
                                 override_reason="A pledge of USD 50,000 arrives in March.")
    assert closed.status == SessionStatus.CLOSED
    assert closed.override_reason.startswith("A pledge")
    override = audit_trail_for(closed).get(verb="board.budget_override")
    assert override.after["problems"] == ["envelope"]
    assert override.note.startswith("A pledge")


def test_lower_amounts_within_the_envelope_close_without_override(tight_call, secretariat,
                                                                 chair, members):
    session = meeting(tight_call, secretariat)
    vote_all(session, [chair, *members[:2]])
    reserve = list(session.items.all())[2]
    from grants.services.board import board_vote_cast

    board_vote_cast(actor=members[0], session=session, application=reserve.application,
                    vote="approve", amount_usd="10000.00")
    closed = board_session_close(actor=chair, session=session)
    assert closed.approved_total_usd == Decimal("100000.00") and closed.override_reason == ""


def test_closing_is_blocked_when_it_would_overdraw_the_funds_balance(monkeypatch, call,
                                                                    secretariat, chair, members):
    ample_fund(monkeypatch, Decimal("60000.00"))
    session = meeting(call, secretariat)
    vote_all(session, [chair, *members[:2]])
    with pytest.raises(StateConflict) as exc:
        board_session_close(actor=chair, session=session)
    assert "available balance" in str(exc.value.message)


def test_grants_already_awarded_count_against_the_fund_and_the_envelope(monkeypatch, secretariat,
                                                                       chair, members):
    ample_fund(monkeypatch, Decimal("100000.00"))
    first = meeting(recommended_call(included=(Decimal("60000"),), reserve=()), secretariat)
    vote_all(first, [chair, *members[:2]])
    board_session_close(actor=chair, session=first)
    assert fund_available_balance() == Decimal("40000.00")
    second = meeting(recommended_call(included=(Decimal("50000"),), reserve=()), secretariat)
    vote_all(second, [chair, *members[:2]])
    with pytest.raises(StateConflict):
        board_session_close(actor=chair, session=second)


def test_an_unknown_balance_checks_the_envelope_only(monkeypatch, call, secretariat, chair,
                                                    members):
    ample_fund(monkeypatch, None)
    assert fund_available_balance() is None
    session = meeting(call, secretariat)
    vote_all(session, [chair, *members[:2]])
    assert board_session_close(actor=chair, session=session).status == SessionStatus.CLOSED


class TestContributionsFromTheDonorsApp:
    """``fund_available_balance`` reads the donors app without depending on it."""

    @pytest.fixture(autouse=True)
    def _real(self, monkeypatch):
        monkeypatch.undo()  # the real reader, not the conftest's ample fund

    def test_a_total_received_function_in_donors_selectors_is_used(self, monkeypatch):
        fake = types.ModuleType("donors.selectors")
        fake.total_received_usd = lambda: Decimal("1234.5")
        monkeypatch.setitem(sys.modules, "donors.selectors", fake)
        monkeypatch.setattr("donors.selectors", fake, raising=False)
        assert board_selectors.contributions_received_usd() == Decimal("1234.50")

    def test_else_the_contributions_usd_values_are_summed(self, monkeypatch):
        from tests.donors.factories import DonorFactory, record

        fake = types.ModuleType("donors.selectors")
        monkeypatch.setitem(sys.modules, "donors.selectors", fake)
        monkeypatch.setattr("donors.selectors", fake, raising=False)
        donor = DonorFactory()
        record(donor, "2500.00")
        record(donor, "1000.25")
        assert board_selectors.contributions_received_usd() == Decimal("3500.25")

    def test_without_the_donors_app_the_balance_is_unlimited(self, monkeypatch):
        monkeypatch.setattr(board_selectors.apps, "is_installed", lambda name: False)
        assert board_selectors.contributions_received_usd() is None
        assert fund_available_balance() is None
