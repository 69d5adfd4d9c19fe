from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "fundapp.core"
    label = "core"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        # Exports over EXPORT_ASYNC_THRESHOLD rows become background jobs (fundapp/core/jobs.py).
        from . import exports, jobs

        exports.register_async_handler(jobs.export_deferred)
