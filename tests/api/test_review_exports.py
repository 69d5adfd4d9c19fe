"""Review files, page (/my/reviews/?format=…) and API (/api/v1/reviews/?format=…): a typed
number column per rubric criterion and the weighted score; no JSON or packed text in a cell;
labels, not codes; the secretariat's file costs the same for few or many reviews."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.grants.reviews.helpers import assign, eligible_application, make_reviewer, scored
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db

SCORES = {"relevance": 5, "victim-centred": 4, "feasibility": 3, "capacity": 4,
          "cost-effectiveness": 2, "sustainability": 5}


@pytest.fixture
def alice(db):
    return make_reviewer("alice", external=True)


@pytest.fixture
def review(app, alice):
    return scored(assign(app, alice, status="draft"), SCORES, submitted=True)


def _criteria(review):
    return {c.code: c.name for c in review.application.call.review_criteria.all()}


def _csv(response):
    return list(csv.DictReader(io.StringIO(b"".join(
        getattr(response, "streaming_content", None) or [response.content]).decode("utf-8-sig"))))


def _xlsx(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = (list(r) for r in sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_api_file_has_a_number_column_per_criterion(api_as, secretariat, review):
    response = api_as(secretariat).get("/api/v1/reviews/?format=xlsx")
    assert response.status_code == 200
    [row] = _xlsx(response)
    for code, name in _criteria(review).items():
        assert row[f"Score: {name}"] == SCORES[code]
    assert isinstance(row["Weighted score (1-5)"], float | int)
    assert row["Status"] == review.get_status_display()
    assert row["Application reference"] == review.application.reference
    assert not any(isinstance(v, str) and v.startswith("{") for v in row.values())


def test_the_api_csv_has_no_json_blobs(api_as, secretariat, review):
    [row] = _csv(api_as(secretariat).get("/api/v1/reviews/?format=csv"))
    assert not any(v.startswith("{") or v.startswith("[") for v in row.values())
    assert "Application brief: Title" not in row and "Scores" not in row
    assert row["Conflict of interest"] == "no"


def test_the_my_reviews_page_file_types_the_scores(login, alice, review):
    response = login(alice).get("/my/reviews/?format=xlsx")
    assert response.status_code == 200
    [row] = _xlsx(response)
    for code, name in _criteria(review).items():
        assert row[f"Score: {name}"] == SCORES[code]
    assert "Scores" not in row
    assert isinstance(row["Weighted score (1-5)"], float | int)


def test_a_reviewer_file_holds_only_their_reviews(api_as, alice, review, app):
    bob = make_reviewer("bob")
    assign(app, bob)
    rows = _csv(api_as(bob).get("/api/v1/reviews/?format=csv"))
    assert [r["Reviewer"] for r in rows] == [bob.display_name]


def test_the_file_costs_the_same_for_few_or_many_reviews(api_as, secretariat, review,
                                                         organisation, open_call):
    client = api_as(secretariat)
    url = "/api/v1/reviews/?format=csv"
    few = queries_for_get(client, url)
    for i in range(3):
        other = eligible_application(organisation=organisation, call=open_call)
        scored(assign(other, make_reviewer(f"r{i}"), status="draft"), SCORES, submitted=True)
    assert queries_for_get(client, url) == few
