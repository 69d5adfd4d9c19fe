"""The list pages converted to fundapp/core/listing.py (issue 15): donors, contributions,
exchange rates, people, background jobs, past calls, sanctions lists and the reviewer pool.

For each: an applied filter shows its chip with a link that removes it, sorting changes the
order, the page size is read from the URL, an unknown value is ignored and said so, the
count is in ``data-count``, and the queries do not grow with the rows."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fundapp.accounts.roles import Role
from fundapp.core.models import Job, JobKind, JobStatus
from grants.models import CallStatus, ReviewerProfile, SanctionsList
from tests.donors.factories import DonorFactory, rate, record
from tests.factories import CallFactory, UserFactory

pytestmark = pytest.mark.django_db

COUNT = re.compile(r'data-count="(\d+)"')
ROW_LINK = re.compile(r"<tbody>.*?</tbody>", re.S)


def count_of(html: str) -> int:
    found = COUNT.findall(html)
    assert len(found) == 1, "one list-count per list page"
    return int(found[0])


def body_of(html: str) -> str:
    """The table bodies (the rows), without the page's other text."""
    return "".join(ROW_LINK.findall(html))


# --------------------------------------------------------------- the lists and their rows


def donors(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        donor = DonorFactory(name=f"Donor {i:03d}", country="NO" if i % 2 else "SE",
                             donor_type="member_state" if i % 3 else "private_sector")
        record(donor, "100.00", received_on=date(2024, 3, 1))


def contributions(n: int, start: int = 0) -> None:
    donor = DonorFactory(name=f"Giver {start}", country="NO")
    for i in range(start, start + n):
        record(donor, f"{100 + i}.00", received_on=date(2024 if i % 2 else 2023, 3, 1 + i % 25),
               bank_reference=f"REF-{i:04d}")


def rates(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        rate("EUR" if i % 2 else "GBP", date(2024, 1, 1) + timedelta(days=i), "1.1")


def people(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        UserFactory(username=f"person{i:03d}", last_name=f"Zed{i:03d}",
                    roles=[Role.REVIEWER if i % 2 else Role.DONOR])


def jobs(n: int, start: int = 0, *, owner=None) -> None:
    for i in range(start, start + n):
        Job.objects.create(kind=JobKind.EXPORT, handler="test", label=f"Export {i:03d}",
                           requester=owner, status=JobStatus.DONE if i % 2 else
                           JobStatus.FAILED, created_at=timezone.now() - timedelta(hours=i))


def past_calls(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        CallFactory(number=200 + i, title_en=f"Past call {i:03d}",
                    status=CallStatus.ARCHIVED if i % 2 else CallStatus.DECIDED,
                    opens_at=timezone.now() - timedelta(days=400 + i),
                    closes_at=timezone.now() - timedelta(days=300 + i),
                    envelope_usd=Decimal(1000000 + i))


def sanctions_lists(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        item = SanctionsList.objects.create(source_name=f"consolidated-{i:03d}.xml",
                                            sha256="0" * 64, individuals=10, entities=2)
        SanctionsList.objects.filter(pk=item.pk).update(
            imported_at=timezone.now() - timedelta(days=i))


def reviewers(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        user = UserFactory(username=f"rev{i:03d}", last_name=f"Rev{999 - i:03d}",
                           roles=[Role.REVIEWER])
        ReviewerProfile.objects.create(user=user, is_external=bool(i % 2),
                                       expertise="Labour trafficking")


@dataclass
class Case:
    url: str
    role: str
    make: Callable
    filter: str           # a query string that filters
    chip: str             # what its chip says
    choice: str | None    # a filter with choices, for the unknown-value check
    sorts: tuple[str, str]


CASES = {
    "donors": Case("/funding/donors/", "secretariat", donors, "donor_type=private_sector",
                   "Type: ", "country", ("name", "-name")),
    "contributions": Case("/funding/contributions/", "secretariat", contributions,
                          "year=2023", "Year: 2023", "currency", ("-usd", "usd")),
    "rates": Case("/funding/rates/", "secretariat", rates, "currency=EUR", "Currency: EUR",
                  "year", ("-valid", "valid")),
    "people": Case("/manage/people/", "secretariat", people, "role=reviewer", "Role: ",
                   "status", ("name", "-name")),
    "jobs": Case("/jobs/", "secretariat", None, "status=failed", "Status: Failed", "kind",
                 ("-started", "started")),
    "past calls": Case("/calls/", None, past_calls, "status=archived", "Status: Archived",
                       "year", ("-number", "number")),
    "sanctions lists": Case("/manage/sanctions/", "secretariat", sanctions_lists,
                            "search=consolidated-001", "File: consolidated-001", "year",
                            ("-imported", "imported")),
    "reviewer pool": Case("/manage/reviewers/", "secretariat", reviewers, "kind=staff",
                          "Kind: Staff", "pending", ("username", "name")),
}


@pytest.fixture
def page(login, secretariat):
    """``page(case)`` → (client, make): a signed-in client and the case's row maker."""

    def setup(case: Case):
        client = login(secretariat if case.role == "secretariat" else None)
        make = case.make or (lambda n, start=0: jobs(n, start, owner=secretariat))
        return client, make

    return setup


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_the_urls_are_the_pages_named(client):
    from django.urls import reverse

    assert reverse("donors:donor-list") == CASES["donors"].url
    assert reverse("donors:contribution-list") == CASES["contributions"].url
    assert reverse("donors:rates") == CASES["rates"].url
    assert reverse("grants:people-list") == CASES["people"].url
    assert reverse("jobs:list") == CASES["jobs"].url
    assert reverse("grants:call-list") == CASES["past calls"].url
    assert reverse("grants:sanctions-lists") == CASES["sanctions lists"].url
    assert reverse("grants:reviewer-pool") == CASES["reviewer pool"].url


@pytest.mark.parametrize("name", CASES)
def test_a_filter_shows_its_chip_and_a_link_that_removes_it(page, name):
    case = CASES[name]
    client, make = page(case)
    make(6)
    everything = count_of(get(client, case.url))
    html = get(client, f"{case.url}?{case.filter}")
    filtered = count_of(html)
    assert 0 < filtered < everything
    chip = re.search(r'<span class="chip">(.*?)<a href="([^"]*)" class="chip-remove"', html, re.S)
    assert chip and case.chip in chip.group(1)
    removed = chip.group(2).replace("&amp;", "&")
    assert case.filter.split("=")[0] + "=" not in removed
    assert count_of(get(client, removed)) == everything


@pytest.mark.parametrize("name", CASES)
def test_sorting_changes_the_order(page, name):
    case = CASES[name]
    client, make = page(case)
    make(6)
    first, second = (body_of(get(client, f"{case.url}?sort={key}")) for key in case.sorts)
    assert first != second
    assert f'value="{case.sorts[1]}" selected' in get(client, f"{case.url}?sort={case.sorts[1]}")


@pytest.mark.parametrize("name", CASES)
def test_the_page_size_comes_from_the_url(page, name):
    case = CASES[name]
    client, make = page(case)
    make(55)
    small, large = case.url + "?size=", case.url + "?size=100"
    default = get(client, case.url)
    assert 'rel="next"' in default
    html = get(client, large)
    assert 'value="100" selected' in html and 'rel="next"' not in html
    assert count_of(html) == count_of(default)
    assert 'rel="next"' in get(client, small + "7")  # not a size: the default


@pytest.mark.parametrize("name", CASES)
def test_an_unknown_value_is_ignored_and_said(page, name):
    case = CASES[name]
    client, make = page(case)
    make(3)
    everything = count_of(get(client, case.url))
    html = get(client, f"{case.url}?{case.choice}=nonsense%27%22&sort=nonsense&page=999")
    assert "were left out" in html
    assert count_of(html) == everything


@pytest.mark.parametrize("name", CASES)
def test_the_queries_do_not_grow_with_the_rows(page, name):
    case = CASES[name]
    client, make = page(case)
    make(3)
    url = f"{case.url}?{case.filter}&sort={case.sorts[1]}"

    def queries(address):
        get(client, address)  # warm: sessions, caches
        with CaptureQueriesContext(connection) as ctx:
            get(client, address)
        return len(ctx)

    few, few_all = queries(url), queries(case.url)
    make(30, start=100)
    assert queries(url) == few
    assert queries(case.url) == few_all <= 20


# --------------------------------------------------------------- older links keep working


def test_older_contribution_links_keep_working(login, secretariat):
    client = login(secretariat)
    contributions(6)
    norway = DonorFactory(name="Norway", country="NO")
    record(norway, "5.00", received_on=date(2024, 2, 1), bank_reference="NOR-1")
    html = get(client, f"/funding/contributions/?donor={norway.pk}")
    assert count_of(html) == 1 and "Donor: Norway" in html
    assert count_of(get(client, "/funding/contributions/?q=REF-000")) == 6
    assert count_of(get(client, "/funding/contributions/?search=NOR-1")) == 1
    html = get(client, "/funding/contributions/?sort=-receipt")  # after an import
    assert 'aria-sort="descending"' in html
    receipts = re.findall(r'class="ref">([^<]+)<', html)
    assert receipts == sorted(receipts, reverse=True)


def test_the_contributions_export_follows_the_filters(login, secretariat):
    client = login(secretariat)
    contributions(6)
    response = client.get("/funding/contributions/?year=2023&format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode() if response.streaming \
        else response.content.decode()
    assert text.count("REF-") == 3


def test_a_donor_s_contributions_link_from_its_page_is_filtered(login, secretariat):
    client = login(secretariat)
    norway = DonorFactory(name="Norway", country="NO")
    record(norway, "5.00", received_on=date(2024, 2, 1))
    assert f"/funding/contributions/?donor={norway.pk}" in get(client,
                                                              f"/funding/donors/{norway.pk}/")


def test_countries_are_named_in_the_reader_s_language(login, secretariat):
    secretariat.language = "fr"
    secretariat.save()
    client = login(secretariat)
    donors(2)
    html = get(client, "/funding/donors/?country=SE")
    assert count_of(html) == 1 and "Suède" in html and "Sweden" not in html


def test_people_invited_status_lists_the_invitations_alone(login, secretariat):
    client = login(secretariat)
    people(3)
    html = get(client, "/manage/people/?status=invited")
    assert "Accounts</h2>" not in html
    assert count_of(get(client, "/manage/people/?status=active")) >= 3


def test_the_newest_sanctions_list_stays_in_force_whatever_the_sort(login, secretariat):
    client = login(secretariat)
    sanctions_lists(3)
    newest = SanctionsList.objects.order_by("-imported_at", "-id").first()
    html = get(client, "/manage/sanctions/?sort=imported")
    row = re.search(r"<tr><td>([^<]+) <span class=\"badge badge-eligible\">", html)
    assert row and row.group(1) == newest.source_name


def test_an_ngo_sees_only_its_own_jobs(login, ngo, secretariat):
    jobs(3, owner=secretariat)
    jobs(2, start=10, owner=ngo)
    html = get(login(ngo), "/jobs/?status=failed")
    assert count_of(get(login(ngo), "/jobs/")) == 2
    assert "Export 000" not in html
