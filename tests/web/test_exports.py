"""Every list page exports what it shows (?format=csv|xlsx, same filters, same permissions)
through the one writer, with the links in one shared partial; query counts flat."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from fundapp.notifications.services import notify
from grants.models import ApplicationStatus
from tests.notifications.samples import APPLICATION
from tests.factories import OrganisationFactory, complete_application, ngo_user
from tests.grants.implementation.helpers import make_grant

pytestmark = pytest.mark.django_db

# (url, a user fixture allowed to see it)
PAGES = [
    ("/applications/", "secretariat"),
    ("/my/applications/", "ngo"),
    ("/manage/screening/", "secretariat"),
    ("/my/reviews/", "reviewer"),
    ("/organisations/", "secretariat"),
    ("/manage/people/", "secretariat"),
    ("/grants/portfolio/", "secretariat"),
    ("/grants/portfolio/", "ngo"),
    ("/grants/", "secretariat"),
    ("/funding/donors/", "secretariat"),
    ("/funding/pledges/", "secretariat"),
    ("/funding/contributions/", "secretariat"),
    ("/notifications/", "ngo"),
    ("/notifications/delivery/", "secretariat"),
    ("/manage/reviews/", "secretariat"),
    ("/manage/calls/{call}/reviews/", "secretariat"),
    ("/manage/calls/{call}/reviews/reviewers/", "secretariat"),
    ("/ranking/", "secretariat"),
    ("/board/", "board_member"),
    ("/manage/sanctions/", "secretariat"),
    ("/manage/reviewers/", "secretariat"),
    ("/funding/rates/", "secretariat"),
    ("/manage/calls/", "secretariat"),
]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def resolve_url(url: str) -> str:
    from django.urls import Resolver404, resolve

    try:
        resolve(url)
    except Resolver404:
        pytest.fail(f"{url} is not a page: the list of exported pages is out of date")
    return url


@pytest.fixture
def world(organisation, other_organisation, ngo, other_ngo, open_call):
    mine = complete_application(organisation=organisation, call=open_call,
                                title="@SUM(1+1) our project")
    theirs = complete_application(organisation=other_organisation, call=open_call,
                                  title="Their confidential project")
    for app in (mine, theirs):
        app.status, app.reference = ApplicationStatus.SUBMITTED, f"VTF1-{app.pk:04d}"
        app.save()
    notify(recipients=[ngo], kind="application_submitted", target=mine, data=APPLICATION)
    return {"mine": mine, "theirs": theirs, "grant": make_grant(organisation),
            "other_grant": make_grant(other_organisation)}


@pytest.mark.parametrize("url, who", PAGES)
def test_every_list_page_has_the_links_and_answers_both_files(request, login, world, url,
                                                             who):
    url = resolve_url(url.format(call=world["mine"].call_id))
    client = login(request.getfixturevalue(who))
    page = client.get(url)
    assert page.status_code == 200, url
    html = page.content.decode()
    assert "format=csv" in html and "format=xlsx" in html, url
    as_csv = client.get(url, {"format": "csv"})
    assert as_csv.status_code == 200 and as_csv["Content-Type"].startswith("text/csv"), url
    assert as_csv["Content-Disposition"].startswith('attachment; filename="')
    assert len(csv_rows(as_csv)) >= 1
    as_xlsx = client.get(url, {"format": "xlsx"})
    assert as_xlsx.status_code == 200 and as_xlsx.content.startswith(b"PK"), url


def test_the_ngos_application_file_is_its_own(login, ngo, world):
    rows = csv_rows(login(ngo).get("/my/applications/?format=csv"))
    text = str(rows)
    assert "'@SUM(1+1) our project" in text and "Their confidential project" not in text
    assert "Mean review score (1-5)" not in rows[0]


def test_the_ngos_grant_file_is_its_own(login, ngo, world):
    text = str(csv_rows(login(ngo).get("/grants/portfolio/?format=csv")))
    assert world["grant"].agreement_number in text
    assert world["other_grant"].agreement_number not in text


def test_the_secretariats_file_follows_the_filters_and_has_the_scores(login, secretariat,
                                                                      world, open_call):
    complete_application(call=open_call, title="Still a draft")
    client = login(secretariat)
    rows = csv_rows(client.get("/applications/?format=csv&status=submitted"))
    assert "Mean review score (1-5)" in rows[0] and "Budget total (USD)" in rows[0]
    titles = {r[rows[0].index("Title")] for r in rows[1:]}
    assert titles == {"'@SUM(1+1) our project", "Their confidential project"}
    sheet = xlsx_rows(client.get("/applications/?format=xlsx&status=submitted"))
    assert {r[sheet[0].index("Title")] for r in sheet[1:]} == titles
    budget = sheet[1][sheet[0].index("Budget total (USD)")]
    assert isinstance(budget, int | float) and budget > 0


def test_a_page_file_is_every_row_not_one_page(login, secretariat, open_call):
    for _ in range(30):
        complete_application(call=open_call)
    rows = csv_rows(login(secretariat).get("/applications/?format=csv&page=2"))
    assert len(rows) == 31


def test_other_people_get_no_file(login, ngo, reviewer):
    assert login(ngo).get("/applications/?format=csv").status_code in (403, 404)
    assert login(reviewer).get("/funding/contributions/?format=xlsx").status_code in (403, 404)
    assert login(None).get("/applications/?format=csv").status_code == 302


def test_headers_are_in_the_readers_language(login, secretariat, world):
    secretariat.language = "fr"
    secretariat.save()
    header = csv_rows(login(secretariat).get("/applications/?format=csv"))[0]
    assert "Référence" in header and "Titre" in header


def _count(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        n = len(csv_rows(response)) - 1
    assert response.status_code == 200
    return len(ctx.captured_queries), n


@pytest.mark.parametrize("url, who", [
    ("/applications/?format=csv", "secretariat"),
    ("/my/applications/?format=csv", "ngo"),
    ("/grants/portfolio/?format=csv", "secretariat"),
    ("/organisations/?format=csv", "secretariat"),
    ("/manage/people/?format=csv", "secretariat"),
])
def test_a_page_files_query_count_does_not_grow_with_rows(request, login, organisation,
                                                          open_call, url, who):
    def add(n):
        for _ in range(n):
            org = OrganisationFactory()
            ngo_user(org)
            complete_application(organisation=organisation, call=open_call)
            make_grant(organisation)

    client = login(request.getfixturevalue(who))
    add(2)
    small, n_small = _count(client, url)
    add(8)
    large, n_large = _count(client, url)
    assert n_large > n_small
    assert large == small, f"{url}: {small} queries for {n_small} rows, {large} for {n_large}"
