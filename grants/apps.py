from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self) -> None:
        from fundapp.notifications.kinds import Kind, register

        from . import board_notifications  # noqa: F401  (board kinds and vote-reminder task)
        from . import impact_notifications  # noqa: F401  (grant kinds and report reminders)
        from . import ranking_notifications  # noqa: F401  (registers its notification kinds)
        from . import review_tasks  # noqa: F401  (registers the reminder task with Celery)

        register("application_eligible", Kind(
            _("Application {reference} passed screening"), _("Application found eligible")))
        register("application_ineligible", Kind(
            _("Application {reference} is not eligible"), _("Application found ineligible")))
        register("review_assigned", Kind(
            _("New application to review: {reference}"), _("Review assigned to you")))
        register("review_conflict_declared", Kind(
            _("Conflict of interest declared on {reference}: reassign"),
            _("Reviewer declared a conflict of interest")))
        register("review_reminder", Kind(
            _("Reminder: your review of {reference} is pending"), _("Pending review reminders"),
            essential=False))
