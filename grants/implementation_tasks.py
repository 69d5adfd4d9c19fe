"""Periodic task, run by Celery beat (entry "grant-report-reminders", daily).

Safe to run at any time and any number of times: each report due is announced to the grantee
once before its due date and once when it is overdue (a dedupe key per report and kind).
"""

from celery import shared_task


@shared_task(name="grants.report_reminders", acks_late=True, soft_time_limit=300,
             time_limit=360)
def send_report_reminders() -> int:
    from grants.services.implementation import reports_remind_due

    return reports_remind_due()
