"""Who may use each ranking endpoint, for every role; NGOs never see rankings."""

import pytest

from grants.models import CallStatus
from tests.grants.ranking_integration.builders import hand_checked_call

pytestmark = pytest.mark.django_db
OUTSIDERS = [("anonymous", 401), ("ngo", 403), ("other_ngo", 403), ("reviewer", 403),
             ("donor", 403)]
READERS = [("secretariat", 200), ("board_member", 200)]
READS = ["ranking/", "portfolio/", "ranking-settings/", "ranking/export/csv/",
         "ranking/export/xlsx/", "portfolio/export/csv/", "portfolio/export/xlsx/"]


@pytest.fixture
def call(everyone, organisation):
    call, apps = hand_checked_call()
    # The NGO's own organisation is among the ranked ones: still no access.
    type(apps["A"]).objects.filter(pk=apps["A"].pk).update(organisation=organisation)
    return call


def url(call, path):
    return f"/api/v1/calls/{call.pk}/{path}"


@pytest.mark.parametrize("path", READS)
@pytest.mark.parametrize("role,expected", OUTSIDERS + READERS)
def test_reading(client_for, call, role, expected, path):
    assert client_for(role).get(url(call, path)).status_code == expected


@pytest.mark.parametrize("role,expected", OUTSIDERS + READERS)
def test_the_briefing_pack(client_for, call, role, expected):
    assert client_for(role).get(url(call, "portfolio/export/pdf/")).status_code == expected


@pytest.mark.parametrize("role,expected", OUTSIDERS + [("board_member", 403),
                                                       ("secretariat", 201)])
def test_finalising(client_for, call, role, expected):
    response = client_for(role).post(url(call, "portfolio/finalise/"), {}, format="json")
    assert response.status_code == expected


@pytest.mark.parametrize("role,expected", OUTSIDERS + [("board_member", 403),
                                                       ("secretariat", 200)])
def test_changing_settings(client_for, call, role, expected):
    response = client_for(role).patch(url(call, "ranking-settings/"), {"min_countries": 2},
                                      format="json")
    assert response.status_code == expected


@pytest.mark.parametrize("path", READS + ["portfolio/export/pdf/"])
def test_a_draft_call_is_not_found_for_the_board(client_for, call, path):
    call.status = CallStatus.DRAFT
    call.save()
    assert client_for("board_member").get(url(call, path)).status_code == 404
    assert client_for("secretariat").get(url(call, path)).status_code == 200


@pytest.mark.parametrize("role", ["secretariat", "board_member"])
def test_an_unknown_call_is_not_found(client_for, call, role):
    assert client_for(role).get("/api/v1/calls/999999/ranking/").status_code == 404
    assert client_for(role).get("/api/v1/calls/999999/portfolio/").status_code == 404


def test_the_board_cannot_finalise_a_draft_call_it_cannot_see(client_for, call):
    call.status = CallStatus.DRAFT
    call.save()
    response = client_for("board_member").post(url(call, "portfolio/finalise/"), {},
                                               format="json")
    assert response.status_code == 403
