"""The Celery app. Configuration comes from the CELERY_* Django settings.

With REDIS_URL set, ``make worker`` (``celery -A fundapp worker``) runs tasks and ``make beat``
(``celery -A fundapp beat``, exactly one per deployment) schedules the periodic ones listed in
CELERY_BEAT_SCHEDULE. Without REDIS_URL tasks run eagerly in the web process (the demo).

Each time a worker's consumer connects to the broker (when the worker starts and after every
reconnection) it queues one sweep of stranded notifications, so those created while the
broker was down go out within seconds of its return instead of waiting for beat.
"""

import logging
import os

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundapp.settings")

logger = logging.getLogger(__name__)

app = Celery("fundapp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class SweepOnConnect(bootsteps.StartStopStep):
    """A consumer step: Celery calls ``start`` on the first connection and on every restart
    of the consumer blueprint, which is how the worker recovers from a lost broker."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, consumer):
        try:
            consumer.app.send_task("notifications.sweep", kwargs={"stranded": True})
        except Exception:  # the broker dropped again: the next reconnection sweeps
            logger.warning("Could not queue the sweep of stranded notifications", exc_info=True)
        else:
            logger.info("Queued a sweep of stranded notifications (consumer connected)")


app.steps["consumer"].add(SweepOnConnect)
