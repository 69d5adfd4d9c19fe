"""Notification preferences (each person) and the delivery monitor with resend (the
secretariat) through the API: the web pages' choices, filters and rules."""

import pytest
from django.core import mail

from fundapp.core.models import AuditEvent
from fundapp.notifications.kinds import KINDS, optional_kinds
from fundapp.notifications.models import (
    DeliveryState,
    EmailMode,
    EmailStatus,
    Notification,
    NotificationPreference,
)
from fundapp.notifications.selectors import preference_for
from fundapp.notifications.services import notify, notify_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PREFERENCES = "/api/v1/me/notification-preferences/"
DELIVERIES = "/api/v1/notifications/deliveries/"


@pytest.fixture
def people(ngo, other_ngo, secretariat, reviewer, board_member, donor):
    return {"ngo": ngo, "other_ngo": other_ngo, "secretariat": secretariat,
            "reviewer": reviewer, "board": board_member, "donor": donor, "anonymous": None}


def optional_kind() -> str:
    return optional_kinds()[0][0]


def essential_kind() -> str:
    return next(name for name, k in KINDS.items() if k.essential)


def pending(user, kind="organisation_verified") -> Notification:
    [n] = notify(recipients=[user], kind=kind,
                 data={"organisation": "Hope Shelter", "reason": "", "url": "/organisation/"})
    return n


def with_state(n: Notification, state: str, **fields) -> Notification:
    values = {"state": state} | fields
    if state == DeliveryState.SENT:
        values.setdefault("sent_at", n.created_at)
    Notification.objects.filter(pk=n.pk).update(**values)
    n.refresh_from_db()
    return n


# --- preferences -------------------------------------------------------------------------------


def test_without_a_saved_choice_everything_is_e_mailed_at_once(api_as, ngo):
    body = api_as(ngo).get(PREFERENCES).json()
    assert body["email_mode"] == EmailMode.IMMEDIATE and body["muted_kinds"] == []
    assert [k["kind"] for k in body["kinds"]] == [name for name, _k in optional_kinds()]
    assert all(k["email"] for k in body["kinds"]) and body["kinds"][0]["label"]
    assert essential_kind() not in {k["kind"] for k in body["kinds"]}


def test_patch_changes_the_mode_and_the_kinds_turned_off_audited(api_as, ngo):
    client = api_as(ngo)
    kind = optional_kind()
    response = client.patch(PREFERENCES, {"email_mode": "digest", "muted_kinds": [kind]},
                            format="json")
    assert response.status_code == 200
    assert response.json()["muted_kinds"] == [kind]
    assert next(k for k in response.json()["kinds"] if k["kind"] == kind)["email"] is False
    preference = NotificationPreference.objects.get(user=ngo)
    assert (preference.email_mode, preference.muted_kinds) == (EmailMode.DIGEST, [kind])
    assert AuditEvent.objects.filter(verb="notification.preferences", actor=ngo).exists()


def test_patch_keeps_what_it_does_not_name(api_as, ngo):
    client = api_as(ngo)
    kind = optional_kind()
    client.patch(PREFERENCES, {"muted_kinds": [kind]}, format="json")
    client.patch(PREFERENCES, {"email_mode": "digest"}, format="json")
    preference = preference_for(ngo)
    assert (preference.email_mode, preference.muted_kinds) == (EmailMode.DIGEST, [kind])
    client.patch(PREFERENCES, {"muted_kinds": []}, format="json")
    assert preference_for(ngo).muted_kinds == [] and preference_for(ngo).email_mode == "digest"


