"""Work queue provider of the notifications: deliveries that failed, for the secretariat.

The count is the delivery monitor's own selector (``notifications_monitor``: the last 30
days) filtered on the failed state, so the item and ``/notifications/monitor/?status=failed``
agree."""

from django.urls import reverse
from django.utils.translation import gettext as _

from fundapp.accounts.roles import Role
from fundapp.core import work

from .models import DeliveryState
from .selectors import notifications_monitor


def failed_deliveries(user) -> list[work.WorkItem]:
    n = notifications_monitor(state=DeliveryState.FAILED).count()
    return [work.WorkItem(
        code="notifications_failed", label=_("Notifications that failed to deliver"),
        count=n, overdue=0, url=reverse("notifications:monitor") + "?status=failed",
        detail=_("last 30 days"))]


work.register("notifications.secretariat", roles={Role.SECRETARIAT},
              provider=failed_deliveries, order=90)
