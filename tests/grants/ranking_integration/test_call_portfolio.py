"""The portfolio over the small call of builders.py, with the call's constraints."""

from decimal import Decimal

import pytest

from grants.selectors.ranking import call_portfolio, portfolio_data

pytestmark = pytest.mark.django_db


def _keys(apps, ids):
    names = {a.pk: key for key, a in apps.items()}
    return [names[pk] for pk in ids]


def test_the_best_portfolio_beats_the_rank_cut_by_the_hand_computed_score(small):
    call, apps = small
    data = portfolio_data(call_portfolio(call))
    assert _keys(apps, [i["application"] for i in data["selected"]]) == ["C", "B", "D"]
    assert (data["total_usd"], data["total_score"], data["remaining_usd"]) == (
        "100000.00", "171.69", "0.00")
    cut = data["rank_cut"]
    assert _keys(apps, cut["applications"]) == ["C", "A"]
    assert (cut["total_usd"], cut["total_score"], cut["score_gained"]) == (
        "90000.00", "146.64", "25.05")
    assert _keys(apps, cut["added"]) == ["B", "D"] and _keys(apps, cut["removed"]) == ["A"]
    assert cut["removed_references"] == [apps["A"].reference]


def test_each_application_has_a_reason_and_the_reserve_is_in_rank_order(small):
    call, apps = small
    data = portfolio_data(call_portfolio(call))
    reasons = {i["application"]: i for i in data["applications"]}
    assert reasons[apps["C"].pk]["reason"] == (
        "Included: rank 1, score 83.32, requests USD 50,000.00.")
    assert reasons[apps["B"].pk]["reason"].endswith("the optimiser added it.")
    assert reasons[apps["A"].pk]["reason_code"] == "excluded_budget"
    assert "USD 0.00 left in the envelope" in reasons[apps["A"].pk]["reason"]
    assert reasons[apps["A"].pk]["reason"].endswith("above the plain rank-order funding line.")
    assert reasons[apps["E"].pk]["reason_code"] == "not_reviewed"
    assert [(i["reserve_position"], i["reference"]) for i in data["reserve"]] == [
        (1, apps["A"].reference)]


def test_a_country_cap_changes_the_portfolio_and_is_given_as_the_reason(small):
    call, apps = small
    call.max_projects_per_country = 1
    data = portfolio_data(call_portfolio(call))
    assert _keys(apps, [i["application"] for i in data["selected"]]) == ["C", "B"]
    reasons = {i["application"]: i for i in data["applications"]}
    assert reasons[apps["D"].pk]["reason_codes"] == ["excluded_country_cap:KE"]
    assert "Kenya already has the maximum of 1 selected projects." in reasons[
        apps["D"].pk]["reason"]
    assert reasons[apps["A"].pk]["reason_codes"] == ["excluded_country_cap:NG",
                                                     "excluded_budget"]
    assert [i["reserve_position"] for i in data["reserve"]] == [1, 2]
    assert _keys(apps, [i["application"] for i in data["reserve"]]) == ["A", "D"]


def test_the_women_and_girls_floor_is_a_percentage_of_the_envelope(small):
    call, apps = small
    call.min_women_girls_share = Decimal("90")
    data = portfolio_data(call_portfolio(call))
    assert data["women_and_girls_floor_usd"] == "90000.00"
    assert data["feasible"] is False
    assert data["selected"] == []
    assert "women-and-girls floor of USD 90,000.00 (90 % of the envelope)" in data["message"]

