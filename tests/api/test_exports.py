"""Every list endpoint answers ?format=csv and ?format=xlsx (and Accept: text/csv) with the
same filters and permissions; a file never holds what the JSON would not; formulas are
neutralised; headers follow the reader's language; the file's query count is flat.

The list endpoints are found in the URL resolver, so endpoints added later are covered."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from openpyxl import load_workbook

from fundapp.core import exports
from grants.models import ApplicationStatus
from tests.factories import complete_application
from tests.grants.implementation.helpers import make_grant

pytestmark = pytest.mark.django_db

XLSX = exports.CONTENT_TYPES["xlsx"]
USERS = ("secretariat", "ngo", "board_member", "reviewer", "donor")


def _routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry, pattern)
        elif isinstance(entry, URLPattern):
            yield pattern, entry


def api_get_routes():
    """(pattern, view's actions for GET) of every /api/v1/ route with a GET."""
    found = []
    for pattern, entry in _routes():
        if not pattern.startswith("api/v1/") or "(?P<format>" in pattern or "\\.(?P" in pattern:
            continue
        actions = getattr(entry.callback, "actions", None)
        if actions is not None and "get" not in actions:
            continue
        found.append((pattern, (actions or {}).get("get")))
    return found


def list_routes():
    return sorted({p for p, action in api_get_routes() if action == "list"})


def fill(pattern: str, ids: dict) -> str | None:
    """The path of a route with its ids; None when it names an id we have no object for."""
    path = pattern.replace("^", "").replace("$", "")
    for name in re.findall(r"\(\?P<(\w+)>[^)]*\)", path):
        if name not in ids:
            return None
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(ids[m.group(1)]), path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids.get(m.group(1), 1)), path)
    return "/" + path.replace("\\", "")


@pytest.fixture
def world(organisation, other_organisation, ngo, other_ngo, secretariat, reviewer,
          board_member, donor, open_call):
    mine = complete_application(organisation=organisation, call=open_call,
                                title="=HYPERLINK(\"http://evil\",\"click\")")
    theirs = complete_application(organisation=other_organisation, call=open_call,
                                  title="Their confidential project")
    grant = make_grant(organisation)
    other_grant = make_grant(other_organisation)
    return {"mine": mine, "theirs": theirs, "grant": grant, "other_grant": other_grant,
            "ids": {"pk": mine.pk, "call_pk": open_call.pk, "organisation_pk": organisation.pk,
                    "application_pk": mine.pk, "grant_pk": grant.pk, "year": 2026,
                    "fmt": "csv", "verdict": "accept"}}


def count_of(data) -> int:
    if isinstance(data, dict) and "results" in data:
        return data.get("count", len(data["results"]))
    return len(data) if isinstance(data, list) else 1


def csv_rows(response) -> list[list[str]]:
    content = (b"".join(response.streaming_content) if response.streaming
               else response.content)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_router_has_list_routes_to_check():
    routes = list_routes()
    assert any("applications" in r for r in routes) and any("grants" in r for r in routes)


def test_every_list_endpoint_answers_csv_and_xlsx_for_a_user_who_may_list(request, api_as,
                                                                         world):
    checked, skipped = [], []
    for pattern in list_routes():
        path = fill(pattern, world["ids"])
        if path is None:
            skipped.append(pattern)
            continue
        for role in USERS:
            client = api_as(request.getfixturevalue(role))
            plain = client.get(path)
            if plain.status_code != 200:
                continue
            n = count_of(plain.json())
            as_csv = client.get(path, {"format": "csv"})
            assert as_csv.status_code == 200, (path, role, as_csv.content[:300])
            assert as_csv["Content-Type"].startswith("text/csv"), path
            assert as_csv["Content-Disposition"].startswith('attachment; filename="'), path
            assert len(csv_rows(as_csv)) - 1 == n, (path, role)
            as_xlsx = client.get(path, {"format": "xlsx"})
            assert as_xlsx.status_code == 200 and as_xlsx["Content-Type"] == XLSX, path
            assert len(xlsx_rows(as_xlsx)) - 1 == n, (path, role)
            accept = client.get(path, HTTP_ACCEPT="text/csv")
            assert accept.status_code == 200 and accept["Content-Type"].startswith("text/csv")
            checked.append(path)
            break
    assert len(checked) >= 10, (checked, skipped)


def test_format_csv_never_breaks_an_endpoint(api_as, secretariat, ngo, world):
    """Details, actions, PDFs and files: a file, a 404/406 or the view's own answer; never a
    server error."""
    for user in (secretariat, ngo):
        client = api_as(user)
        for pattern, _action in api_get_routes():
            path = fill(pattern, world["ids"])
            if path is None:
                continue
            for fmt in ("csv", "xlsx"):
                response = client.get(path, {"format": fmt})
                assert response.status_code < 500, (path, fmt, response.content[:300])


def test_a_file_is_every_row_not_one_page(api_as, secretariat, open_call):
    for _ in range(3):
        complete_application(call=open_call)
    client = api_as(secretariat)
    assert len(csv_rows(client.get("/api/v1/applications/?format=csv&page_size=1"))) == 4
    assert len(csv_rows(client.get("/api/v1/applications/?format=csv&page=2"))) == 4


def test_an_ngos_file_never_holds_another_organisations_rows(api_as, ngo, world):
    client = api_as(ngo)
    for path, own, other in (
            ("/api/v1/applications/", world["mine"].title, world["theirs"].title),
            ("/api/v1/grants/", world["grant"].agreement_number,
             world["other_grant"].agreement_number)):
        text = "\n".join(",".join(r) for r in csv_rows(client.get(path, {"format": "csv"})))
        assert own.lstrip("=") in text and other not in text, path
        cells = [str(c) for r in xlsx_rows(client.get(path, {"format": "xlsx"})) for c in r]
        assert any(own.lstrip("=") in c for c in cells) and not any(other in c for c in cells)


