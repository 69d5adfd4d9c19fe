from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.core.models import AuditEvent
from grants.models import ApplicationStatus, BoardMembership, Vote
from grants.selectors.board import session_overview
from grants.services.board import board_vote_cast
from tests.factories import ApplicationFactory
from tests.grants.board.helpers import written

pytestmark = pytest.mark.django_db


def first_app(session):
    return session.items.first().application


def test_a_member_votes_and_changes_the_vote_until_closing_with_an_audit_row(session, members):
    app = first_app(session)
    board_vote_cast(actor=members[0], session=session, application=app, vote="approve",
                    amount_usd=Decimal("45000.00"), conditions="Quarterly reports.")
    board_vote_cast(actor=members[0], session=session, application=app, vote="decline",
                    feedback="Budget unclear.")
    vote = Vote.objects.get()
    assert (vote.vote, vote.amount_usd, vote.conditions, vote.feedback) == (
        "decline", None, "", "Budget unclear.")
    change = AuditEvent.objects.filter(verb="board.vote").order_by("id").last()
    assert change.before["vote"] == "approve" and change.after["vote"] == "decline"
    assert change.before["amount_usd"] == "45000.00"


@pytest.mark.parametrize("amount", ["0", "-5", "50000.01", "100.001", "1e400", "NaN", "abc"])
def test_bad_amounts_are_refused(session, members, amount):
    with pytest.raises(ValidationFailed) as exc:
        board_vote_cast(actor=members[0], session=session, application=first_app(session),
                        vote="approve", amount_usd=amount)
    assert "amount_usd" in exc.value.field_errors
    assert not Vote.objects.exists()


def test_an_amount_or_conditions_go_only_with_an_approval(session, members):
    with pytest.raises(ValidationFailed) as exc:
        board_vote_cast(actor=members[0], session=session, application=first_app(session),
                        vote="abstain", amount_usd="1000", conditions="x")
    assert set(exc.value.field_errors) == {"amount_usd", "conditions"}


def test_a_decline_needs_feedback_for_the_applicant(session, members):
    with pytest.raises(ValidationFailed) as exc:
        board_vote_cast(actor=members[0], session=session, application=first_app(session),
                        vote="decline")
    assert "feedback" in exc.value.field_errors


def test_an_application_off_the_agenda_is_refused(session, members):
    elsewhere = ApplicationFactory(status=ApplicationStatus.RECOMMENDED)
    with pytest.raises(ValidationFailed) as exc:
        board_vote_cast(actor=members[0], session=session, application=elsewhere,
                        vote="approve")
    assert "application" in exc.value.field_errors


def test_only_board_members_vote(session, secretariat):
    with pytest.raises(NotAllowed):
        board_vote_cast(actor=secretariat, session=session, application=first_app(session),
                        vote="approve")


def test_only_members_sitting_on_the_sessions_date_vote(session, members):
    BoardMembership.objects.filter(user=members[3]).update(
        term_start=timezone.localdate() + timedelta(days=1))
    with pytest.raises(NotAllowed):
        board_vote_cast(actor=members[3], session=session, application=first_app(session),
                        vote="approve")


def test_a_board_member_without_a_seat_cannot_vote(session, board_member):
    with pytest.raises(NotAllowed):
        board_vote_cast(actor=board_member, session=session, application=first_app(session),
                        vote="approve")


def test_a_recusal_is_final(session, members):
    app = first_app(session)
    board_vote_cast(actor=members[0], session=session, application=app, vote="recuse")
    with pytest.raises(StateConflict):
        board_vote_cast(actor=members[0], session=session, application=app, vote="approve")


def test_a_recusal_replaces_a_vote_cast_before_the_conflict_came_to_light(session, members):
    app = first_app(session)
    board_vote_cast(actor=members[0], session=session, application=app, vote="approve")
    board_vote_cast(actor=members[0], session=session, application=app, vote="recuse")
    assert Vote.objects.get().vote == "recuse"


def test_a_recused_member_no_longer_sees_the_items_votes_but_sees_the_others(
        session, members, chair, secretariat):
    recused_on, other = list(session.items.all())[:2]
    board_vote_cast(actor=members[0], session=session, application=recused_on.application,
                    vote="recuse")
    for item in (recused_on, other):
        board_vote_cast(actor=members[1], session=session, application=item.application,
                        vote="approve", conditions="Hire a psychologist.")
    mine = {r.item.pk: r for r in session_overview(session, members[0]).rows}
    assert mine[recused_on.pk].recused and not mine[recused_on.pk].sees_votes
    assert mine[other.pk].sees_votes and not mine[other.pk].recused
    for user in (chair, secretariat):
        row = {r.item.pk: r for r in session_overview(session, user).rows}[recused_on.pk]
        assert row.sees_votes and len(row.votes) == 2


def test_no_vote_on_a_withdrawn_application(session, members):
    app = first_app(session)
    app.status = ApplicationStatus.WITHDRAWN
    app.save()
    with pytest.raises(StateConflict):
        board_vote_cast(actor=members[0], session=session, application=app, vote="approve")


def test_a_written_procedure_takes_votes_only_inside_its_window(call, secretariat, members):
    session = written(call, secretariat, opens_at=timezone.now() + timedelta(hours=2),
                      closes_at=timezone.now() + timedelta(days=2))
    with pytest.raises(StateConflict):
        board_vote_cast(actor=members[0], session=session, application=first_app(session),
                        vote="approve")
    session.opens_at, session.closes_at = (timezone.now() - timedelta(days=3),
                                           timezone.now() - timedelta(seconds=1))
    session.save()
    with pytest.raises(StateConflict):
        board_vote_cast(actor=members[0], session=session, application=first_app(session),
                        vote="approve")
