from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from grants.models import ApplicationStatus, OrganisationStatus
from grants.services.applications import application_submit
from tests.factories import ApplicationFactory, CallFactory, complete_application

pytestmark = pytest.mark.django_db


def test_complete_draft_is_submitted_with_a_reference(ngo, organisation, secretariat):
    app = complete_application(organisation=organisation)

    app = application_submit(actor=ngo, application=app)

    assert app.status == ApplicationStatus.SUBMITTED
    assert app.reference == f"VTF{app.call.number}-0001"
    assert app.submitted_at is not None


def test_references_follow_each_other_within_a_call(ngo, organisation):
    call = CallFactory()
    first = application_submit(actor=ngo, application=complete_application(
        call=call, organisation=organisation))
    second = application_submit(actor=ngo, application=complete_application(
        call=call, organisation=organisation))
    assert (first.reference, second.reference) == (
        f"VTF{call.number}-0001", f"VTF{call.number}-0002")


def test_submission_is_audited(ngo, organisation):
    app = application_submit(actor=ngo, application=complete_application(
        organisation=organisation))
    verbs = [e.verb for e in audit_trail_for(app)]
    assert "application.submit" in verbs


def test_submit_after_deadline_is_refused(ngo, organisation):
    app = complete_application(organisation=organisation)
    app.call.closes_at = timezone.now() - timedelta(seconds=1)
    app.call.save()

    with pytest.raises(StateConflict):
        application_submit(actor=ngo, application=app)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.DRAFT


def test_call_is_closed_the_second_its_deadline_passes_without_a_periodic_task(ngo, organisation):
    app = complete_application(organisation=organisation)
    app.call.closes_at = timezone.now()
    app.call.save()
    with pytest.raises(StateConflict):
        application_submit(actor=ngo, application=app)


def test_incomplete_draft_lists_every_missing_piece(ngo, organisation):
    app = ApplicationFactory(organisation=organisation, title="", summary="", countries=[],
                             requested_usd=None, services=[])

    with pytest.raises(ValidationFailed) as exc:
        application_submit(actor=ngo, application=app)

    missing = set(exc.value.field_errors)
    assert {"title", "summary", "countries", "requested_usd", "services", "budget_lines",
            "priorities", "attachments"} <= missing


def test_budget_lines_must_add_up_to_the_request(ngo, organisation):
    app = complete_application(organisation=organisation)
    app.requested_usd = Decimal("55000.00")
    app.save()
    with pytest.raises(ValidationFailed) as exc:
        application_submit(actor=ngo, application=app)
    assert "budget_lines" in exc.value.field_errors


def test_unverified_organisation_cannot_submit(ngo, organisation):
    organisation.status = OrganisationStatus.PENDING
    organisation.save()
    with pytest.raises(StateConflict):
        application_submit(actor=ngo, application=complete_application(
            organisation=organisation))


def test_user_of_another_organisation_cannot_submit(other_ngo, organisation):
    with pytest.raises(NotAllowed):
        application_submit(actor=other_ngo, application=complete_application(
            organisation=organisation))


def test_submitted_application_cannot_be_submitted_again(ngo, organisation):
    app = application_submit(actor=ngo, application=complete_application(
        organisation=organisation))
    with pytest.raises(StateConflict):
        application_submit(actor=ngo, application=app)


def test_submission_sends_a_receipt_to_the_ngo_and_a_notice_to_the_secretariat(
        ngo, organisation, secretariat, other_ngo, django_capture_on_commit_callbacks):
    draft = complete_application(organisation=organisation)
    with django_capture_on_commit_callbacks(execute=True):
        app = application_submit(actor=ngo, application=draft)

    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([ngo.email, secretariat.email])
    receipt = next(m for m in mail.outbox if m.to == [ngo.email])
    assert app.reference in receipt.subject
