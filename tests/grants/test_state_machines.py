"""Grants, progress reports, Board sessions and organisations change state only through their
django-fsm transitions (as applications, calls and reviews do): a legal change works, an
illegal one is a StateConflict with the service's message, and a 409 in the API."""

import pytest
from django_fsm import TransitionNotAllowed, can_proceed

from fundapp.core.errors import StateConflict
from fundapp.core.fsm import require_transition, run_transition
from grants.models import (
    GrantStatus,
    Organisation,
    OrganisationStatus,
    ProgressReport,
    ReportKind,
    ReportStatus,
    SessionStatus,
)
from grants.services.awards import grant_cancel
from grants.services.board import SessionClosed, board_session_close
from grants.services.implementation import (
    grant_close,
    report_accept,
    report_request_changes,
    report_submit,
)
from grants.services.organisations import organisation_update, organisation_verify
from tests.factories import OrganisationFactory
from tests.grants.board.helpers import meeting, recommended_call
from tests.grants.implementation.helpers import active_grant, due, make_grant, report_data

pytestmark = pytest.mark.django_db

ALL_CHECKED = {"registration_certificate": True, "safeguarding_policy": True,
               "track_record": True}


@pytest.fixture
def live_grant(organisation, ngo, secretariat):
    return active_grant(organisation, ngo, secretariat)


def accepted_final(grant, ngo, secretariat) -> ProgressReport:
    report = report_submit(actor=ngo, grant=grant, report_due=due(grant, ReportKind.FINAL),
                           data=report_data())
    return report_accept(actor=secretariat, report=report)


# --- the shared helper -------------------------------------------------------------------

def test_the_helper_turns_a_refused_transition_into_the_given_conflict(organisation):
    grant = make_grant(organisation, status=GrantStatus.CLOSED)
    with pytest.raises(StateConflict) as info:
        run_transition(grant.cancel, "No.", reason="x")
    assert str(info.value.message) == "No."
    with pytest.raises(SessionClosed):
        require_transition(grant.cancel, SessionClosed)
    assert grant.status == GrantStatus.CLOSED


# --- grants ------------------------------------------------------------------------------

def test_a_grant_goes_from_signature_to_active_to_closing_to_closed(
        organisation, ngo, secretariat):
    grant = active_grant(organisation, ngo, secretariat)
    assert grant.status == GrantStatus.ACTIVE
    accepted_final(grant, ngo, secretariat)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.CLOSING
    grant_close(actor=secretariat, grant=grant)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.CLOSED


def test_an_active_grant_is_cancelled_with_its_reason(live_grant, secretariat):
    grant_cancel(actor=secretariat, grant=live_grant, reason="Fraud found.")
    live_grant.refresh_from_db()
    assert (live_grant.status, live_grant.cancel_reason) == (GrantStatus.CANCELLED,
                                                             "Fraud found.")
    assert live_grant.cancelled_at is not None


@pytest.mark.parametrize("status", [GrantStatus.CLOSING, GrantStatus.CLOSED,
                                    GrantStatus.CANCELLED])
def test_a_grant_past_its_life_cannot_be_cancelled(organisation, secretariat, status):
    grant = make_grant(organisation, status=status)
    with pytest.raises(StateConflict) as info:
        grant_cancel(actor=secretariat, grant=grant, reason="Late.")
    assert str(info.value.message) == (
        f"This grant is {grant.get_status_display().lower()}: it can no longer be cancelled.")
    grant.refresh_from_db()
    assert grant.status == status


def test_an_active_grant_cannot_be_closed(live_grant, secretariat):
    with pytest.raises(StateConflict) as info:
        grant_close(actor=secretariat, grant=live_grant)
    assert str(info.value.message) == "A grant closes after its final report is accepted."


def test_a_grant_closes_only_when_its_final_report_is_accepted(organisation, secretariat):
    """The condition of the transition, not only its source state: a grant put in closing
    by hand, without an accepted final report, still cannot close."""
    grant = make_grant(organisation, status=GrantStatus.CLOSING)
    assert not can_proceed(grant.close)
    assert can_proceed(grant.close, check_conditions=False)
    with pytest.raises(StateConflict):
        grant_close(actor=secretariat, grant=grant)
    with pytest.raises(TransitionNotAllowed):
        grant.close()


def test_an_accepted_interim_report_leaves_the_grant_active(live_grant, ngo, secretariat):
    report = report_submit(actor=ngo, grant=live_grant, report_due=due(live_grant),
                           data=report_data())
    report_accept(actor=secretariat, report=report)
    live_grant.refresh_from_db()
    assert live_grant.status == GrantStatus.ACTIVE


