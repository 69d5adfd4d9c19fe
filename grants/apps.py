from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self) -> None:
        # Registers every notification kind grants sends. Its Celery tasks (grants/tasks.py)
        # need no import here: Celery autodiscovers the tasks module of each installed app.
        from . import notifications  # noqa: F401
        from .selectors import work  # noqa: F401  (the work queue's providers)
