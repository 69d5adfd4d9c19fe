from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.core.models import AuditEvent
from fundapp.notifications.models import Notification
from grants.models import ApplicationStatus, BoardMembership, SessionKind, SessionStatus
from grants.services.board import board_session_create
from tests.grants.board.helpers import meeting, recommended_call, written

pytestmark = pytest.mark.django_db


def test_the_agenda_is_the_included_applications_by_rank_then_the_reserve_in_order(
        secretariat, board):
    call = recommended_call(included=(Decimal("50000"), Decimal("40000")),
                            reserve=(Decimal("30000"), Decimal("20000")),
                            excluded=(Decimal("25000"),))
    session = meeting(call, secretariat)
    items = list(session.items.all())
    assert [(i.position, i.on_reserve, i.reserve_position, i.requested_usd) for i in items] == [
        (1, False, None, Decimal("50000.00")), (2, False, None, Decimal("40000.00")),
        (3, True, 1, Decimal("30000.00")), (4, True, 2, Decimal("20000.00"))]
    assert session.recommendation.is_current and session.status == SessionStatus.OPEN


def test_sitting_members_are_told_the_session_is_open(secretariat, board, call):
    session = meeting(call, secretariat)
    told = Notification.objects.filter(kind="board_session_opened")
    assert {n.recipient for n in told} == {board[0], *board[1]}
    assert told.first().data["url"] == f"/board/sessions/{session.pk}/"
    assert AuditEvent.objects.filter(verb="board.session.create").count() == 1


def test_only_the_secretariat_creates_sessions(chair, call):
    with pytest.raises(NotAllowed):
        meeting(call, chair)


def test_a_call_without_a_finalised_recommendation_cannot_have_a_session(secretariat, board,
                                                                          open_call):
    with pytest.raises(StateConflict):
        meeting(open_call, secretariat)


def test_one_open_session_per_call(secretariat, board, call):
    meeting(call, secretariat)
    with pytest.raises(StateConflict):
        meeting(call, secretariat)


def test_a_session_needs_a_sitting_chair(secretariat, board, call):
    BoardMembership.objects.filter(role="chair").update(
        term_end=timezone.localdate() - timedelta(days=1))
    with pytest.raises(StateConflict):
        meeting(call, secretariat)


def test_decided_applications_are_left_off_the_agenda(secretariat, board, call):
    first = call.applications.order_by("pk").first()
    first.status = ApplicationStatus.APPROVED
    first.save()
    session = meeting(call, secretariat)
    assert first.pk not in [i.application_id for i in session.items.all()]


def test_a_written_procedure_needs_a_window_closing_in_the_future(secretariat, board, call):
    with pytest.raises(ValidationFailed):
        board_session_create(actor=secretariat, call=call, kind=SessionKind.WRITTEN,
                             opens_at=timezone.now() - timedelta(days=2),
                             closes_at=timezone.now() - timedelta(days=1))
    with pytest.raises(ValidationFailed):
        board_session_create(actor=secretariat, call=call, kind=SessionKind.MEETING)
    session = written(call, secretariat)
    assert session.kind == SessionKind.WRITTEN and session.closes_at > timezone.now()
