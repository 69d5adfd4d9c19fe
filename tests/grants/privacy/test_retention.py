"""The retention policy: who is due (and who never is), the run, its idempotence."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from fundapp.accounts.roles import Role, grant_role
from fundapp.core.models import AuditEvent
from fundapp.notifications.models import Notification
from grants.models import Application, ApplicationStatus, CallStatus, Organisation
from grants.selectors.privacy import retention_due
from grants.services.privacy import retention_run
from tests.factories import ApplicationFactory, CallFactory, OrganisationFactory, ngo_user
from tests.grants.implementation.helpers import make_grant

from .helpers import reread

pytestmark = pytest.mark.django_db

TODAY = date(2031, 6, 1)


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def ended(organisation, status=ApplicationStatus.DECLINED, on=date(2025, 3, 1)):
    """An application of ``organisation`` that ended on ``on`` (its call closed before)."""
    call = CallFactory(opens_at=at(on) - timedelta(days=120), closes_at=at(on) - timedelta(days=60),
                       status=CallStatus.DECIDED)
    app = ApplicationFactory(organisation=organisation, call=call, status=status)
    Application.objects.filter(pk=app.pk).update(updated_at=at(on))
    return app


def person(organisation, username, *, last_login=date(2025, 3, 2), joined=date(2024, 1, 1)):
    user = ngo_user(organisation, username=username)
    user.last_login = at(last_login) if last_login else None
    user.date_joined = at(joined)
    user.save()
    return user


def old_organisation(**kwargs) -> Organisation:
    org = OrganisationFactory(**kwargs)
    Organisation.objects.filter(pk=org.pk).update(created_at=at(date(2024, 1, 1)))
    return Organisation.objects.get(pk=org.pk)


@pytest.fixture
def declined_org():
    org = old_organisation(name="Declined long ago")
    ended(org)
    return org


def due_usernames(today=TODAY) -> list[str]:
    return [c.user.username for c in retention_due(today)]


def test_a_member_of_a_never_funded_organisation_is_due_five_years_after(declined_org):
    person(declined_org, "old-member")
    assert due_usernames(date(2030, 3, 1)) == []
    assert due_usernames(date(2030, 3, 3)) == ["old-member"]
    [case] = retention_due(TODAY)
    assert case.reason == "last_application_ended"
    assert case.last_application_on == date(2025, 3, 1) and case.due_on == date(2030, 3, 2)


def test_a_funded_organisation_is_never_due(declined_org):
    funded = old_organisation(name="Funded once")
    grant = make_grant(funded)
    grant.application.call.status = CallStatus.DECIDED
    grant.application.call.save()
    ended(funded)
    person(funded, "funded-member")
    person(declined_org, "old-member")
    assert due_usernames() == ["old-member"]


def test_recent_sign_in_or_an_open_application_keeps_people(declined_org):
    person(declined_org, "back-last-year", last_login=date(2030, 9, 1))
    busy = old_organisation(name="Still applying")
    ended(busy)
    ApplicationFactory(organisation=busy, status=ApplicationStatus.SUBMITTED)
    person(busy, "busy-member")
    recent = old_organisation(name="Declined last year")
    ended(recent, on=date(2030, 1, 10))
    person(recent, "recent-member")
    assert due_usernames() == []


def test_withdrawn_ineligible_and_never_applied_count_too(db):
    withdrawn, ineligible = old_organisation(), old_organisation()
    ended(withdrawn, ApplicationStatus.WITHDRAWN)
    ended(ineligible, ApplicationStatus.INELIGIBLE)
    silent = old_organisation()
    person(withdrawn, "w"), person(ineligible, "i")
    person(silent, "never", last_login=None, joined=date(2024, 1, 1))
    cases = {c.user.username: c.reason for c in retention_due(TODAY)}
    assert cases == {"w": "last_application_ended", "i": "last_application_ended",
                     "never": "never_applied"}


def test_people_with_a_role_at_the_fund_are_kept(declined_org):
    reviewer = person(declined_org, "also-reviewer")
    grant_role(reviewer, Role.REVIEWER)
    assert due_usernames() == []


def test_the_setting_sets_the_period(declined_org, settings):
    person(declined_org, "old-member")
    settings.RETENTION_NEVER_FUNDED_YEARS = 10
    assert due_usernames() == []
    assert due_usernames(date(2035, 3, 3)) == ["old-member"]


def test_the_run_anonymises_tells_the_secretariat_counts_only_and_is_idempotent(
        declined_org, secretariat, django_capture_on_commit_callbacks):
    member = person(declined_org, "old-member")
    with django_capture_on_commit_callbacks(execute=True):
        assert retention_run(today=TODAY) == 1
    user = reread(member)
    assert user.anonymised_at and user.username == f"former-member-{member.pk}"
    assert user.email == "" and not user.is_active
    [notice] = Notification.objects.filter(kind="retention_anonymised")
    assert notice.recipient == secretariat and notice.data["count"] == 1
    assert "old-member" not in str(notice.data)
    row = AuditEvent.objects.get(verb="person.anonymise")
    assert row.after["reason"] == "retention_never_funded" and "old-member" not in str(row.after)
    with django_capture_on_commit_callbacks(execute=True):
        assert retention_run(today=TODAY) == 0
    assert Notification.objects.filter(kind="retention_anonymised").count() == 1
    assert AuditEvent.objects.filter(verb="person.anonymise").count() == 1


def test_the_task_runs_the_service(declined_org, monkeypatch):
    from grants import tasks

    monkeypatch.setattr(tasks, "retention_run", lambda: 7)
    assert tasks.run_retention.delay().get() == 7
