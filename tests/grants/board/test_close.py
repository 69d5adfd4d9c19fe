import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotAllowed, StateConflict
from fundapp.notifications.models import Notification
from grants.models import (
    AgendaItem,
    ApplicationStatus,
    CallStatus,
    Decision,
    Grant,
    SessionStatus,
    Vote,
)
from grants.selectors.board import canonical_votes, votes_intact
from grants.services.board import (
    SessionClosed,
    board_item_set_amount,
    board_session_close,
    board_vote_cast,
)
from tests.grants.board.helpers import applicant_of, meeting, vote_all, written

pytestmark = pytest.mark.django_db


def items(session):
    return list(AgendaItem.objects.filter(session=session).order_by("position"))


def test_closing_computes_freezes_and_signs_the_decisions(session, chair, members):
    first, second, reserve = items(session)
    for user in (chair, *members[:2]):
        board_vote_cast(actor=user, session=session, application=first.application,
                        vote="approve", amount_usd=Decimal("48000.00") if user == chair else None,
                        conditions="Quarterly reports." if user == chair else "")
    for user in members[:3]:
        board_vote_cast(actor=user, session=session, application=second.application,
                        vote="decline", feedback=f"Feedback {user.username}.")
    board_vote_cast(actor=members[0], session=session, application=reserve.application,
                    vote="approve")
    closed = board_session_close(actor=chair, session=session)

    first, second, reserve = items(session)
    assert (first.decision, first.approved_usd, first.conditions) == (
        Decision.APPROVED, Decimal("48000.00"), "Quarterly reports.")
    assert (second.decision, second.approved_usd) == (Decision.DECLINED, None)
    assert second.feedback.count("Feedback trustee") == 3
    assert reserve.decision == Decision.DEFERRED  # one vote of five: no quorum
    assert (closed.status, closed.closed_by, closed.approved_total_usd) == (
        SessionStatus.CLOSED, chair, Decimal("48000.00"))
    assert closed.votes_hash == hashlib.sha256(canonical_votes(closed)).hexdigest()
    assert votes_intact(closed) is True


def test_decisions_move_the_applications_and_create_grants(session, chair, members):
    vote_all(session, [chair, *members[:2]])
    board_session_close(actor=chair, session=session)
    statuses = [i.application.status for i in items(session)]
    assert statuses == [ApplicationStatus.APPROVED] * 3
    assert Grant.objects.count() == 3
    session.call.refresh_from_db()
    assert session.call.status == CallStatus.DECIDED


def test_declined_applications_are_declined(session, chair, members):
    vote_all(session, [chair, *members[:2]], vote="decline")
    board_session_close(actor=chair, session=session)
    assert {i.application.status for i in items(session)} == {ApplicationStatus.DECLINED}
    assert not Grant.objects.exists()


def test_applicants_and_the_secretariat_are_told(session, chair, members, secretariat):
    first = items(session)[0]
    applicant = applicant_of(first.application, username="applicant", language="fr")
    vote_all(session, [chair, *members[:2]])
    board_session_close(actor=chair, session=session)
    told = Notification.objects.get(kind="board_decision", recipient=applicant)
    assert told.data["decision"] == "approved"
    assert told.data["url"] == f"/applications/{first.application_id}/decision-letter/"
    assert Notification.objects.filter(kind="board_session_closed",
                                       recipient=secretariat).count() == 1


def test_only_the_chair_closes(session, members):
    with pytest.raises(NotAllowed):
        board_session_close(actor=members[0], session=session)


def test_after_closing_every_change_is_refused_and_recorded_in_the_audit(session, chair,
                                                                         members):
    app = items(session)[0].application
    board_vote_cast(actor=members[0], session=session, application=app, vote="approve")
    board_session_close(actor=chair, session=session)
    with pytest.raises(SessionClosed) as exc:
        board_vote_cast(actor=members[0], session=session, application=app, vote="decline",
                        feedback="Changed my mind.")
    assert exc.value.status_code == 409
    with pytest.raises(SessionClosed):
        board_item_set_amount(actor=chair, session=session, application=app,
                              amount_usd="1000", reason="Later")
    with pytest.raises(SessionClosed):
        board_session_close(actor=chair, session=session)
    assert Vote.objects.get().vote == "approve"
    verbs = [e.verb for e in audit_trail_for(session).order_by("id")]
    assert verbs[-3:] == ["board.vote.refused", "board.chair_amount.refused",
                          "board.session.close.refused"]
    assert "board.session.close" in verbs


def test_a_tampered_vote_no_longer_matches_the_signature(session, chair, members):
    vote_all(session, [chair, *members[:2]])
    closed = board_session_close(actor=chair, session=session)
    Vote.objects.filter(member=members[0]).update(vote="decline")
    assert votes_intact(closed) is False


def test_the_chair_may_set_the_approved_amount_with_a_reason(session, chair, members):
    app = items(session)[0].application
    vote_all(session, [chair, *members[:2]], amount_usd=None)
    board_vote_cast(actor=members[0], session=session, application=app, vote="approve",
                    amount_usd=Decimal("20000.00"))
    with pytest.raises(NotAllowed):
        board_item_set_amount(actor=members[0], session=session, application=app,
                              amount_usd="45000", reason="Mine")
    board_item_set_amount(actor=chair, session=session, application=app, amount_usd="45000",
                          reason="The board agreed 45,000 in the meeting.")
    board_session_close(actor=chair, session=session)
    assert items(session)[0].approved_usd == Decimal("45000.00")
    audit = audit_trail_for(session).get(verb="board.chair_amount")
    assert audit.after["amount_usd"] == "45000.00"


def test_a_written_procedure_closes_early_only_once_everyone_has_voted(call, secretariat, chair,
                                                                     members):
    session = written(call, secretariat)
    vote_all(session, [chair, *members[:3]])
    with pytest.raises(StateConflict):
        board_session_close(actor=chair, session=session)
    vote_all(session, [members[3]], vote="abstain")
    assert board_session_close(actor=chair, session=session).status == SessionStatus.CLOSED


def test_a_written_procedure_closes_after_its_window_whoever_voted(call, secretariat, chair,
                                                                  members):
    session = written(call, secretariat)
    vote_all(session, [chair, *members[:2]])
    session.closes_at = timezone.now() - timedelta(seconds=1)
    session.save()
    assert board_session_close(actor=chair, session=session).status == SessionStatus.CLOSED


def test_a_call_stays_closed_while_an_included_application_is_deferred(session, chair, members):
    first, second, _reserve = items(session)
    for user in (chair, *members[:2]):
        board_vote_cast(actor=user, session=session, application=first.application,
                        vote="approve")
    board_session_close(actor=chair, session=session)
    session.call.refresh_from_db()
    assert AgendaItem.objects.get(pk=second.pk).decision == Decision.DEFERRED
    assert session.call.status == CallStatus.CLOSED


def test_the_session_that_decides_the_deferred_application_decides_the_call(
        session, chair, members, secretariat):
    first = items(session)[0]
    for user in (chair, *members[:2]):
        board_vote_cast(actor=user, session=session, application=first.application,
                        vote="approve")
    board_session_close(actor=chair, session=session)
    later = meeting(session.call, secretariat)
    vote_all(later, [chair, *members[:2]], vote="decline")
    board_session_close(actor=chair, session=later)
    later.call.refresh_from_db()
    assert later.call.status == CallStatus.DECIDED
