"""Deadline reminders: 7 days and 1 day before a call closes, to organisations with drafts,
each exactly once per call, organisation and reminder however often beat runs."""

import zoneinfo
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import formats, timezone, translation

from fundapp.notifications.models import Notification
from grants.models import Membership
from grants.services.calls import calls_remind_due, reminder_due
from grants.tasks import send_deadline_reminders
from tests.factories import ApplicationFactory, CallFactory, OrganisationFactory, UserFactory
from tests.notifications.conftest import month_name, sent_to


def reminders() -> list[tuple[str, int]]:
    return sorted(Notification.objects.filter(kind="call_deadline_reminder")
                  .values_list("recipient__username", "data__reminder"))


@pytest.fixture
def call(db):
    return CallFactory(number=8, closes_at=timezone.now() + timedelta(days=20))


@pytest.fixture
def drafting(call, ngo, organisation):
    """The NGO holds a draft on the call."""
    return ApplicationFactory(call=call, organisation=organisation)


def run_beat(call, *, days_before: float, times: int = 3) -> None:
    """Run the reminder task as beat would, ``days_before`` the deadline."""
    now = call.closes_at - timedelta(days=days_before)
    for _ in range(times):
        calls_remind_due(now=now)


def test_no_reminder_is_due_more_than_seven_days_before(call):
    assert reminder_due(call, call.closes_at - timedelta(days=7, minutes=1)) is None
    assert reminder_due(call, call.closes_at - timedelta(days=7)) == 7
    assert reminder_due(call, call.closes_at - timedelta(days=2)) == 7
    assert reminder_due(call, call.closes_at - timedelta(hours=23)) == 1
    assert reminder_due(call, call.closes_at) is None


def test_each_reminder_is_sent_once_however_often_beat_runs(drafting, call, committed):
    with committed():
        run_beat(call, days_before=9)
        run_beat(call, days_before=6.9)
        run_beat(call, days_before=6.5)
        run_beat(call, days_before=0.9)
        run_beat(call, days_before=0.2)
    assert reminders() == [("ngo", 1), ("ngo", 7)]
    assert [m.subject for m in mail.outbox] == [
        "[FundApp] Call 8 closes in 7 days", "[FundApp] Call 8 closes in 1 day"]


def test_the_reminder_names_the_deadline_in_the_persons_language_and_time_zone(
        drafting, call, organisation, committed):
    french = UserFactory(username="celine", language="fr", timezone="Africa/Lagos")
    Membership.objects.create(user=french, organisation=organisation)
    call.closes_at = call.closes_at.replace(hour=17, minute=0, second=0, microsecond=0)
    call.save()
    with committed():
        run_beat(call, days_before=6.5, times=1)
    [message] = sent_to(french.email)
    with translation.override("fr"):
        closes = formats.date_format(
            timezone.localtime(call.closes_at, zoneinfo.ZoneInfo("Africa/Lagos")), "j F Y")
    assert f"{closes}, 18:00 (Africa/Lagos)" in message.body  # 17:00 UTC, French month
    assert month_name(french, "fr") in message.body  # the footer's date
    assert '<html lang="fr" dir="ltr">' in message.alternatives[0][0]


def test_only_organisations_holding_a_draft_on_that_call_are_reminded(
        call, ngo, organisation, other_ngo, secretariat, committed):
    ApplicationFactory(call=call, organisation=organisation)
    ApplicationFactory(call=call, organisation=other_ngo.membership.organisation,
                       status="submitted")
    later = CallFactory(closes_at=call.closes_at + timedelta(days=60))
    ApplicationFactory(call=later, organisation=other_ngo.membership.organisation)
    with committed():
        run_beat(call, days_before=1)
    assert reminders() == [("ngo", 1)]
    assert [m.to for m in mail.outbox] == [[ngo.email]]


def test_two_drafts_of_one_organisation_give_one_reminder_each(call, ngo, organisation):
    ApplicationFactory(call=call, organisation=organisation)
    ApplicationFactory(call=call, organisation=organisation)
    run_beat(call, days_before=3)
    assert reminders() == [("ngo", 7)]


def test_a_call_published_late_gets_the_reminder_that_is_due_with_the_true_days_left(
        drafting, call):
    run_beat(call, days_before=3)
    [n] = Notification.objects.filter(kind="call_deadline_reminder")
    assert n.data["days"] == 3 and n.data["reminder"] == 7


def test_closed_and_draft_calls_get_no_reminder(ngo, organisation):
    soon = timezone.now() + timedelta(hours=12)
    for status in ("draft", "closed"):
        call = CallFactory(status=status, closes_at=soon)
        ApplicationFactory(call=call, organisation=organisation)
    assert calls_remind_due() == 0


def test_the_beat_task_reminds(drafting, call, committed):
    call.closes_at = timezone.now() + timedelta(hours=20)
    call.save()
    with committed():
        assert send_deadline_reminders.delay().get() == 1
        assert send_deadline_reminders.delay().get() == 0
    assert len(mail.outbox) == 1


def test_a_new_member_of_a_reminded_organisation_still_gets_the_reminder(
        drafting, call, organisation):
    run_beat(call, days_before=5, times=1)
    newcomer = UserFactory(username="newcomer")
    Membership.objects.create(user=newcomer, organisation=organisation)
    run_beat(call, days_before=4.5, times=1)
    assert reminders() == [("newcomer", 7), ("ngo", 7)]


def test_members_of_several_organisations_are_reminded_separately(call):
    orgs = [OrganisationFactory() for _ in range(3)]
    for i, org in enumerate(orgs):
        Membership.objects.create(user=UserFactory(username=f"m{i}"), organisation=org)
        ApplicationFactory(call=call, organisation=org)
    run_beat(call, days_before=1)
    assert reminders() == [("m0", 1), ("m1", 1), ("m2", 1)]
