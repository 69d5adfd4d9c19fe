"""Work queue providers of donors (``fundapp.core.work``): the donor's own contributions,
receipts and pledges outstanding, and the secretariat's pledges not yet received.
(Filled in by the workspaces work.)"""


# --- the secretariat's ---
# Pledges not yet received in full (open or partly paid), overdue once their expected payment
# date has passed: the pledge list filtered ``?outstanding=1`` shows exactly these.

from django.db.models import Count, Q  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from donors.selectors.pledges import pledges_outstanding, pledges_visible_to  # noqa: E402
from fundapp.accounts.roles import Role  # noqa: E402
from fundapp.core import work  # noqa: E402


def secretariat_pledges(user) -> list[work.WorkItem]:
    """One aggregate query: the outstanding pledges and how many are past their date."""
    outstanding = pledges_outstanding(pledges_visible_to(user)).order_by()
    counts = outstanding.aggregate(
        n=Count("pk"), late=Count("pk", filter=Q(expected_on__lt=timezone.localdate())))
    return [work.WorkItem(
        code="pledges_outstanding", label=_("Pledges not yet received"), count=counts["n"],
        overdue=counts["late"], url=reverse("donors:pledge-list") + "?outstanding=1")]


work.register("donors.secretariat", roles={Role.SECRETARIAT}, provider=secretariat_pledges,
              order=80)
