"""Periodic review tasks, run by Celery beat (entry "review-reminders", daily).

Safe to run at any time and any number of times: a review is reminded at most once a week
and each reminder carries a dedupe key (see ``reviews_remind_pending``).
"""

from celery import shared_task

from grants.services.reviews import reviews_remind_pending


@shared_task(name="grants.review_reminders", acks_late=True, soft_time_limit=300,
             time_limit=360)
def send_review_reminders() -> int:
    return reviews_remind_pending()
