"""Who may extend a deadline, to when, on what, and what it records and tells."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.notifications.models import Notification
from fundapp.notifications.rendering import render_notification
from grants.models import ApplicationStatus, CallStatus, DeadlineExtension
from grants.services.extensions import deadline_extend, deadline_extension_revoke
from tests.factories import ApplicationFactory, CallFactory, ngo_user

from .conftest import in_days

pytestmark = pytest.mark.django_db
REASON = "Office flooded in Maiduguri on 28 November; documents lost."


def extend(actor, app, days=5, reason=REASON, **kwargs):
    return deadline_extend(actor=actor, call=app.call, application=app, until=in_days(days),
                           reason=reason, **kwargs)


def test_the_secretariat_extends_one_application(secretariat, late_draft):
    extension = extend(secretariat, late_draft)
    assert (extension.application, extension.organisation) == (late_draft, None)
    assert extension.granted_by == secretariat and extension.revoked_at is None
    assert extension.reason == REASON


@pytest.mark.parametrize("who", ["ngo", "reviewer", "board_member", "donor"])
def test_nobody_else_may_extend(request, who, late_draft):
    with pytest.raises(NotAllowed):
        extend(request.getfixturevalue(who), late_draft)
    assert not DeadlineExtension.objects.exists()


def test_until_must_be_after_the_calls_closing_time(secretariat, organisation):
    call = CallFactory(closes_at=in_days(3))  # still open for three days
    app = ApplicationFactory(organisation=organisation, call=call)
    with pytest.raises(ValidationFailed) as error:
        deadline_extend(actor=secretariat, call=call, application=app, until=in_days(2),
                        reason=REASON)
    assert "until" in error.value.field_errors


def test_until_must_be_in_the_future(secretariat, late_draft):
    with pytest.raises(ValidationFailed) as error:
        extend(secretariat, late_draft, days=-0.5)  # after closing, but already past
    assert "in the future" in error.value.field_errors["until"][0]


def test_a_reason_is_required(secretariat, late_draft):
    with pytest.raises(ValidationFailed) as error:
        extend(secretariat, late_draft, reason="   ")
    assert "reason" in error.value.field_errors


def test_an_application_of_another_call_is_refused(secretariat, late_draft):
    other_call = CallFactory(status=CallStatus.CLOSED, opens_at=in_days(-30),
                             closes_at=in_days(-2))
    with pytest.raises(ValidationFailed) as error:
        deadline_extend(actor=secretariat, call=other_call, application=late_draft,
                        until=in_days(3), reason=REASON)
    assert "application" in error.value.field_errors


def test_one_application_or_one_organisation_not_both(secretariat, late_draft, organisation):
    with pytest.raises(ValidationFailed):
        extend(secretariat, late_draft, organisation=organisation)
    with pytest.raises(ValidationFailed):
        deadline_extend(actor=secretariat, call=late_draft.call, until=in_days(3),
                        reason=REASON)


def test_a_submitted_application_needs_no_extension(secretariat, late_draft):
    late_draft.status = ApplicationStatus.SUBMITTED
    late_draft.save()
    with pytest.raises(StateConflict):
        extend(secretariat, late_draft)


@pytest.mark.parametrize("status", [CallStatus.DRAFT, CallStatus.DECIDED, CallStatus.ARCHIVED])
def test_only_an_open_or_closed_call_takes_extensions(secretariat, late_draft, status):
    call = late_draft.call
    call.status = status
    call.save()
    with pytest.raises(StateConflict):
        extend(secretariat, late_draft)


def test_a_later_extension_replaces_the_earlier_one(secretariat, late_draft):
    first = extend(secretariat, late_draft, days=3)
    second = extend(secretariat, late_draft, days=7, reason="Still no electricity.")
    first.refresh_from_db()
    assert first.revoked_at is not None and second.revoked_at is None
    assert list(DeadlineExtension.objects.filter(revoked_at__isnull=True)) == [second]


def test_extending_an_organisation_does_not_replace_an_application_extension(
        secretariat, late_draft, organisation):
    own = extend(secretariat, late_draft, days=3)
    deadline_extend(actor=secretariat, call=late_draft.call, organisation=organisation,
                    until=in_days(6), reason=REASON)
    own.refresh_from_db()
    assert own.revoked_at is None
    assert DeadlineExtension.objects.filter(revoked_at__isnull=True).count() == 2


def test_revoking_ends_an_extension(secretariat, late_draft):
    extension = extend(secretariat, late_draft)
    deadline_extension_revoke(actor=secretariat, extension=extension)
    extension.refresh_from_db()
    assert extension.revoked_at is not None
    with pytest.raises(StateConflict):
        deadline_extension_revoke(actor=secretariat, extension=extension)


def test_only_the_secretariat_revokes(secretariat, ngo, late_draft):
    extension = extend(secretariat, late_draft)
    with pytest.raises(NotAllowed):
        deadline_extension_revoke(actor=ngo, extension=extension)


def test_extension_and_revocation_are_audited(secretariat, late_draft):
    extension = extend(secretariat, late_draft)
    deadline_extension_revoke(actor=secretariat, extension=extension)
    events = {e.verb: e for e in audit_trail_for(late_draft)}
    assert events["deadline.extend"].actor == secretariat
    assert events["deadline.extend"].after["reason"] == REASON
    assert "deadline.revoke" in events


def test_the_organisations_members_are_told_the_new_time(secretariat, ngo, organisation,
                                                         late_draft, other_ngo):
    editor = ngo_user(organisation, org_role="editor", username="editor")
    extension = extend(secretariat, late_draft)
    sent = Notification.objects.filter(kind="deadline_extended")
    assert {n.recipient for n in sent} == {ngo, editor}
    assert sent.first().data["until"] == extension.until.isoformat()
    assert sent.first().data["reason"] == REASON


def test_the_message_words_the_time_in_the_members_zone(secretariat, ngo, late_draft):
    ngo.timezone = "Africa/Lagos"
    ngo.save()
    until = (timezone.now() + timedelta(days=4)).replace(hour=16, minute=0, second=0,
                                                         microsecond=0)
    deadline_extend(actor=secretariat, call=late_draft.call, application=late_draft,
                    until=until, reason=REASON)
    rendered = render_notification(Notification.objects.get(recipient=ngo))
    assert "17:00" in rendered.text and "Lagos" in rendered.text
    assert REASON in rendered.text and late_draft.title in rendered.text


def test_the_organisations_members_are_told_of_a_revocation(secretariat, ngo, organisation,
                                                            late_draft, other_ngo):
    editor = ngo_user(organisation, org_role="editor", username="editor")
    extension = extend(secretariat, late_draft)
    deadline_extension_revoke(actor=secretariat, extension=extension)
    sent = Notification.objects.filter(kind="deadline_extension_revoked")
    assert {n.recipient for n in sent} == {ngo, editor}
    notice = sent.get(recipient=ngo)
    assert notice.data["closes_at"] == late_draft.call.closes_at.isoformat()
    rendered = render_notification(notice)
    assert rendered.subject == f"Call {late_draft.call.number}: your deadline extension is " \
                               "withdrawn"
    assert late_draft.title in rendered.text and "deadline applies again" in rendered.text
