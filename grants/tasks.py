"""Every Celery task of grants, run by Celery beat (see CELERY_BEAT_SCHEDULE).

Celery finds this module by itself (``app.autodiscover_tasks()`` in ``fundapp/celery.py``).
Each task is thin: it calls one service, which holds the logic, and returns what it did.
Each is safe to run at any time and any number of times: closing takes the call's row lock
and skips calls already closed; reminders carry dedupe keys.

The task names are what beat's schedule and django-celery-beat rows refer to: never rename.
"""

from celery import shared_task

from grants.services.board import board_remind_due
from grants.services.calls import calls_close_due, calls_remind_due
from grants.services.implementation import reports_remind_due
from grants.services.information import information_requests_remind
from grants.services.privacy import retention_run
from grants.services.reviews import reviews_remind_pending


# Calls: entries "close-due-calls" (every minute) and "call-deadline-reminders" (every
# 15 minutes; 7 days and 1 day before a call closes, to organisations holding a draft).
@shared_task(name="grants.close_due_calls", acks_late=True, soft_time_limit=50, time_limit=60)
def close_due_calls() -> list[int]:
    return calls_close_due()


@shared_task(name="grants.deadline_reminders", acks_late=True, soft_time_limit=300,
             time_limit=360)
def send_deadline_reminders() -> int:
    return calls_remind_due()


# Reviews: entry "review-reminders" (daily). A review is reminded at most once a week and
# each reminder carries a dedupe key (see ``reviews_remind_pending``).
@shared_task(name="grants.review_reminders", acks_late=True, soft_time_limit=300,
             time_limit=360)
def send_review_reminders() -> int:
    return reviews_remind_pending()


# Board: entry "board-vote-reminders" (every 15 minutes). A member who has not voted is
# reminded once per written procedure (a dedupe key per session and member), in the last
# 48 hours before it closes.
@shared_task(name="grants.board_vote_reminders", acks_late=True, soft_time_limit=120,
             time_limit=150)
def send_board_vote_reminders() -> int:
    return board_remind_due()


# Implementation: entry "grant-report-reminders" (daily). Each report due is announced to
# the grantee once before its due date and once when it is overdue (a dedupe key per report
# and kind).
@shared_task(name="grants.report_reminders", acks_late=True, soft_time_limit=300,
             time_limit=360)
def send_report_reminders() -> int:
    return reports_remind_due()


# Requests for information: entry "information-request-reminders" (daily). Each open
# request is reminded 3 days and 1 day before its due date, once each (a dedupe key per
# request and reminder; see ``information_requests_remind``).
@shared_task(name="grants.information_reminders", acks_late=True, soft_time_limit=300,
             time_limit=360)
def send_information_reminders() -> int:
    return information_requests_remind()


# Personal data: entry "privacy-retention" (daily). The people of never-funded organisations
# whose retention period has passed are anonymised (``RETENTION_NEVER_FUNDED_YEARS``); an
# anonymised person is never selected again, so a second run does nothing more.
@shared_task(name="grants.retention_run", acks_late=True, soft_time_limit=600,
             time_limit=660)
def run_retention() -> int:
    return retention_run()
