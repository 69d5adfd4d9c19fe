"""Every board notification renders, in English and French, with the data the services send;
and e-mails go out (each once) when sessions open and close."""

import pytest
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from fundapp.notifications.models import Notification
from fundapp.notifications.rendering import render_notification
from grants.services.board import board_remind_due, board_session_close
from tests.grants.board.helpers import applicant_of, vote_all, written

pytestmark = pytest.mark.django_db


def rendered(kind):
    notices = list(Notification.objects.filter(kind=kind))
    assert notices, kind
    return [render_notification(n, language) for n in notices for language in ("en", "fr")]


def test_every_board_notice_renders_in_both_languages(call, secretariat, chair, members,
                                                      django_capture_on_commit_callbacks):
    session = written(call, secretariat)
    applicant = applicant_of(session.items.first().application, username="applicant")
    vote_all(session, [chair, *members])
    with django_capture_on_commit_callbacks(execute=True):
        board_session_close(actor=chair, session=session)

    opened = rendered("board_session_opened")
    assert f"call {call.number}" in opened[0].subject
    assert "3 applications" in opened[0].text
    decision = rendered("board_decision")
    assert "USD 50,000.00" in decision[0].text and decision[0].subject.endswith(
        session.items.first().application.reference)
    closed = rendered("board_session_closed")
    assert "Approved: 3" in closed[0].text
    assert Notification.objects.filter(recipient=applicant, kind="board_decision").count() == 1
    assert any(applicant.email in m.to for m in mail.outbox)


def test_the_reminder_renders(call, secretariat, chair, members):
    written(call, secretariat, closes_at=timezone.now() + timedelta(hours=3))
    assert board_remind_due() == 5
    reminder = rendered("board_vote_reminder")
    assert "not voted" in reminder[0].text
