"""``?search=`` on the API lists (applications, organisations, grants, donors,
contributions): the same matching as the search page, within what each role may see (an
NGO's search never returns another organisation's rows), documented in the schema."""

import pytest

from .conftest import add_many

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/v1/applications/"
ORGANISATIONS = "/api/v1/organisations/"
GRANTS = "/api/v1/grants/"
DONORS = "/api/v1/donors/"
CONTRIBUTIONS = "/api/v1/contributions/"


def ids(client, url, q):
    response = client.get(url, {"search": q})
    assert response.status_code == 200, response.content[:300]
    return {row["id"] for row in response.json()["results"]}


def test_the_secretariat_finds_each_kind(api_as, secretariat, rows):
    client = api_as(secretariat)
    assert ids(client, APPLICATIONS, "VTF9-0042") == {rows["hope_app"].pk}
    assert ids(client, APPLICATIONS, "vtf9-004") == {rows["hope_app"].pk, rows["other_app"].pk}
    assert ids(client, ORGANISATIONS, "hope shelter") == {rows["hope_app"].organisation_id}
    assert ids(client, ORGANISATIONS, "RC-NG-77") == {rows["hope_app"].organisation_id}
    number = rows["other_grant"].agreement_number
    assert ids(client, GRANTS, number) == {rows["other_grant"].pk}
    assert ids(client, GRANTS, "Other NGO") == {rows["other_grant"].pk}
    assert ids(client, DONORS, "luxem") == {rows["luxembourg"].pk}
    assert ids(client, CONTRIBUTIONS, "SE-2026-0001") == {rows["swe_money"].pk}
    assert ids(client, CONTRIBUTIONS, "2026") == {rows["lux_money"].pk, rows["swe_money"].pk}


def test_an_ngo_never_finds_another_organisations_rows(api_as, ngo, rows):
    client = api_as(ngo)   # a member of "Hope Shelter Nigeria"
    assert ids(client, APPLICATIONS, "VTF9-0043") == set()
    assert ids(client, APPLICATIONS, "vtf9-004") == {rows["hope_app"].pk}
    assert ids(client, APPLICATIONS, "Other NGO") == set()
    assert ids(client, ORGANISATIONS, "Other") == set()
    assert ids(client, GRANTS, rows["other_grant"].agreement_number) == set()
    assert ids(client, GRANTS, "VTF-T") == {rows["hope_grant"].pk}


def test_a_donor_finds_only_its_own_contributions(api_as, donor, rows):
    rows["sweden"].users.add(donor)
    client = api_as(donor)
    assert ids(client, CONTRIBUTIONS, "2026") == {rows["swe_money"].pk}
    assert ids(client, CONTRIBUTIONS, "LU-2026-PART") == set()
    assert ids(client, DONORS, "Luxembourg") == set()


@pytest.mark.parametrize("role", ["reviewer", "board_member", "donor", "ngo"])
def test_others_get_nothing_they_could_not_list(request, api_as, role, rows):
    client = api_as(request.getfixturevalue(role))
    for url in (DONORS, CONTRIBUTIONS):
        response = client.get(url, {"search": "Luxembourg"})
        assert response.status_code in (200, 403, 404)
        if response.status_code == 200:
            assert response.json()["results"] == []


def test_a_board_member_searches_the_grants_it_may_see(api_as, board_member, rows):
    assert ids(api_as(board_member), GRANTS, "Other NGO") == {rows["other_grant"].pk}


def test_an_empty_or_odd_search_is_not_an_error(api_as, secretariat, rows):
    client = api_as(secretariat)
    assert len(ids(client, GRANTS, "")) == 2
    for url in (APPLICATIONS, ORGANISATIONS, GRANTS, DONORS, CONTRIBUTIONS):
        for q in ("%", "a & !b:*", "' OR 1=1 --"):
            assert client.get(url, {"search": q}).status_code == 200, (url, q)


def test_search_is_in_the_schema(api_as, secretariat):
    schema = api_as(secretariat).get("/api/v1/schema/", {"format": "json"}).json()
    for path in (APPLICATIONS, ORGANISATIONS, GRANTS, DONORS, CONTRIBUTIONS):
        params = {p["name"] for p in schema["paths"][path]["get"].get("parameters", [])}
        assert "search" in params, path


def test_a_searched_list_costs_the_same_queries_for_few_rows_and_many(api_as, secretariat,
                                                                     rows):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(secretariat)

    def cost():
        counts = {}
        for url in (APPLICATIONS, ORGANISATIONS, GRANTS, DONORS, CONTRIBUTIONS):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, {"search": "Many"}).status_code == 200
            counts[url] = len(ctx.captured_queries)
        return counts

    add_many(2)
    few = cost()
    add_many(10)
    assert cost() == few
