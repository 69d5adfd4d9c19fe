"""The grants API: who sees which grant and how much of it; tranches and cancellation."""

from decimal import Decimal

import pytest

from fundapp.accounts.roles import Role, grant_role
from grants.models import Grant, GrantStatus
from grants.services.board import board_session_close
from tests.factories import ngo_user
from tests.grants.board.helpers import (
    meeting,
    recommended_call,
    sitting_board,
    vote_all,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("funded")]
PUBLIC = {"id", "agreement_number", "call", "call_number", "title", "organisation_name",
          "countries", "approved_usd", "status", "start_date", "end_date"}


@pytest.fixture
def grants(everyone, secretariat, organisation, seated):
    """Two grants: one to ``organisation`` (the ``ngo`` fixture's), one to another NGO."""
    chair, members = seated
    call = recommended_call(included=(Decimal("50000.00"),), reserve=(),
                            organisation=organisation)
    other = recommended_call(included=(Decimal("33333.33"),), reserve=())
    for c in (call, other):
        session = meeting(c, secretariat)
        vote_all(session, [chair, *members[:2]])
        board_session_close(actor=chair, session=session)
    return Grant.objects.get(call=call), Grant.objects.get(call=other)


@pytest.mark.parametrize("role,expected", [("anonymous", 401), ("reviewer", 403),
                                           ("secretariat", 200), ("board_member", 200),
                                           ("ngo", 200), ("other_ngo", 200), ("donor", 200)])
def test_listing_grants(client_for, grants, role, expected):
    assert client_for(role).get("/api/v1/grants/").status_code == expected


def test_an_ngo_sees_only_its_own_grant_with_its_schedules(client_for, grants):
    own, _ = grants
    body = client_for("ngo").get("/api/v1/grants/").json()
    assert [g["agreement_number"] for g in body["results"]] == [own.agreement_number]
    grant = body["results"][0]
    assert grant["application"] == own.application_id and grant["approved_usd"] == "50000.00"
    assert [(t["percent"], t["amount_usd"], t["condition"]) for t in grant["tranches"]] == [
        ("80.00", "40000.00", "on_signature"), ("20.00", "10000.00", "after_final_report")]
    assert [r["kind"] for r in grant["reports"]] == ["interim", "final"]
    assert client_for("other_ngo").get("/api/v1/grants/").json()["count"] == 0


@pytest.mark.parametrize("role,own,other", [("ngo", 200, 404), ("other_ngo", 404, 404),
                                            ("secretariat", 200, 200), ("donor", 200, 200),
                                            ("reviewer", 403, 403)])
def test_reading_a_grant(client_for, grants, role, own, other):
    client = client_for(role)
    assert client.get(f"/api/v1/grants/{grants[0].pk}/").status_code == own
    assert client.get(f"/api/v1/grants/{grants[1].pk}/").status_code == other


def test_donors_see_the_public_fields_only(client_for, grants):
    body = client_for("donor").get("/api/v1/grants/").json()
    assert body["count"] == 2
    assert all(set(g) == PUBLIC for g in body["results"])


def test_the_secretariat_and_the_board_see_every_grant_in_full(client_for, grants):
    for role in ("secretariat", "board_member"):
        results = client_for(role).get("/api/v1/grants/").json()["results"]
        assert len(results) == 2 and all("tranches" in g for g in results)


def test_an_ngo_that_is_also_a_donor_sees_the_others_public_fields_only(api_as, grants,
                                                                        organisation):
    user = ngo_user(organisation, username="both")
    grant_role(user, Role.DONOR)
    results = {g["agreement_number"]: g for g in
               api_as(user).get("/api/v1/grants/").json()["results"]}
    assert "tranches" in results[grants[0].agreement_number]
    assert set(results[grants[1].agreement_number]) == PUBLIC


@pytest.mark.parametrize("role,expected", [("anonymous", 401), ("ngo", 403), ("donor", 403),
                                           ("board_member", 403), ("secretariat", 200)])
def test_editing_tranches(client_for, grants, role, expected):
    body = {"tranches": [{"percent": "60", "condition": "on_signature"},
                         {"percent": "40", "condition": "after_final_report"}]}
    response = client_for(role).put(f"/api/v1/grants/{grants[1].pk}/tranches/", body,
                                    format="json")
    assert response.status_code == expected
    if expected == 200:
        assert [t["amount_usd"] for t in response.json()["tranches"]] == ["20000.00",
                                                                           "13333.33"]


def test_tranches_that_do_not_add_up_are_a_400_and_a_signed_grant_is_a_409(client_for, grants):
    client = client_for("secretariat")
    bad = {"tranches": [{"percent": "70", "condition": "on_signature"}]}
    response = client.put(f"/api/v1/grants/{grants[0].pk}/tranches/", bad, format="json")
    assert response.status_code == 400 and "tranches" in response.json()
    Grant.objects.filter(pk=grants[0].pk).update(status=GrantStatus.ACTIVE)
    good = {"tranches": [{"percent": "100", "condition": "on_signature"}]}
    assert client.put(f"/api/v1/grants/{grants[0].pk}/tranches/", good,
                      format="json").status_code == 409


@pytest.mark.parametrize("role,expected", [("anonymous", 401), ("ngo", 403), ("donor", 403),
                                           ("board_member", 403), ("secretariat", 200)])
def test_cancelling_a_grant(client_for, grants, role, expected):
    response = client_for(role).post(f"/api/v1/grants/{grants[0].pk}/cancel/",
                                     {"reason": "The NGO closed."}, format="json")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["status"] == "cancelled"


def test_grants_are_filtered_by_call_and_status(client_for, grants):
    client = client_for("secretariat")
    assert client.get(f"/api/v1/grants/?call={grants[0].call_id}").json()["count"] == 1
    assert client.get("/api/v1/grants/?status=cancelled").json()["count"] == 0
    assert client.get("/api/v1/grants/?status=bogus").status_code == 400


def test_donors_see_nothing_before_the_decisions_are_signed(client_for, everyone, secretariat):
    chair, members = sitting_board(prefix="early")
    session = meeting(recommended_call(), secretariat)
    vote_all(session, [chair, *members[:2]])
    donor = client_for("donor")
    assert donor.get("/api/v1/grants/").json()["count"] == 0
    assert donor.get(f"/api/v1/board/sessions/{session.pk}/").status_code == 403
    board_session_close(actor=chair, session=session)
    assert donor.get("/api/v1/grants/").json()["count"] == 3
