from decimal import Decimal

from fundapp.notifications.models import Notification
from fundapp.notifications.rendering import render_notification
from grants.services.implementation import (
    disbursement_record,
    report_request_changes,
    report_submit,
)
from tests.grants.implementation.helpers import due, report_data, today


def test_the_grantee_s_notifications_render_in_english_and_french(live_grant, ngo,
                                                                  secretariat):
    disbursement_record(actor=secretariat, grant=live_grant,
                        tranche=live_grant.tranches.get(position=1), paid_on=today(),
                        amount_usd=Decimal("40000.00"), reference="N1")
    report = report_submit(actor=ngo, grant=live_grant, report_due=due(live_grant),
                           data=report_data())
    report_request_changes(actor=secretariat, report=report, comment="More detail.")
    kinds = set(Notification.objects.filter(recipient=ngo).values_list("kind", flat=True))
    assert kinds == {"grant_active", "tranche_paid", "report_changes_requested"}
    paid = render_notification(Notification.objects.get(kind="tranche_paid"))
    assert "40,000.00" in paid.subject and live_grant.agreement_number in paid.text
    for notification in Notification.objects.filter(recipient=ngo):
        assert render_notification(notification, "fr").text
