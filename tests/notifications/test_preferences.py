"""People choose: non-essential kinds can be turned off or batched in a daily digest."""

import pytest
from django.core import mail
from django.urls import reverse

from fundapp.core.errors import ValidationFailed
from fundapp.notifications import services
from fundapp.notifications.models import (
    DeliveryState,
    EmailMode,
    EmailStatus,
    Notification,
    NotificationPreference,
)
from fundapp.notifications.tasks import daily_digest, deliver_notification

REMINDER = {"call_number": 8, "days": 7, "closes_at": "2026-12-01T17:00:00+00:00",
            "url": "/calls/1/"}


def _prefer(user, *, mode=EmailMode.IMMEDIATE, muted=()):
    return services.notification_preferences_update(actor=user, email_mode=mode,
                                                    muted_kinds=list(muted))


def test_a_turned_off_kind_is_not_e_mailed_but_stays_in_the_centre(person, pending):
    _prefer(person, muted=["call_deadline_reminder"])
    n = pending(kind="call_deadline_reminder", **REMINDER)
    deliver_notification.delay(n.pk)
    n.refresh_from_db()
    assert (n.state, n.email_status) == (DeliveryState.SENT, EmailStatus.SKIPPED)
    assert mail.outbox == []
    assert person.notifications.filter(read_at__isnull=True).count() == 1


def test_essential_kinds_cannot_be_turned_off(person):
    with pytest.raises(ValidationFailed) as exc:
        _prefer(person, muted=["application_submitted"])
    assert "muted_kinds" in exc.value.field_errors
    assert not NotificationPreference.objects.exists()


def test_unknown_kinds_and_modes_are_refused(person):
    with pytest.raises(ValidationFailed):
        _prefer(person, muted=["no_such_kind"])
    with pytest.raises(ValidationFailed):
        _prefer(person, mode="weekly")


def test_changing_preferences_is_audited(person):
    from fundapp.core.models import AuditEvent

    _prefer(person, mode=EmailMode.DIGEST, muted=["clarification_answered"])
    event = AuditEvent.objects.get(verb="notification.preferences")
    assert event.after == {"email_mode": "digest", "muted_kinds": ["clarification_answered"]}


def test_in_digest_mode_optional_notices_wait_and_essential_ones_leave_at_once(
        person, pending):
    _prefer(person, mode=EmailMode.DIGEST)
    reminder = pending(kind="call_deadline_reminder", **REMINDER)
    receipt = pending(kind="organisation_verified")
    for n in (reminder, receipt):
        deliver_notification.delay(n.pk)
    reminder.refresh_from_db()
    assert (reminder.state, reminder.email_status) == (DeliveryState.PENDING, EmailStatus.DIGEST)
    assert reminder.next_attempt_at is None  # the sweep leaves it to the digest
    assert [m.subject for m in mail.outbox] == ["[FundApp] Hope Shelter is verified"]


def test_the_daily_digest_sends_one_e_mail_per_person_once(person, french_person, pending):
    for user in (person, french_person):
        _prefer(user, mode=EmailMode.DIGEST)
        for number in (8, 9):
            n = pending(user=user, kind="call_deadline_reminder", **REMINDER | {
                "call_number": number})
            deliver_notification.delay(n.pk)
    assert mail.outbox == []

    assert daily_digest.delay().get() == 2
    assert daily_digest.delay().get() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([french_person.email, person.email])
    digest = next(m for m in mail.outbox if m.to == [person.email])
    assert digest.subject == "[FundApp] Your daily summary: 2 notifications"
    assert "Call 8 closes in 7 days" in digest.body and "Call 9 closes" in digest.body
    assert "<h2" in digest.alternatives[0][0]
    assert set(Notification.objects.values_list("state", "email_status")) == {
        (DeliveryState.SENT, EmailStatus.DIGESTED)}


def test_a_failed_digest_is_kept_for_the_next_one(person, pending, settings):
    _prefer(person, mode=EmailMode.DIGEST)
    n = pending(kind="call_deadline_reminder", **REMINDER)
    deliver_notification.delay(n.pk)
    settings.EMAIL_BACKEND = "tests.notifications.backends.FailingBackend"
    with pytest.raises(services.DeliveryDeferred):
        services.digest_send(user_id=person.pk)
    n.refresh_from_db()
    assert (n.state, n.email_status, n.attempts) == (
        DeliveryState.PENDING, EmailStatus.DIGEST, 1)
    assert "SMTPServerDisconnected" in n.last_error and n.next_attempt_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.digest_send(user_id=person.pk) == 1
    assert len(mail.outbox) == 1


def test_the_preferences_page_saves_choices(client, person, password):
    client.force_login(person)
    url = reverse("notifications:preferences")
    page = client.get(url)
    assert page.status_code == 200
    assert b"Call deadline reminders" in page.content
    assert b"Receipt of your application" not in page.content  # essential: not offered
    response = client.post(url, {"email_mode": "digest", "wanted": ["clarification_answered"]})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=person)
    assert preference.email_mode == "digest"
    assert "call_deadline_reminder" in preference.muted_kinds  # unticked
    assert "clarification_answered" not in preference.muted_kinds


def test_the_preferences_page_needs_a_signed_in_user(client):
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
