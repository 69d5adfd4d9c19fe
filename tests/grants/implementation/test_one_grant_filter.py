"""The grant list filters once (``filter_grants``): the API's ``grant_list`` and the portfolio
page's ``grant_portfolio`` give the same grants for the same call, status, organisation and
country; the page names a call by its number, the API by its id."""

from grants.models import GrantStatus
from grants.selectors.awards import filter_grants, grant_list
from grants.selectors.implementation import grant_portfolio
from tests.grants.implementation.helpers import make_grant


def _both(user, **filters) -> tuple[set[int], set[int]]:
    return ({g.pk for g in grant_list(user, **filters)},
            {g.pk for g in grant_portfolio(user, **filters)})


def test_the_api_and_the_portfolio_select_the_same_grants(secretariat, organisation,
                                                          other_organisation):
    ng = make_grant(organisation, countries=("NG",))
    ke = make_grant(other_organisation, countries=("KE", "UG"),
                    status=GrantStatus.ACTIVE)
    for filters, expected in [
        ({}, {ng.pk, ke.pk}),
        ({"country": "ke"}, {ke.pk}),
        ({"status": GrantStatus.ACTIVE}, {ke.pk}),
        ({"organisation": organisation.pk}, {ng.pk}),
        ({"call": ke.call_id}, {ke.pk}),
        ({"call_number": ng.call.number}, {ng.pk}),
        ({"status": GrantStatus.CLOSED}, set()),
    ]:
        assert _both(secretariat, **filters) == (expected, expected), filters


def test_empty_values_filter_nothing(secretariat, organisation):
    grant = make_grant(organisation)
    qs = filter_grants(grant_list(secretariat), call=None, call_number="", status="",
                       organisation=None, country="")
    assert list(qs) == [grant]


def test_the_portfolio_page_filters_by_call_number_and_any_case_country(
        client, secretariat, organisation, other_organisation):
    ng = make_grant(organisation, countries=("NG",))
    ke = make_grant(other_organisation, countries=("KE",))
    client.force_login(secretariat)
    page = client.get("/grants/portfolio/", {"call": ke.call.number, "country": "ke"})
    assert page.status_code == 200
    assert [g.pk for g in page.context["page"].object_list] == [ke.pk]
    page = client.get("/grants/portfolio/", {"call": ke.call.number, "country": "NG"})
    assert list(page.context["page"].object_list) == []
    assert ng.pk not in {g.pk for g in page.context["page"].object_list}
