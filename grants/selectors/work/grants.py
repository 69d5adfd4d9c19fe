"""Work queue providers: the secretariat's work on grants after the award — agreements to
countersign, bank details to confirm, payments due, reports to review and reports overdue.

Each count is the linked list's own selector (the grants list ``grants:grant-portfolio``
filtered ``?countersign=1``, ``?bank=unconfirmed``, ``?payment=due``; the reports list
``grants:reports-manage`` filtered ``?status=submitted``, ``?overdue=1``), counted in a
fixed number of queries (six) whatever the number of grants.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from fundapp.accounts.roles import Role
from fundapp.core import work
from grants.selectors.awards import grants_visible_to
from grants.selectors.implementation import (
    awaiting_countersignature,
    bank_unconfirmed,
    payment_due,
)
from grants.selectors.reports import only_overdue, only_to_review, report_dues_visible_to


def _secretariat_grants(user) -> list[work.WorkItem]:
    grants = grants_visible_to(user).prefetch_related(None)
    portfolio = reverse("grants:grant-portfolio")
    reports = reverse("grants:reports-manage")
    dues = report_dues_visible_to(user)
    overdue_reports = only_overdue(dues).count()
    return [
        work.WorkItem(code="agreements_to_countersign", label=_("Agreements to countersign"),
                      count=awaiting_countersignature(grants).count(), overdue=0,
                      url=f"{portfolio}?countersign=1"),
        work.WorkItem(code="bank_details_to_confirm", label=_("Bank details to confirm"),
                      count=bank_unconfirmed(grants).count(), overdue=0,
                      url=f"{portfolio}?bank=unconfirmed"),
        work.WorkItem(code="payments_due", label=_("Payments due"),
                      count=payment_due(grants).count(),
                      overdue=payment_due(grants, late=True).count(),
                      url=f"{portfolio}?payment=due",
                      detail=_("Grants with a tranche whose condition is met, not paid yet")),
        work.WorkItem(code="reports_to_review", label=_("Reports to review"),
                      count=only_to_review(dues).count(), overdue=0,
                      url=f"{reports}?status=submitted"),
        work.WorkItem(code="reports_overdue", label=_("Reports overdue"),
                      count=overdue_reports, overdue=overdue_reports,
                      url=f"{reports}?overdue=1"),
    ]


work.register("grants.secretariat_grants", roles={Role.SECRETARIAT},
              provider=_secretariat_grants, order=50)