def test_an_ngo_gets_404_for_another_organisations_application_in_a_file(api_as, ngo, world):
    response = api_as(ngo).get(f"/api/v1/applications/{world['theirs'].pk}/?format=csv")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"  # errors stay JSON
    assert "Content-Disposition" not in response


def test_messages_exports_are_the_organisations_own(api_as, ngo, other_ngo, world):
    path = f"/api/v1/applications/{world['mine'].pk}/messages/"
    assert any("messages" in p for p in list_routes())
    assert api_as(ngo).get(path, {"format": "csv"}).status_code == 200
    assert api_as(other_ngo).get(path, {"format": "csv"}).status_code == 404


def test_anonymous_gets_no_file(api):
    response = api.get("/api/v1/applications/?format=csv")
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/json"


def test_filters_apply_to_the_file(api_as, secretariat, world, open_call):
    draft = complete_application(call=open_call, title="A plain draft")
    world["mine"].status = ApplicationStatus.SUBMITTED
    world["mine"].save()
    client = api_as(secretariat)
    rows = csv_rows(client.get("/api/v1/applications/", {"format": "csv", "status": "submitted"}))
    titles = [r[rows[0].index("Title")] for r in rows[1:]]
    assert titles == ["'" + world["mine"].title]
    assert draft.title not in str(rows)
    bad = client.get("/api/v1/applications/", {"format": "csv", "call": "x"})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/json"


def test_formulas_are_neutralised_in_both_formats(api_as, secretariat, world):
    client = api_as(secretariat)
    title = world["mine"].title
    rows = csv_rows(client.get("/api/v1/applications/?format=csv"))
    column = rows[0].index("Title")
    assert "'" + title in [r[column] for r in rows[1:]]
    sheet = xlsx_rows(client.get("/api/v1/applications/?format=xlsx"))
    assert "'" + title in [r[column] for r in sheet[1:]]
    assert title not in [r[column] for r in sheet[1:]]


def test_xlsx_values_are_typed(api_as, secretariat, world):
    import datetime as dt

    sheet = xlsx_rows(api_as(secretariat).get("/api/v1/applications/?format=xlsx"))
    header = sheet[0]
    row = next(r for r in sheet[1:] if r[header.index("Id")] == world["mine"].pk)
    assert isinstance(row[header.index("Requested (USD)")], int | float)
    assert isinstance(row[header.index("Created")], dt.datetime)
    assert isinstance(row[header.index("Beneficiaries: Women")], int)
    assert isinstance(row[header.index("Budget total (USD)")], int | float)


def test_headers_are_in_the_readers_language(api_as, secretariat, world):
    client = api_as(secretariat)
    header = csv_rows(client.get("/api/v1/applications/?format=csv",
                                 HTTP_ACCEPT_LANGUAGE="fr"))[0]
    secretariat.language = "fr"
    secretariat.save()
    header_user = csv_rows(client.get("/api/v1/applications/?format=csv"))[0]
    assert "Référence" in header or "Référence" in header_user
    assert "Titre" in header_user and "Reference" not in header_user


def test_the_secretariats_application_file_has_the_review_scores(api_as, secretariat, ngo,
                                                                 world):
    header = csv_rows(api_as(secretariat).get("/api/v1/applications/?format=csv"))[0]
    assert "Reviews submitted" in header and "Review score" in header
    ngo_header = csv_rows(api_as(ngo).get("/api/v1/applications/?format=csv"))[0]
    assert "Review score" not in ngo_header and "Reviews submitted" not in ngo_header
    assert "Budget total (USD)" in ngo_header and "Priorities" in ngo_header
    assert "Countries" in ngo_header
    # The JSON list is unchanged.
    assert "review_score" not in api_as(secretariat).get("/api/v1/applications/").json()[
        "results"][0]


def test_the_grant_file_has_paid_and_remaining(api_as, secretariat, world):
    rows = csv_rows(api_as(secretariat).get("/api/v1/grants/?format=csv"))
    header = rows[0]
    assert "Paid (USD)" in header and "Remaining (USD)" in header
    row = next(r for r in rows[1:] if world["grant"].agreement_number in r)
    assert row[header.index("Remaining (USD)")] == "50000.00"


def _queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        rows = csv_rows(response)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(rows) - 1


@pytest.mark.parametrize("url", ["/api/v1/applications/?format=csv",
                                 "/api/v1/applications/?format=xlsx",
                                 "/api/v1/grants/?format=csv"])
def test_a_files_query_count_does_not_grow_with_rows(api_as, secretariat, organisation,
                                                     open_call, url):
    def add(n):
        for _ in range(n):
            complete_application(call=open_call)
            make_grant(organisation)

    client = api_as(secretariat)
    add(2)
    if "xlsx" in url:
        with CaptureQueriesContext(connection) as small_ctx:
            client.get(url)
        add(10)
        with CaptureQueriesContext(connection) as large_ctx:
            client.get(url)
        assert len(small_ctx.captured_queries) == len(large_ctx.captured_queries)
        return
    small, n_small = _queries(client, url)
    add(10)
    large, n_large = _queries(client, url)
    assert n_large > n_small
    assert large == small, f"{url}: {small} queries for {n_small} rows, {large} for {n_large}"


def test_the_schema_documents_the_file_formats(api_as, secretariat):
    schema = api_as(secretariat).get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    content = schema.json()["paths"]["/api/v1/applications/"]["get"]["responses"]["200"][
        "content"]
    assert "text/csv" in content and XLSX in content
