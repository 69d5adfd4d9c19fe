"""Input found by fuzzing the API that crashed it: now a 400 with a message, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grants.models import SanctionsEntry
from tests.donors.factories import DonorFactory
from tests.grants.board.helpers import meeting, recommended_call, sitting_board
from tests.grants.reviews.helpers import make_reviewer

pytestmark = pytest.mark.django_db

TOO_BIG = 2**63  # one past the largest 64-bit id; SQLite's driver overflows on it
YEAR_ONE = "0001-01-15"  # a month earlier does not exist: the rate lookup must not overflow


@pytest.fixture
def board(db):
    return sitting_board()


@pytest.fixture
def session(board, secretariat):
    return meeting(recommended_call(), secretariat)


def assert_400_on(response, field):
    assert response.status_code == 400
    assert field in response.json()


def test_assigning_a_reviewer_id_past_the_range_is_a_400(api_as, secretariat, app):
    response = api_as(secretariat).post(f"/api/v1/applications/{app.pk}/assign-reviewers/",
                                        {"reviewers": [TOO_BIG]}, format="json")
    assert_400_on(response, "reviewers")


def test_a_conflict_organisation_id_past_the_range_is_a_400(api_as, secretariat):
    alice = make_reviewer("alice")
    response = api_as(secretariat).patch(f"/api/v1/reviewers/{alice.pk}/",
                                         {"conflict_organisations": [TOO_BIG]}, format="json")
    assert_400_on(response, "conflict_organisations")


@pytest.mark.parametrize("name", ["call", "application", "reviewer"])
def test_filtering_reviews_by_an_id_past_the_range_is_a_400(api_as, secretariat, name):
    response = api_as(secretariat).get(f"/api/v1/reviews/?{name}={TOO_BIG}")
    assert_400_on(response, name)


def test_filtering_board_sessions_by_a_call_id_past_the_range_is_a_400(api_as, secretariat):
    response = api_as(secretariat).get(f"/api/v1/board/sessions/?call={TOO_BIG}")
    assert_400_on(response, "call")


def test_voting_on_an_application_id_past_the_range_is_a_400(api_as, board, session):
    response = api_as(board[1][0]).post(f"/api/v1/board/sessions/{session.pk}/votes/",
                                        {"application": TOO_BIG, "vote": "approve"},
                                        format="json")
    assert_400_on(response, "application")


def test_the_chair_setting_an_amount_on_an_application_id_past_the_range_is_a_400(
        api_as, board, session):
    response = api_as(board[0]).post(f"/api/v1/board/sessions/{session.pk}/chair-amount/",
                                     {"application": TOO_BIG, "amount_usd": "1.00",
                                      "reason": "x"}, format="json")
    assert_400_on(response, "application")


def test_a_start_date_in_year_9999_is_a_400_not_a_grant_period_past_the_calendar(
        api_as, ngo, complete_draft):
    response = api_as(ngo).patch(f"/api/v1/applications/{complete_draft.pk}/",
                                 {"start_date": "9999-12-31"}, format="json")
    assert_400_on(response, "start_date")


def test_a_pledge_dated_in_year_one_is_a_400(api_as, secretariat):
    response = api_as(secretariat).post("/api/v1/pledges/", {
        "donor": DonorFactory().pk, "amount": "100.00", "currency": "EUR", "year_from": 2024,
        "pledged_on": YEAR_ONE}, format="json")
    assert_400_on(response, "exchange_rate")


def test_a_contribution_received_in_year_one_is_a_400(api_as, secretariat):
    response = api_as(secretariat).post("/api/v1/contributions/", {
        "donor": DonorFactory().pk, "amount": "100.00", "currency": "EUR",
        "received_on": YEAR_ONE}, format="json")
    assert_400_on(response, "received_on")


def test_importing_a_row_received_in_year_one_is_a_400(api_as, secretariat):
    DonorFactory(name="Sweden")
    csv = f"donor,amount,currency,received_on,bank_reference\nSweden,5,EUR,{YEAR_ONE},R1\n"
    response = api_as(secretariat).post("/api/v1/contributions/import/", {
        "file": SimpleUploadedFile("a.csv", csv.encode())}, format="multipart")
    assert response.status_code == 400
    assert "received_on" in response.json()["file"][0]


def consolidated_list(generated: str, listed_on: str) -> SimpleUploadedFile:
    xml = (f'<CONSOLIDATED_LIST dateGenerated="{generated}"><INDIVIDUALS><INDIVIDUAL>'
           f"<FIRST_NAME>JOHN</FIRST_NAME><SECOND_NAME>DOE</SECOND_NAME>"
           f"<LISTED_ON>{listed_on}</LISTED_ON></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>")
    return SimpleUploadedFile("list.xml", xml.encode())


def test_a_sanctions_entry_listed_on_a_day_that_does_not_exist_is_imported_undated(
        api_as, secretariat):
    response = api_as(secretariat).post("/api/v1/sanctions-lists/", {
        "file": consolidated_list("2024-01-01T00:00:00Z", "2024-02-30")}, format="multipart")
    assert response.status_code == 201
    assert SanctionsEntry.objects.get().listed_on is None


def test_a_sanctions_list_generated_at_a_time_without_offset_is_read_as_utc(api_as, secretariat):
    response = api_as(secretariat).post("/api/v1/sanctions-lists/", {
        "file": consolidated_list("2024-05-14T11:01:03", "2024-02-01")}, format="multipart")
    assert response.status_code == 201
    assert response.json()["generated_on"] == "2024-05-14T11:01:03Z"


@pytest.mark.parametrize("generated", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_sanctions_list_generated_outside_the_calendar_is_imported_undated(
        api_as, secretariat, generated):
    response = api_as(secretariat).post("/api/v1/sanctions-lists/", {
        "file": consolidated_list(generated, "2024-02-01")}, format="multipart")
    assert response.status_code == 201
    assert response.json()["generated_on"] is None


@pytest.mark.parametrize("param", ["call", "organisation"])
def test_grant_list_with_a_huge_id_filter_is_a_400(api_as, secretariat, param):
    response = api_as(secretariat).get(f"/api/v1/grants/?{param}={2**70}")
    assert response.status_code == 400