@pytest.mark.parametrize("body,field", [
    ({"email_mode": "weekly"}, "email_mode"),
    ({"muted_kinds": ["no_such_kind"]}, "muted_kinds"),
    ({"muted_kinds": "organisation_verified"}, "muted_kinds"),
])
def test_bad_preferences_are_400_on_the_field(api_as, ngo, body, field):
    response = api_as(ngo).patch(PREFERENCES, body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not NotificationPreference.objects.filter(user=ngo).exists()


def test_an_essential_kind_cannot_be_turned_off(api_as, ngo):
    response = api_as(ngo).patch(PREFERENCES, {"muted_kinds": [essential_kind()]},
                                 format="json")
    assert response.status_code == 400
    assert "essential" in response.json()["muted_kinds"][0]


def test_preferences_are_each_person_s_own_and_need_signing_in(api, api_as, ngo, other_ngo):
    api_as(ngo).patch(PREFERENCES, {"email_mode": "digest"}, format="json")
    assert api_as(other_ngo).get(PREFERENCES).json()["email_mode"] == "immediate"
    assert api.get(PREFERENCES).status_code == 401
    assert api.patch(PREFERENCES, {"email_mode": "digest"}, format="json").status_code == 401


def test_a_kind_turned_off_through_the_api_is_not_e_mailed(
        api_as, ngo, django_capture_on_commit_callbacks):
    api_as(ngo).patch(PREFERENCES, {"muted_kinds": ["invitation_accepted"]}, format="json")
    assert not KINDS["invitation_accepted"].essential
    with django_capture_on_commit_callbacks(execute=True):
        [n] = notify(recipients=[ngo], kind="invitation_accepted", data={
            "name": "Ada", "organisation": "Hope Shelter", "role": "editor", "url": "/"})
    n.refresh_from_db()
    assert n.email_status == EmailStatus.SKIPPED and mail.outbox == []


# --- the delivery monitor -------------------------------------------------------------------


MONITOR = {"secretariat": 200, "ngo": 403, "other_ngo": 403, "reviewer": 403, "board": 403,
           "donor": 403, "anonymous": 401}


@pytest.mark.parametrize("who", MONITOR)
def test_only_the_secretariat_sees_the_deliveries(api_as, people, who):
    pending(people["ngo"])
    response = api_as(people[who]).get(DELIVERIES)
    assert response.status_code == MONITOR[who]


def test_the_list_shows_each_delivery_newest_first(api_as, secretariat, ngo):
    first = pending(ngo)
    second = with_state(pending(ngo, kind="organisation_rejected"), DeliveryState.FAILED,
                        attempts=8, last_error="SMTPRecipientsRefused: 550")
    [latest, earlier] = api_as(secretariat).get(DELIVERIES).json()["results"]
    assert (latest["id"], earlier["id"]) == (second.pk, first.pk)
    assert latest["status"] == "failed" and latest["attempts"] == 8
    assert latest["last_error"].startswith("SMTPRecipientsRefused")
    assert latest["recipient"] == ngo.pk and latest["recipient_username"] == "ngo"
    assert latest["address"] == ngo.email and latest["resendable"] is True
    assert earlier["status"] == "pending" and earlier["resendable"] is False
    assert earlier["kind"] == "organisation_verified" and earlier["kind_label"]


def test_the_filters_are_the_page_s_and_the_recipient(api_as, secretariat, ngo, other_ngo):
    sent = with_state(pending(ngo), DeliveryState.SENT, email_status=EmailStatus.SENT)
    failed = with_state(pending(other_ngo), DeliveryState.FAILED, last_error="boom")
    retrying = with_state(pending(ngo, kind="organisation_rejected"), DeliveryState.PENDING,
                          attempts=2, last_error="timeout")
    waiting = pending(other_ngo, kind="organisation_rejected")
    client = api_as(secretariat)

    def ids(**params):
        return {row["id"] for row in client.get(DELIVERIES, params).json()["results"]}

    assert ids(status="sent") == {sent.pk}
    assert ids(status="failed") == {failed.pk}
    assert ids(status="pending") == {retrying.pk, waiting.pk}
    assert ids(status="retrying") == {retrying.pk}
    assert ids(kind="organisation_rejected") == {retrying.pk, waiting.pk}
    assert ids(recipient="NGO") == {sent.pk, retrying.pk}
    assert ids(recipient=other_ngo.email.upper()) == {failed.pk, waiting.pk}
    assert ids(recipient="otherngo", status="pending") == {waiting.pk}


def test_a_bare_address_is_found_by_its_address(api_as, secretariat):
    n = notify_address(email="new.person@example.org", kind="invitation",
                       data={"organisation": "Hope", "url": "/invitations/x/"})
    rows = api_as(secretariat).get(DELIVERIES, {"recipient": "New.Person@example.org"}).json()
    assert [r["id"] for r in rows["results"]] == [n.pk]
    assert rows["results"][0]["recipient"] is None
    assert rows["results"][0]["address"] == "new.person@example.org"


def test_the_list_may_be_ordered(api_as, secretariat, ngo):
    tried = with_state(pending(ngo), DeliveryState.PENDING, attempts=3, last_error="timeout")
    fresh = pending(ngo, kind="organisation_rejected")
    rows = api_as(secretariat).get(DELIVERIES, {"ordering": "-attempts"}).json()["results"]
    assert [r["id"] for r in rows] == [tried.pk, fresh.pk]
    rows = api_as(secretariat).get(DELIVERIES, {"ordering": "id"}).json()["results"]
    assert [r["id"] for r in rows] == [tried.pk, fresh.pk]
    rows = api_as(secretariat).get(DELIVERIES, {"ordering": "-id"}).json()["results"]
    assert [r["id"] for r in rows] == [fresh.pk, tried.pk]


@pytest.mark.parametrize("params", [{"status": "lost"}, {"kind": "no_such_kind"},
                                    {"recipient": "x" * 300}])
def test_bad_filters_are_400(api_as, secretariat, params):
    assert api_as(secretariat).get(DELIVERIES, params).status_code == 400


def test_the_list_is_flat_in_queries(api_as, secretariat):
    client = api_as(secretariat)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(DELIVERIES, {"page_size": 100})
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()["count"]

    people = UserFactory.create_batch(3)
    for person in people:
        pending(person)
    small, rows = count()
    for person in UserFactory.create_batch(27):
        pending(person)
    large, more = count()
    assert (rows, more) == (3, 30)
    assert large == small and small <= 6, (small, large)


# --- resend ---------------------------------------------------------------------------------


@pytest.fixture
def failed(ngo):
    return with_state(pending(ngo), DeliveryState.FAILED, attempts=8,
                      last_error="SMTPDataError: 554 Mailbox unavailable")


def resend_url(n) -> str:
    return f"{DELIVERIES}{n.pk}/resend/"


def test_resend_puts_a_failed_notification_back_and_delivers_it_audited(
        api_as, secretariat, failed, ngo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(secretariat).post(resend_url(failed))
    assert response.status_code == 200 and response.json()["id"] == failed.pk
    assert response.json()["status"] == "pending" and response.json()["attempts"] == 0
    failed.refresh_from_db()
    assert (failed.state, failed.email_status) == (DeliveryState.SENT, EmailStatus.SENT)
    assert [m.to for m in mail.outbox] == [[ngo.email]]
    event = AuditEvent.objects.get(verb="notification.resend")
    assert event.actor == secretariat and event.before["state"] == "failed"


def test_a_sent_notification_may_be_sent_again(api_as, secretariat, ngo):
    sent = with_state(pending(ngo), DeliveryState.SENT, email_status=EmailStatus.SENT)
    assert api_as(secretariat).post(resend_url(sent)).status_code == 200


@pytest.mark.parametrize("attempts", [0, 3])
def test_a_pending_notification_is_not_resendable_409(api_as, secretariat, ngo, attempts):
    n = with_state(pending(ngo), DeliveryState.PENDING, attempts=attempts)
    response = api_as(secretariat).post(resend_url(n))
    assert response.status_code == 409 and "outbox" in response.json()["detail"]
    assert not AuditEvent.objects.filter(verb="notification.resend").exists()


def test_an_e_mail_sent_to_a_bare_address_is_not_resendable_409(api_as, secretariat):
    notify_address(email="new.person@example.org", kind="invitation",
                   data={"organisation": "Hope", "url": "/invitations/secret/"})
    n = with_state(Notification.objects.get(email="new.person@example.org"),
                   DeliveryState.SENT, email_status=EmailStatus.SENT, data={})
    response = api_as(secretariat).post(resend_url(n))
    assert response.status_code == 409 and "invitation" in response.json()["detail"]


@pytest.mark.parametrize("who", [w for w in MONITOR if w != "secretariat"])
def test_only_the_secretariat_may_resend(api_as, people, failed, who):
    response = api_as(people[who]).post(resend_url(failed))
    assert response.status_code == MONITOR[who]
    failed.refresh_from_db()
    assert failed.state == DeliveryState.FAILED


def test_resending_an_unknown_notification_is_404(api_as, secretariat):
    assert api_as(secretariat).post(f"{DELIVERIES}999999/resend/").status_code == 404


def test_the_web_page_refuses_a_pending_resend_with_the_same_message(
        login, secretariat, ngo):
    n = pending(ngo)
    response = login(secretariat).post(f"/notifications/delivery/{n.pk}/resend/", follow=True)
    assert "in the outbox already" in response.content.decode()
    assert not AuditEvent.objects.filter(verb="notification.resend").exists()
