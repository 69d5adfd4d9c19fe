from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonorsConfig(AppConfig):
    name = "donors"
    verbose_name = _("Donors")

    def ready(self) -> None:
        # Registers every notification kind donors sends. Its Celery tasks (donors/tasks.py)
        # need no import here: Celery autodiscovers the tasks module of each installed app.
        from . import notifications  # noqa: F401
        from .selectors import work  # noqa: F401  (the work queue's providers)
