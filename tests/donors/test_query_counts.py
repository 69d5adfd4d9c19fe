"""Every donor list page and endpoint runs the same number of queries for few and many rows."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import DonorFactory, pledge, rate, record

pytestmark = pytest.mark.django_db
BUDGET = 20  # the reports page: income, pledges, the year's and since-creation outcomes, and
#             committed and disbursed by call (three grouped sums)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    if getattr(response, "streaming", False):
        with CaptureQueriesContext(connection) as more:
            b"".join(response.streaming_content)
        return len(ctx) + len(more)
    return len(ctx)


def add(sweden, n: int, start: int) -> None:
    for i in range(n):
        donor = DonorFactory(anonymous=i % 2 == 0, donor_type=("individual", "private_sector")
                             [i % 2])
        p = pledge(donor, "100.00", "EUR" if i % 3 else "USD", year=2024)
        record(donor, "10.00", p.currency, received_on=date(2024, 3, 1 + i % 20), pledge=p,
               bank_reference=f"B-{start + i}")
        record(sweden, "5.00", received_on=date(2023, 6, 1 + i % 20))


PAGES = ["/funding/contributions/", "/funding/contributions/?year=2024&sort=-usd",
         "/funding/pledges/", "/funding/donors/", "/funding/rates/", "/funding/targets/",
         "/funding/reports/?year=2024", "/transparency/?year=2024",
         "/funding/contributions/export.csv", "/funding/contributions/export.xlsx",
         "/api/v1/contributions/?page_size=100", "/api/v1/pledges/?page_size=100",
         "/api/v1/donors/?page_size=100", "/api/v1/exchange-rates/?page_size=100",
         "/api/v1/reports/fund-summary/?year=2024"]


@pytest.mark.parametrize("url", PAGES)
def test_the_secretariat_s_lists_cost_the_same_for_few_or_many_rows(web_as, secretariat,
                                                                    sweden, url):
    rate("EUR", date(2024, 1, 1), "1.08")
    rate("EUR", date(2024, 3, 1), "1.09")
    add(sweden, 2, 0)
    client = web_as("secretariat")
    few = queries(client, url)
    add(sweden, 25, 100)
    assert queries(client, url) == few <= BUDGET


@pytest.mark.parametrize("url", ["/donor/", "/api/v1/contributions/?page_size=100",
                                 "/api/v1/pledges/?page_size=100", "/funding/reports/"])
def test_the_donor_s_pages_cost_the_same_for_few_or_many_rows(web_as, donor, sweden, url):
    for i in range(2):
        record(sweden, "10.00", received_on=date(2024, 2, 1 + i))
        pledge(sweden)
    client = web_as("donor")
    few = queries(client, url)
    for i in range(25):
        record(sweden, "10.00", received_on=date(2024, 3, 1 + i))
        pledge(sweden)
    assert queries(client, url) == few <= BUDGET
