from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _receipt_context(data: dict) -> dict:
    from django.utils.dateparse import parse_date

    return {"received_on": parse_date(data.get("received_on") or "")}


class DonorsConfig(AppConfig):
    name = "donors"
    verbose_name = _("Donors")

    def ready(self) -> None:
        from fundapp.notifications.kinds import Kind, register

        register("contribution_receipt", Kind(
            _("Thank you: contribution {receipt_number} received"),
            _("Receipts and thanks for contributions"), context=_receipt_context))
        register("target_milestone", Kind(
            _("{year} funding has reached {percent} % of the target"),
            _("Funding target milestones"), essential=False))