def test_cancelling_a_cancelled_grant_over_the_api_is_a_409(api_as, secretariat,
                                                              organisation):
    grant = make_grant(organisation, status=GrantStatus.CANCELLED)
    response = api_as(secretariat).post(f"/api/v1/grants/{grant.pk}/cancel/",
                                        {"reason": "Again."}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This grant is cancelled: it can no longer be cancelled."}


def test_closing_an_active_grant_over_the_api_is_a_409(api_as, secretariat, live_grant):
    response = api_as(secretariat).post(f"/api/v1/grants/{live_grant.pk}/close/", {},
                                        format="json")
    assert response.status_code == 409
    live_grant.refresh_from_db()
    assert live_grant.status == GrantStatus.ACTIVE


# --- progress reports --------------------------------------------------------------------

def test_a_report_is_submitted_then_accepted(live_grant, ngo, secretariat):
    report = report_submit(actor=ngo, grant=live_grant, report_due=due(live_grant),
                           data=report_data())
    assert (report.status, report.submitted_by) == (ReportStatus.SUBMITTED, ngo)
    assert report.submitted_at is not None
    report = report_accept(actor=secretariat, report=report, comment=" Thorough. ")
    report.refresh_from_db()
    assert (report.status, report.reviewed_by, report.review_comment) == (
        ReportStatus.ACCEPTED, secretariat, "Thorough.")


def test_changes_requested_then_a_new_version_is_submitted(live_grant, ngo, secretariat):
    first = report_submit(actor=ngo, grant=live_grant, report_due=due(live_grant),
                          data=report_data())
    report_request_changes(actor=secretariat, report=first, comment="More detail.")
    first.refresh_from_db()
    assert first.status == ReportStatus.CHANGES_REQUESTED
    second = report_submit(actor=ngo, grant=live_grant, report_due=due(live_grant),
                           data=report_data())
    assert (second.version, second.status) == (2, ReportStatus.SUBMITTED)


@pytest.mark.parametrize("review", ["accept", "request_changes"])
def test_a_report_no_longer_submitted_cannot_be_reviewed(live_grant, ngo, secretariat,
                                                          review):
    report = report_submit(actor=ngo, grant=live_grant, report_due=due(live_grant),
                           data=report_data())
    report_accept(actor=secretariat, report=report)
    again = {"accept": report_accept, "request_changes": report_request_changes}[review]
    with pytest.raises(StateConflict) as info:
        again(actor=secretariat, report=report, comment="Again.")
    assert str(info.value.message) == "Only a submitted report can be reviewed."
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


def test_accepting_a_report_twice_over_the_api_is_a_409(api_as, live_grant, ngo,
                                                        secretariat):
    report = report_submit(actor=ngo, grant=live_grant, report_due=due(live_grant),
                           data=report_data())
    url = f"/api/v1/grants/{live_grant.pk}/reports/{report.pk}/accept/"
    client = api_as(secretariat)
    assert client.post(url, {}, format="json").status_code == 200
    again = client.post(url, {}, format="json")
    assert again.status_code == 409
    assert again.json() == {"detail": "Only a submitted report can be reviewed."}


# --- Board sessions ----------------------------------------------------------------------

@pytest.fixture
def board_session(funded, secretariat, seated):
    return meeting(recommended_call(), secretariat)


def test_the_chair_closes_an_open_session(board_session, chair):
    closed = board_session_close(actor=chair, session=board_session)
    closed.refresh_from_db()
    assert (closed.status, closed.closed_by) == (SessionStatus.CLOSED, chair)
    assert closed.closed_at is not None and len(closed.votes_hash) == 64


def test_a_closed_session_cannot_be_closed_again(board_session, chair):
    board_session_close(actor=chair, session=board_session)
    board_session.refresh_from_db()
    assert not can_proceed(board_session.close)
    with pytest.raises(SessionClosed) as info:
        board_session_close(actor=chair, session=board_session)
    assert isinstance(info.value, StateConflict)
    assert str(info.value.message) == (
        "This session is closed: its decisions can no longer change.")


def test_closing_a_closed_session_over_the_api_is_a_409(api_as, board_session, chair):
    url = f"/api/v1/board/sessions/{board_session.pk}/close/"
    assert api_as(chair).post(url, {}, format="json").status_code == 200
    again = api_as(chair).post(url, {}, format="json")
    assert again.status_code == 409
    assert again.json() == {"detail": "This session is closed: its decisions can no longer "
                                      "change."}


# --- organisations -----------------------------------------------------------------------

@pytest.fixture
def pending_org(db):
    return OrganisationFactory(name="New Dawn Kenya", country="KE",
                               status=OrganisationStatus.PENDING)


def test_a_pending_organisation_is_verified_then_rejected(pending_org, secretariat):
    organisation_verify(actor=secretariat, organisation=pending_org, approve=True,
                        checklist=ALL_CHECKED)
    pending_org.refresh_from_db()
    assert (pending_org.status, pending_org.verified_by) == (OrganisationStatus.VERIFIED,
                                                             secretariat)
    organisation_verify(actor=secretariat, organisation=pending_org, approve=False,
                        reason="Registration withdrawn.")
    pending_org.refresh_from_db()
    assert (pending_org.status, pending_org.status_reason) == (OrganisationStatus.REJECTED,
                                                               "Registration withdrawn.")


@pytest.mark.parametrize("approve", [True, False], ids=["verify", "reject"])
def test_an_organisation_cannot_be_decided_twice_the_same_way(pending_org, secretariat,
                                                               approve):
    args = {"approve": approve, "checklist": ALL_CHECKED, "reason": "Because."}
    organisation_verify(actor=secretariat, organisation=pending_org, **args)
    with pytest.raises(StateConflict) as info:
        organisation_verify(actor=secretariat, organisation=pending_org, **args)
    pending_org.refresh_from_db()
    assert str(info.value.message) == (
        f"The organisation is already {pending_org.get_status_display().lower()}.")


def test_a_new_identity_sends_a_verified_organisation_back_to_verification(organisation,
                                                                            ngo):
    organisation_update(actor=ngo, organisation=organisation,
                        values={"name": "Hope Shelter Nigeria (renamed)"})
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.PENDING


def test_a_new_identity_leaves_a_rejected_organisation_rejected(organisation, ngo):
    Organisation.objects.filter(pk=organisation.pk).update(status=OrganisationStatus.REJECTED)
    organisation_update(actor=ngo, organisation=organisation,
                        values={"name": "Hope Shelter Nigeria (renamed)"})
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.REJECTED


def test_verifying_a_verified_organisation_over_the_api_is_a_409(api_as, secretariat,
                                                                   organisation):
    response = api_as(secretariat).post(f"/api/v1/organisations/{organisation.pk}/verify/",
                                        {"checklist": ALL_CHECKED}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "The organisation is already verified."}
