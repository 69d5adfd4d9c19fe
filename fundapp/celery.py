"""The Celery app. Configuration comes from the CELERY_* Django settings.

With REDIS_URL set, ``make worker`` (``celery -A fundapp worker``) runs tasks and ``make beat``
(``celery -A fundapp beat``, exactly one per deployment) schedules the periodic ones listed in
CELERY_BEAT_SCHEDULE. Without REDIS_URL tasks run eagerly in the web process (the demo).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundapp.settings")

app = Celery("fundapp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
