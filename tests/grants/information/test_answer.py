"""Answering: editors and admins (not viewers) change the application again, without the
call's deadline; resubmitting returns it where it was, records the difference, keeps the
reference and tells the secretariat."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.notifications.models import Notification
from grants.models import ApplicationStatus, DocumentKind
from grants.services.applications import (
    application_submit,
    application_update,
    attachment_add,
    attachment_remove,
)
from grants.services.information import information_request
from tests.factories import PDF_BYTES, attach

from .conftest import in_days

pytestmark = pytest.mark.django_db


def pdf(name="audit-2025.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.mark.parametrize("role", ["ngo", "editor"])
def test_editors_and_admins_change_the_application_and_its_documents(request, asked, role):
    actor = request.getfixturevalue(role)
    application_update(actor=actor, application=asked, values={"title": "New title"})
    added = attach_pdf(actor, asked)
    attachment_remove(actor=actor, attachment=added)
    asked.refresh_from_db()
    assert asked.title == "New title"


def attach_pdf(actor, app):
    return attachment_add(actor=actor, application=app, kind=DocumentKind.AUDITED_ACCOUNTS,
                          uploaded=pdf())


def test_viewers_and_other_organisations_may_not_change_it(asked, viewer, other_ngo):
    for actor in (viewer, other_ngo):
        with pytest.raises(NotAllowed):
            application_update(actor=actor, application=asked, values={"title": "X"})
        with pytest.raises(NotAllowed):
            attach_pdf(actor, asked)
        with pytest.raises(NotAllowed):
            application_submit(actor=actor, application=asked)


def test_the_drafting_rules_still_apply(asked, ngo):
    with pytest.raises(ValidationFailed):
        application_update(actor=ngo, application=asked,
                           values={"requested_usd": Decimal("999999.00")})


def test_without_a_request_a_submitted_application_stays_closed(submitted, ngo):
    with pytest.raises(StateConflict):
        application_update(actor=ngo, application=submitted, values={"title": "X"})


@pytest.mark.parametrize("state", [ApplicationStatus.SUBMITTED, ApplicationStatus.SCREENING,
                                   ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW])
def test_resubmitting_returns_where_it_was_and_keeps_the_reference(submitted, secretariat,
                                                                   ngo, state):
    submitted.status = state
    submitted.save()
    information_request(actor=secretariat, application=submitted, message="More, please.",
                        due_on=in_days(5))
    sequence = submitted.call.next_sequence
    app = application_submit(actor=ngo, application=submitted)
    app.refresh_from_db()
    assert app.status == state
    assert app.reference == "VTF1-0001"
    app.call.refresh_from_db()
    assert app.call.next_sequence == sequence
    request = app.information_requests.get()
    assert request.answered_by == ngo and request.answered_at is not None


def test_the_call_deadline_does_not_apply_to_the_answer(asked, ngo):
    call = asked.call
    call.closes_at = timezone.now() - timedelta(days=2)
    call.save()
    application_update(actor=ngo, application=asked, values={"title": "After the deadline"})
    application_submit(actor=ngo, application=asked)
    asked.refresh_from_db()
    assert asked.status == ApplicationStatus.SUBMITTED


def test_an_incomplete_answer_is_refused(asked, ngo):
    application_update(actor=ngo, application=asked, values={"summary": ""})
    with pytest.raises(ValidationFailed) as exc:
        application_submit(actor=ngo, application=asked)
    assert "summary" in exc.value.field_errors
    asked.refresh_from_db()
    assert asked.status == ApplicationStatus.INFORMATION_REQUESTED


def test_the_difference_is_recorded_field_by_field(asked, ngo):
    lines = [{"category": "direct_assistance", "amount": Decimal("30000.00"),
              "description": "Shelter costs"},
             {"category": "shelter", "amount": Decimal("20000.00"), "description": "Rent"}]
    application_update(actor=ngo, application=asked,
                       values={"title": "Safe homes", "budget_lines": lines})
    attach_pdf(ngo, asked)
    application_submit(actor=ngo, application=asked)
    changes = {c["field"]: c for c in asked.information_requests.get().changes}
    assert set(changes) == {"title", "budget_lines", "attachments"}
    assert changes["title"]["after"] == "Safe homes"
    assert changes["budget_lines"]["added"] == [
        {"category": "shelter", "description": "Rent", "amount": "20000.00"}]
    assert [x["category"] for x in changes["budget_lines"]["removed"]] == ["personnel"]
    assert [a["name"] for a in changes["attachments"]["added"]] == ["audit-2025.pdf"]
    assert changes["attachments"]["removed"] == []


def test_the_secretariat_hears_of_the_answer(asked, ngo, secretariat):
    application_submit(actor=ngo, application=asked)
    note = Notification.objects.get(kind="information_provided")
    assert note.recipient == secretariat
    assert note.data["reference"] == "VTF1-0001"


def test_after_the_answer_a_new_request_may_be_made(asked, ngo, secretariat):
    application_submit(actor=ngo, application=asked)
    information_request(actor=secretariat, application=asked, message="One more thing.",
                        due_on=in_days(3))
    assert asked.information_requests.filter(answered_at__isnull=True).count() == 1


def test_an_unchanged_resubmission_records_no_change(asked, ngo):
    attach(asked)  # same bytes as the one already there; a new document all the same
    application_submit(actor=ngo, application=asked)
    changes = asked.information_requests.get().changes
    assert [c["field"] for c in changes] == ["attachments"]


def test_reordering_countries_or_services_is_no_change(asked, ngo):
    application_update(actor=ngo, application=asked,
                       values={"services": list(reversed(asked.services))})
    application_submit(actor=ngo, application=asked)
    assert asked.information_requests.get().changes == []


def test_the_application_page_tells_a_viewer_who_answers(asked, viewer, editor, login):
    url = f"/applications/{asked.pk}/"
    page = login(viewer).get(url).content.decode()
    assert "An editor or administrator of your organisation answers it" in page
    assert "Answer and resubmit" not in page and "then resubmit it." not in page
    page = login(editor).get(url).content.decode()
    assert "Answer and resubmit" in page
