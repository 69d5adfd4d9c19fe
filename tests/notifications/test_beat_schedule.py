"""Beat's schedule names real tasks; the Celery configuration is what the issue asks."""

from django.conf import settings

from fundapp.celery import app


def test_every_scheduled_task_is_registered():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_the_schedule_covers_closing_reminders_sweep_and_digest():
    tasks = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks["grants.close_due_calls"] == 60
    assert tasks["grants.deadline_reminders"] == 15 * 60
    assert tasks["notifications.sweep"] == 120
    assert "notifications.daily_digest" in tasks


def test_celery_speaks_json_and_acknowledges_late():
    assert app.conf.task_serializer == "json" and app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    deliver = app.tasks["notifications.deliver"]
    assert deliver.acks_late and deliver.soft_time_limit and deliver.time_limit
