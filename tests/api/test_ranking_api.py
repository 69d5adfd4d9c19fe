"""The ranking and portfolio endpoints: contract fields, pagination, finalising, settings."""

import pytest

from grants.models import ApplicationStatus, CallStatus
from tests.grants.ranking_integration.builders import hand_checked_call, many_reviewed
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(db):
    return hand_checked_call()


def test_the_ranking_has_the_contract_fields(client_for, secretariat, small):
    call, apps = small
    body = client_for("secretariat").get(f"/api/v1/calls/{call.pk}/ranking/").json()
    assert body["count"] == 5 and body["funding_line_rank"] == 2
    assert body["envelope_usd"] == "100000.00"
    first = body["results"][0]
    assert (first["rank"], first["application"], first["total_score"], first["requested_usd"],
            first["cumulative_usd"], first["above_funding_line"]) == (
        1, apps["C"].pk, "83.32", "50000.00", "50000.00", True)
    assert first["breakdown"]["normalised_review_score"] == "90.45"
    assert [r["above_funding_line"] for r in body["results"]] == [True, True, False, False,
                                                                  False]


def test_the_ranking_is_paginated_with_cumulative_amounts_over_the_whole_call(
        client_for, secretariat, small):
    call, apps = small
    body = client_for("secretariat").get(
        f"/api/v1/calls/{call.pk}/ranking/?page=2&page_size=2").json()
    assert [r["rank"] for r in body["results"]] == [3, 4]
    assert body["results"][0]["cumulative_usd"] == "120000.00"
    assert body["next"] and body["previous"]


def test_the_portfolio_has_totals_a_reserve_and_a_reason_per_application(
        client_for, board_member, small):
    call, apps = small
    body = client_for("board_member").get(f"/api/v1/calls/{call.pk}/portfolio/").json()
    assert (body["total_usd"], body["total_score"], body["source"]) == (
        "100000.00", "171.69", "live")
    assert [i["application"] for i in body["selected"]] == [apps[k].pk for k in "CBD"]
    assert [i["application"] for i in body["reserve"]] == [apps["A"].pk]
    assert all(i["reason"] for i in body["applications"])
    assert body["rank_cut"]["score_gained"] == "25.05"
    assert body["finalised"] is None and body["versions"] == []


def test_finalising_through_the_api_returns_the_frozen_version(client_for, secretariat,
                                                               small):
    call, apps = small
    client = client_for("secretariat")
    response = client.post(f"/api/v1/calls/{call.pk}/portfolio/finalise/", {}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["source"], body["version"], body["total_score"]) == ("finalised", 1, "171.69")
    assert type(apps["C"]).objects.get(pk=apps["C"].pk).status == ApplicationStatus.RECOMMENDED
    live = client.get(f"/api/v1/calls/{call.pk}/portfolio/").json()
    assert live["finalised"]["version"] == 1 and live["finalised"]["matches_live"] is True
    assert live["versions"] == [1]
    again = client.post(f"/api/v1/calls/{call.pk}/portfolio/finalise/", {}, format="json")
    assert again.status_code == 400 and "note" in again.json()
    again = client.post(f"/api/v1/calls/{call.pk}/portfolio/finalise/",
                        {"note": "Late review added."}, format="json")
    assert again.status_code == 201 and again.json()["version"] == 2
    old = client.get(f"/api/v1/calls/{call.pk}/portfolio/?version=1").json()
    assert old["version"] == 1 and old["finalised"]["version"] == 2
    assert client.get(f"/api/v1/calls/{call.pk}/portfolio/?version=9").status_code == 404
    assert client.get(f"/api/v1/calls/{call.pk}/portfolio/?version=x").status_code == 400


def test_finalising_an_open_call_is_a_conflict(client_for, secretariat, small):
    call, apps = small
    call.status = CallStatus.PUBLISHED
    call.closes_at = call.closes_at.replace(year=call.closes_at.year + 5)
    call.save()
    response = client_for("secretariat").post(f"/api/v1/calls/{call.pk}/portfolio/finalise/")
    assert response.status_code == 409 and "open" in response.json()["detail"]


def test_finalising_a_call_with_nothing_ranked_is_a_conflict(client_for, secretariat):
    from tests.grants.ranking_integration.builders import closed_call

    call = closed_call()
    response = client_for("secretariat").post(f"/api/v1/calls/{call.pk}/portfolio/finalise/")
    assert response.status_code == 409


def test_settings_are_read_and_patched(client_for, secretariat, board_member, small):
    call, apps = small
    url = f"/api/v1/calls/{call.pk}/ranking-settings/"
    assert client_for("board_member").get(url).json() == {
        "review_weight": "0.70", "normalise_reviews": True, "max_projects_per_country": None,
        "min_women_girls_share": None, "min_countries": None}
    response = client_for("secretariat").patch(url, {"max_projects_per_country": 1,
                                                     "min_women_girls_share": "30"},
                                               format="json")
    assert response.status_code == 200
    assert response.json()["max_projects_per_country"] == 1
    body = client_for("secretariat").get(f"/api/v1/calls/{call.pk}/portfolio/").json()
    assert [i["application"] for i in body["selected"]] == [apps[k].pk for k in "CB"]
    assert body["women_and_girls_floor_usd"] == "30000.00"


@pytest.mark.parametrize("payload,field", [
    ({"review_weight": "1.50"}, "review_weight"), ({"review_weight": "abc"}, "review_weight"),
    ({"min_women_girls_share": "150"}, "min_women_girls_share"),
    ({"max_projects_per_country": 0}, "max_projects_per_country")])
def test_bad_settings_are_400_with_field_errors(client_for, secretariat, small, payload,
                                                field):
    call, apps = small
    response = client_for("secretariat").patch(f"/api/v1/calls/{call.pk}/ranking-settings/",
                                               payload, format="json")
    assert response.status_code == 400 and field in response.json()


@pytest.mark.parametrize("path", ["ranking/", "ranking/?page_size=200", "portfolio/"])
def test_query_counts_are_the_same_for_five_and_thirty_applications(client_for, secretariat,
                                                                    small, path):
    call, apps = small
    client, url = client_for("secretariat"), f"/api/v1/calls/{call.pk}/{path}"
    client.get(url)
    few = queries_for_get(client, url)
    many_reviewed(call)
    assert queries_for_get(client, url) == few <= 15


def test_the_portfolio_says_when_the_live_result_no_longer_matches_the_final_one(
        client_for, secretariat, small):
    call, apps = small
    client = client_for("secretariat")
    client.post(f"/api/v1/calls/{call.pk}/portfolio/finalise/", {}, format="json")
    client.patch(f"/api/v1/calls/{call.pk}/ranking-settings/", {"max_projects_per_country": 1},
                 format="json")
    live = client.get(f"/api/v1/calls/{call.pk}/portfolio/").json()
    assert live["finalised"]["matches_live"] is False
    frozen = client.get(f"/api/v1/calls/{call.pk}/portfolio/?version=1").json()
    assert frozen["finalised"]["matches_live"] is None
    assert [i["application"] for i in frozen["selected"]] == [apps[k].pk for k in "CBD"]
