"""Beat's schedule names real tasks; the Celery configuration is what the issue asks."""

import json
import os
import subprocess
import sys

from django.conf import settings

from fundapp.celery import app

# Names beat's schedule and django-celery-beat rows refer to: renaming one strands them.
APP_TASKS = {
    "grants.close_due_calls": "grants.tasks",
    "grants.deadline_reminders": "grants.tasks",
    "grants.review_reminders": "grants.tasks",
    "grants.board_vote_reminders": "grants.tasks",
    "grants.report_reminders": "grants.tasks",
    "grants.retention_run": "grants.tasks",
    "grants.information_reminders": "grants.tasks",
    "donors.check_milestones": "donors.tasks",
    "donors.purge_import_previews": "donors.tasks",
    "core.expire_jobs": "fundapp.core.tasks",
    "core.run_job": "fundapp.core.tasks",
    "core.purge_idempotency_keys": "fundapp.core.tasks",
}


def test_every_scheduled_task_is_registered():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_each_app_task_lives_in_its_app_tasks_module():
    app.loader.import_default_modules()
    for name, module in APP_TASKS.items():
        assert app.tasks[name].__module__ == module, name
    apps_tasks = {n for n in app.tasks if n.split(".")[0] in ("grants", "donors", "core")}
    assert apps_tasks == set(APP_TASKS)


def test_a_fresh_process_registers_every_task_by_autodiscovery_alone():
    """What a worker does at start: django.setup(), then Celery's own module discovery; no
    import of any app module by hand."""
    script = ("import json, django; django.setup(); from fundapp.celery import app; "
              "app.loader.import_default_modules(); print(json.dumps(sorted(app.tasks)))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=True, cwd=settings.BASE_DIR,
                          env={**os.environ, "DJANGO_SETTINGS_MODULE": "fundapp.settings",
                               "SECRET_KEY": settings.SECRET_KEY})
    registered = set(json.loads(done.stdout.strip().splitlines()[-1]))
    scheduled = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled <= registered, scheduled - registered
    assert set(APP_TASKS) <= registered, set(APP_TASKS) - registered


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
