"""The secretariat's delivery page: status, failures with reasons, and an audited resend."""

import pytest
from django.core import mail
from django.urls import reverse

from fundapp.core.errors import NotAllowed
from fundapp.core.models import AuditEvent
from fundapp.notifications.models import DeliveryState, EmailStatus, Notification
from fundapp.notifications.services import notification_resend
from fundapp.notifications.tasks import deliver_notification

MONITOR = reverse("notifications:monitor")


@pytest.fixture
def failed(pending, settings, monkeypatch):
    import smtplib

    from tests.notifications.backends import FailingBackend

    settings.EMAIL_BACKEND = "tests.notifications.backends.FailingBackend"
    monkeypatch.setattr(FailingBackend, "error", smtplib.SMTPRecipientsRefused(
        {"amina@example.org": (550, b"Mailbox unavailable")}))
    n = pending()
    deliver_notification.delay(n.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    n.refresh_from_db()
    assert n.state == DeliveryState.FAILED
    return n


def test_the_secretariat_sees_failures_with_their_reasons(client, secretariat, failed, pending):
    deliver_notification.delay(pending().pk)
    client.force_login(secretariat)
    page = client.get(MONITOR, {"state": "failed"})
    assert page.status_code == 200
    html = page.content.decode()
    assert f"<td>{failed.pk}</td>" in html
    assert "SMTPRecipientsRefused" in html and "Mailbox unavailable" in html
    assert html.count("<tr class=\"state-") == 1
    assert [c for c in page.context["counts"] if c[0] == "failed"][0][2] == 1


def test_the_page_filters_by_kind(client, secretariat, pending):
    pending()
    client.force_login(secretariat)
    assert client.get(MONITOR, {"kind": "call_closed"}).context["page"].paginator.count == 0
    assert client.get(MONITOR, {"kind": "organisation_verified"}).context[
        "page"].paginator.count == 1


def test_others_may_not_see_the_delivery_page(client, ngo, reviewer, board_member, donor):
    for user in (ngo, reviewer, board_member, donor):
        client.force_login(user)
        assert client.get(MONITOR).status_code == 403


def test_resend_puts_a_failed_notification_back_and_delivers_it_audited(
        client, secretariat, failed, django_capture_on_commit_callbacks):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:resend", args=[failed.pk]),
                               {"next": f"{MONITOR}?state=failed"})
    assert response.status_code == 302 and response.url == f"{MONITOR}?state=failed"
    failed.refresh_from_db()
    assert (failed.state, failed.email_status, failed.attempts) == (
        DeliveryState.SENT, EmailStatus.SENT, 1)
    assert [m.to for m in mail.outbox] == [[failed.recipient.email]]
    event = AuditEvent.objects.get(verb="notification.resend")
    assert event.actor == secretariat
    assert event.before["state"] == "failed" and "Mailbox unavailable" in event.before[
        "last_error"]


def test_only_the_secretariat_may_resend(client, ngo, failed):
    with pytest.raises(NotAllowed):
        notification_resend(actor=ngo, notification=failed)
    client.force_login(ngo)
    assert client.post(reverse("notifications:resend", args=[failed.pk])).status_code == 403
    assert Notification.objects.get(pk=failed.pk).state == DeliveryState.FAILED
