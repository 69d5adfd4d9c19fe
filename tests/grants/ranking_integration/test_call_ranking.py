"""The ranking selector feeds the engine the call's data: numbers checked by hand (see
builders.py)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.models import ApplicationPriority, ApplicationStatus, ReviewStatus
from grants.selectors.ranking import call_ranking, ranking_data
from tests.grants.ranking_integration.builders import closed_call, reviewed, rubric
from tests.grants.reviews.helpers import assign, make_reviewer, scored

pytestmark = pytest.mark.django_db


def _order(ranking, apps):
    names = {a.pk: key for key, a in apps.items()}
    return [(names[r.application_id], r.rank, r.total_score) for r in ranking.rows]


def test_normalised_ranking_matches_the_hand_computed_scores(small):
    call, apps = small
    assert _order(call_ranking(call), apps) == [
        ("C", 1, Decimal("83.32")), ("A", 2, Decimal("63.32")), ("B", 3, Decimal("54.19")),
        ("D", 4, Decimal("34.18")), ("E", None, None)]


def test_raw_ranking_matches_the_hand_computed_scores(small):
    call, apps = small
    call.normalise_reviews = False
    assert _order(call_ranking(call), apps) == [
        ("B", 1, Decimal("82.50")), ("A", 2, Decimal("70.00")), ("C", 3, Decimal("55.00")),
        ("D", 4, Decimal("27.50")), ("E", None, None)]


def test_the_review_weight_of_the_call_is_used(small):
    call, apps = small
    call.review_weight = Decimal("1.00")
    ranking = call_ranking(call)
    scores = {r.application_id: r.total_score for r in ranking.ranked}
    assert scores[apps["A"].pk] == scores[apps["C"].pk] == Decimal("90.45")


def test_cumulative_amounts_and_the_funding_line(small):
    call, apps = small
    ranking = call_ranking(call)
    rows = {r.application_id: r for r in ranking.rows}
    assert rows[apps["C"].pk].cumulative_usd == Decimal("50000.00")
    assert rows[apps["A"].pk].cumulative_usd == Decimal("90000.00")
    assert rows[apps["B"].pk].cumulative_usd == Decimal("120000.00")
    assert [rows[apps[k].pk].above_funding_line for k in "CABDE"] == [
        True, True, False, False, False]
    assert ranking.funding_line_rank == 2
    assert ranking.above_total_usd == Decimal("90000.00")


def test_the_breakdown_shows_each_reviewer_raw_and_normalised_and_each_priority(small):
    call, apps = small
    ranking = call_ranking(call)
    row = next(r for r in ranking.rows if r.application_id == apps["C"].pk)
    data = ranking_data(ranking, [row])["results"][0]
    b = data["breakdown"]
    assert b["normalised"] is True
    assert (b["raw_review_score"], b["normalised_review_score"]) == ("50.00", "90.45")
    assert (b["pooled_mean"], b["pooled_std"]) == ("62.50", "27.95")
    review = b["reviews"][0]
    assert review["reviewer_name"] == "harsh"
    assert (review["raw_score"], review["normalised_score"], review["z"]) == (
        "50.00", "90.45", "1.000")
    assert (review["reviewer_mean"], review["reviewer_std"]) == ("37.50", "12.50")
    assert [(c["code"], c["weight"], c["scores"], c["mean"]) for c in b["criteria"]] == [
        ("relevance", "2.00", [3], "3.00"), ("feasibility", "1.00", [3], "3.00")]
    assert [(p["code"], p["claimed"], p["confirmed"]) for p in b["priorities"]] == [
        ("armed-conflict", True, False), ("women-girls", True, True)]
    assert (b["priority_score"], b["review_weight"], b["priority_weight"]) == (
        "66.67", "0.70", "0.30")
    assert data["total_score"] == "83.32" and data["cumulative_usd"] == "50000.00"


def test_women_and_girls_follows_the_confirmed_women_priority(small):
    call, apps = small
    flags = {r.application_id: r.women_and_girls for r in call_ranking(call).rows}
    assert [flags[apps[k].pk] for k in "ABCDE"] == [False, True, True, False, False]


def test_without_a_women_priority_the_beneficiaries_decide():
    call = closed_call(priorities=[("underserved", "Underserved groups", Decimal("1"))])
    rubric(call)
    reviewer = make_reviewer()
    mostly = reviewed(call, reviewer, 4, confirmed=(), organisation=None)
    ApplicationPriority.objects.filter(application=mostly).delete()
    mixed = reviewed(call, reviewer, 3)
    type(mostly).objects.filter(pk=mostly.pk).update(
        beneficiaries_women=60, beneficiaries_girls=15, beneficiaries_men=20,
        beneficiaries_boys=5)
    type(mixed).objects.filter(pk=mixed.pk).update(
        beneficiaries_women=50, beneficiaries_girls=10, beneficiaries_men=30,
        beneficiaries_boys=10)
    flags = {r.application_id: r.women_and_girls for r in call_ranking(call).rows}
    assert flags == {mostly.pk: True, mixed.pk: False}


def test_draft_reviews_and_decided_or_withdrawn_applications_are_left_out(small):
    call, apps = small
    draft = assign(apps["E"], make_reviewer(), status=ReviewStatus.DRAFT)
    scored(draft, {"relevance": 5, "feasibility": 5})
    type(apps["D"]).objects.filter(pk=apps["D"].pk).update(status=ApplicationStatus.WITHDRAWN)
    ranking = call_ranking(call)
    ids = [r.application_id for r in ranking.rows]
    assert apps["D"].pk not in ids
    assert next(r for r in ranking.rows if r.application_id == apps["E"].pk).rank is None


def test_a_call_without_a_rubric_lists_every_application_unranked():
    call = closed_call()
    from tests.grants.ranking_integration.builders import eligible_with_request

    app = eligible_with_request(call, "30000")
    ranking = call_ranking(call)
    assert [(r.application_id, r.rank) for r in ranking.rows] == [(app.pk, None)]


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as ctx:
        ranking_data(call_ranking(call))
    return len(ctx)


def test_the_selector_runs_as_many_queries_for_five_as_for_thirty_applications(small):
    call, apps = small
    few = _queries(call)
    reviewers = [make_reviewer() for _ in range(3)]
    for i in range(25):
        reviewed(call, reviewers[i % 3], 1 + i % 5, confirmed=("women-girls",))
    assert _queries(call) == few <= 8
