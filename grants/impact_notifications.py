"""Notification kinds of grants in implementation (imported from ``GrantsConfig.ready``).

Importing this module also registers the report reminder task (``grants.implementation_tasks``).
"""

from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from fundapp.notifications.kinds import Kind, register

from . import implementation_tasks  # noqa: F401  (registers the report reminder task)


def _report_context(data: dict) -> dict:
    from grants.models import ReportKind

    kind = data.get("kind")
    return {"kind_label": ReportKind(kind).label if kind in ReportKind.values else kind,
            "due_date": parse_date(data.get("due_date") or ""),
            "paid_on": parse_date(data.get("paid_on") or "")}


register("grant_active", Kind(
    _("Agreement {agreement_number} countersigned: the grant is active"),
    _("Grant agreement countersigned"), context=_report_context))
register("tranche_paid", Kind(
    _("Payment of USD {amount_usd} on grant {agreement_number}"),
    _("Tranche payments"), context=_report_context))
register("report_accepted", Kind(
    _("Your report on grant {agreement_number} is accepted"),
    _("Progress report accepted"), context=_report_context))
register("report_changes_requested", Kind(
    _("Changes requested on your report on grant {agreement_number}"),
    _("Progress report: changes requested"), context=_report_context))
register("report_due", Kind(
    _("A report on grant {agreement_number} is due on {due_date}"),
    _("Progress report due reminders"), context=_report_context))
register("report_overdue", Kind(
    _("A report on grant {agreement_number} is overdue"),
    _("Progress report overdue"), context=_report_context))
