from datetime import timedelta

import pytest
from django.utils import timezone

from fundapp.notifications.models import Notification
from grants.tasks import send_board_vote_reminders
from grants.services.board import board_remind_due
from tests.grants.board.helpers import vote_all, written

pytestmark = pytest.mark.django_db


def reminded():
    return {n.recipient.username for n in Notification.objects.filter(kind="board_vote_reminder")}


def test_members_who_have_not_voted_are_reminded_once_before_the_procedure_closes(
        call, secretariat, chair, members):
    session = written(call, secretariat, closes_at=timezone.now() + timedelta(hours=20))
    vote_all(session, [chair, members[0]])
    vote_all(session, [members[1]], vote="recuse")
    assert send_board_vote_reminders() == 2
    assert reminded() == {members[2].username, members[3].username}
    assert send_board_vote_reminders() == 0  # each once
    assert Notification.objects.filter(kind="board_vote_reminder").count() == 2


def test_no_reminder_long_before_the_close_nor_for_meetings(call, secretariat, session,
                                                             members):
    assert board_remind_due() == 0  # the open session is a meeting
    session.status, session.closed_at, session.votes_hash = "closed", timezone.now(), "x" * 64
    session.save()
    written(call, secretariat, closes_at=timezone.now() + timedelta(days=5))
    assert board_remind_due() == 0
    assert board_remind_due(now=timezone.now() + timedelta(days=4)) == 5
