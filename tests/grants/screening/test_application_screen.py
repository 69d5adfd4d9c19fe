from decimal import Decimal

import pytest
from django.core import mail

from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.notifications.models import Notification
from grants.models import ApplicationStatus, CheckCode, ScreeningDecision
from grants.services.screening import application_screen, screening_run, screening_run_all
from tests.factories import ngo_user
from tests.grants.reviews.helpers import submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(organisation, open_call, sanctions_list):
    return submitted_application(organisation=organisation, call=open_call)


def test_running_the_checks_moves_a_submitted_application_to_screening(secretariat, app):
    screening = screening_run(actor=secretariat, application=app)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SCREENING
    assert [c["code"] for c in screening.checks] == list(CheckCode.values)
    assert screening.failed_codes == [] and screening.checked_by == secretariat


def test_run_all_screens_only_new_submissions(secretariat, app, open_call):
    other = submitted_application(call=open_call)
    screening_run(actor=secretariat, application=other)
    assert screening_run_all(actor=secretariat) == 1
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SCREENING


def test_eligible_moves_on_and_tells_the_organisation(
        secretariat, ngo, app, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application_screen(actor=secretariat, application=app, eligible=True, reasons="")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.ELIGIBLE
    assert app.screening.decision == ScreeningDecision.ELIGIBLE
    assert Notification.objects.get(recipient=ngo).kind == "application_eligible"


def test_ineligible_needs_reasons(secretariat, app):
    with pytest.raises(ValidationFailed) as exc:
        application_screen(actor=secretariat, application=app, eligible=False, reasons=" ")
    assert "reasons" in exc.value.field_errors
    app.refresh_from_db()
    assert app.status != ApplicationStatus.INELIGIBLE


def test_ineligible_tells_the_organisations_users_the_reasons(
        secretariat, ngo, organisation, app, django_capture_on_commit_callbacks):
    colleague = ngo_user(organisation, username="colleague")
    with django_capture_on_commit_callbacks(execute=True):
        application_screen(actor=secretariat, application=app, eligible=False,
                           reasons="The project is outside the fund's mandate.")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.INELIGIBLE
    notes = Notification.objects.filter(kind="application_ineligible")
    assert {n.recipient for n in notes} == {ngo, colleague}
    assert notes[0].data["reasons"] == "The project is outside the fund's mandate."
    assert any("outside the fund's mandate" in m.body for m in mail.outbox)
    assert audit_trail_for(app).get(verb="application.screen").note.startswith("The project")


def test_overriding_a_failed_check_needs_reasons_and_is_recorded(secretariat, app):
    app.requested_usd = Decimal("70000.00")  # over the call's maximum
    app.save()
    with pytest.raises(ValidationFailed) as exc:
        application_screen(actor=secretariat, application=app, eligible=True, reasons="")
    assert "Amount within the call" in str(exc.value.field_errors["reasons"])
    application_screen(actor=secretariat, application=app, eligible=True,
                       reasons="The Board raised the ceiling for this country.")
    app.screening.refresh_from_db()
    assert CheckCode.AMOUNT in app.screening.overridden


def test_screening_twice_is_a_conflict(secretariat, app):
    application_screen(actor=secretariat, application=app, eligible=True, reasons="")
    with pytest.raises(StateConflict):
        application_screen(actor=secretariat, application=app, eligible=False, reasons="x")


def test_a_draft_cannot_be_screened(secretariat, complete_draft):
    with pytest.raises(StateConflict):
        application_screen(actor=secretariat, application=complete_draft, eligible=True,
                           reasons="")


@pytest.mark.parametrize("role", ["ngo", "reviewer", "board_member", "donor"])
def test_only_the_secretariat_screens(request, role, app):
    user = request.getfixturevalue(role)
    with pytest.raises(NotAllowed):
        application_screen(actor=user, application=app, eligible=True, reasons="")
    with pytest.raises(NotAllowed):
        screening_run(actor=user, application=app)
