"""The application list filters the same way on the web page and in the API.

Both go through ``grants.selectors.applications.filter_applications``; the web page names the
search ``q``, the API ``search``.
"""

import pytest
from django.urls import reverse

from grants.models import Application, ApplicationStatus
from grants.selectors.applications import application_list, filter_applications
from grants.selectors.screening import screening_queue
from tests.factories import ApplicationFactory, CallFactory


@pytest.fixture
def applications(organisation, other_organisation, open_call):
    other_call = CallFactory(number=open_call.number + 1)
    return {
        "rice": ApplicationFactory(call=open_call, organisation=organisation,
                                   title="Rice for shelters", countries=["NG"],
                                   status=ApplicationStatus.SUBMITTED),
        "legal": ApplicationFactory(call=open_call, organisation=other_organisation,
                                    title="Legal aid clinics", countries=["KE", "UG"],
                                    status=ApplicationStatus.RECOMMENDED),
        "radio": ApplicationFactory(call=other_call, organisation=organisation,
                                    title="Radio campaign", countries=["ke"],
                                    status=ApplicationStatus.SUBMITTED),
    }


def _web_ids(client, user, query: dict) -> set[int]:
    client.force_login(user)
    response = client.get(reverse("grants:application-list"), query)
    assert response.status_code == 200
    return {app.pk for app in response.context["page"].object_list}


def _api_ids(api_as, user, query: dict) -> set[int]:
    response = api_as(user).get("/api/v1/applications/", {**query, "page_size": 100})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("query, expected", [
    ({}, {"rice", "legal", "radio"}),
    ({"status": "submitted"}, {"rice", "radio"}),
    ({"status": "recommended"}, {"legal"}),
    ({"country": "KE"}, {"legal", "radio"}),
    ({"search": "  legal "}, {"legal"}),
    ({"search": "Radio", "status": "submitted"}, {"radio"}),
])
def test_the_web_list_and_the_api_filter_alike(client, api_as, secretariat, applications,
                                               query, expected):
    web_query = {("q" if key == "search" else key): value for key, value in query.items()}
    wanted = {applications[name].pk for name in expected}
    assert _web_ids(client, secretariat, web_query) == wanted
    assert _api_ids(api_as, secretariat, query) == wanted


def test_the_call_filter_is_the_same_on_both(client, api_as, secretariat, applications):
    call = applications["radio"].call_id
    assert _web_ids(client, secretariat, {"call": call}) == {applications["radio"].pk}
    assert _api_ids(api_as, secretariat, {"call": call}) == {applications["radio"].pk}


def test_an_applicant_filters_on_the_status_it_sees(ngo, applications):
    mine = application_list(ngo)
    # The recommended one belongs to another organisation: the NGO's own read as submitted.
    assert set(filter_applications(mine, ngo, status="submitted")) == {
        applications["rice"], applications["radio"]}
    Application.objects.filter(pk=applications["rice"].pk).update(
        status=ApplicationStatus.RECOMMENDED)
    mine = application_list(ngo)
    assert set(filter_applications(mine, ngo, status="under_review")) == {applications["rice"]}
    assert not filter_applications(mine, ngo, status="recommended").exists()


def test_the_screening_queue_filters_by_call_the_same_way(secretariat, applications):
    call = applications["rice"].call_id
    assert {a.pk for a in screening_queue(secretariat, call=call)} == {applications["rice"].pk}
    assert {a.pk for a in screening_queue(secretariat)} == {
        applications["rice"].pk, applications["radio"].pk}
