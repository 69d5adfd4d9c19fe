"""Who may post on a thread, when, and what a message records."""

import pytest

from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from grants.models import GrantStatus, Message
from grants.services.messages import message_post
from tests.factories import ApplicationFactory
from tests.grants.messages.helpers import submitted_application

pytestmark = pytest.mark.django_db


def test_the_secretariat_writes_on_a_submitted_application(secretariat, application):
    message = message_post(actor=secretariat, application=application,
                           body="  Please send your audited accounts for 2025.  ")
    assert message.from_secretariat is True
    assert message.author == secretariat and message.grant is None
    assert message.body == "Please send your audited accounts for 2025."


@pytest.mark.parametrize("who", ["ngo", "editor"])
def test_an_admin_or_editor_of_the_organisation_writes(request, who, application):
    user = request.getfixturevalue(who)
    message = message_post(actor=user, application=application, body="Attached, as asked.")
    assert message.from_secretariat is False and message.author == user


def test_a_viewer_only_reads(viewer, application):
    with pytest.raises(NotAllowed):
        message_post(actor=viewer, application=application, body="Hello")
    assert not Message.objects.exists()


@pytest.mark.parametrize("who", ["reviewer", "board_member", "donor", "other_ngo"])
def test_nobody_else_writes(request, who, application):
    with pytest.raises(NotAllowed):
        message_post(actor=request.getfixturevalue(who), application=application, body="Hi")
    assert not Message.objects.exists()


def test_an_inactive_secretariat_account_cannot_write(secretariat, application):
    secretariat.is_active = False
    secretariat.save()
    with pytest.raises(NotAllowed):
        message_post(actor=secretariat, application=application, body="Hello")


def test_a_draft_has_no_thread_yet(secretariat, ngo, organisation, open_call):
    draft = ApplicationFactory(organisation=organisation, call=open_call)
    for actor in (secretariat, ngo):
        with pytest.raises(StateConflict):
            message_post(actor=actor, application=draft, body="Hello")
    assert not Message.objects.exists()


@pytest.mark.parametrize("status", [GrantStatus.PENDING_SIGNATURE, GrantStatus.ACTIVE,
                                    GrantStatus.CANCELLED])
def test_a_grant_thread_is_always_open(secretariat, ngo, grant, status):
    type(grant).objects.filter(pk=grant.pk).update(status=status)
    message_post(actor=secretariat, grant=grant, body="Your agreement is ready.")
    message_post(actor=ngo, grant=grant, body="Thank you.")
    assert list(grant.messages.values_list("from_secretariat", flat=True)) == [True, False]


@pytest.mark.parametrize("body", ["", "   \n ", "x" * 20001])
def test_an_empty_or_overlong_body_is_refused(secretariat, application, body):
    with pytest.raises(ValidationFailed) as exc:
        message_post(actor=secretariat, application=application, body=body)
    assert "body" in exc.value.field_errors


def test_one_thread_only(secretariat, application, grant):
    with pytest.raises(ValueError):
        message_post(actor=secretariat, application=application, grant=grant, body="x")
    with pytest.raises(ValueError):
        message_post(actor=secretariat, body="x")


def test_a_message_is_audited_on_its_thread(ngo, application):
    message = message_post(actor=ngo, application=application, body="Our answer.")
    event = audit_trail_for(application).get(verb="message.post")
    assert event.actor == ngo
    assert event.after["message"] == message.pk and event.after["from_secretariat"] is False


def test_another_organisations_application_is_not_writable_by_this_ngo(ngo, other_organisation,
                                                                      open_call):
    theirs = submitted_application(other_organisation, open_call, reference="VTF1-0002")
    with pytest.raises(NotAllowed):
        message_post(actor=ngo, application=theirs, body="Hi")


def test_a_message_reads_as_a_step_on_the_application_history(secretariat, ngo, application):
    from grants.selectors.applications import application_history_for

    message_post(actor=secretariat, application=application, body="Please send the budget.")
    message_post(actor=ngo, application=application, body="Attached.")
    seen = {user: [e.label for e in application_history_for(user, application)
                   if e.verb == "message.post"] for user in (secretariat, ngo)}
    assert seen[secretariat] == ["Message sent", "Message sent"]
    assert seen[ngo] == ["Message sent"]  # their own organisation's step only
