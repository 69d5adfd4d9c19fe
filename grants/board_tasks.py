"""Periodic board task, run by Celery beat (entry "board-vote-reminders", every 15 minutes).

Safe to run at any time and any number of times: a member who has not voted is reminded
once per written procedure (a dedupe key per session and member), in the last 48 hours
before it closes.
"""

from celery import shared_task


@shared_task(name="grants.board_vote_reminders", acks_late=True, soft_time_limit=120,
             time_limit=150)
def send_board_vote_reminders() -> int:
    from grants.services.board import board_remind_due

    return board_remind_due()
