from decimal import Decimal

import pytest

from grants.ranking import ApplicationInput, PriorityInput, priority_score

PRIORITIES = [PriorityInput("shelter", 2), PriorityInput("legal_aid", 1), PriorityInput("jobs", 1)]


def application(claimed=(), confirmed=()):
    return ApplicationInput(
        id=1,
        requested_usd=Decimal("10000"),
        claimed_priorities=frozenset(claimed),
        confirmed_priorities=frozenset(confirmed),
    )


def test_score_is_the_weighted_share_of_the_call_priorities_confirmed():
    # confirmed weights 2 + 1 out of 2 + 1 + 1 = 3/4 -> 75
    app = application(claimed={"shelter", "jobs"}, confirmed={"shelter", "jobs"})
    assert priority_score(app, PRIORITIES) == Decimal("75.00")


def test_claimed_but_unconfirmed_priorities_count_nothing():
    # only legal_aid (1 of 4) confirmed -> 25
    app = application(claimed={"shelter", "legal_aid"}, confirmed={"legal_aid"})
    assert priority_score(app, PRIORITIES) == Decimal("25.00")


def test_repeating_share_rounds_to_two_places():
    priorities = [PriorityInput("a"), PriorityInput("b"), PriorityInput("c")]
    # 1/3 -> 33.33; 2/3 -> 66.67
    assert priority_score(application({"a"}, {"a"}), priorities) == Decimal("33.33")
    assert priority_score(application({"a", "b"}, {"a", "b"}), priorities) == Decimal("66.67")


def test_call_without_priorities_has_no_priority_score():
    assert priority_score(application(), []) is None


def test_confirming_an_unclaimed_priority_is_refused():
    with pytest.raises(ValueError, match="confirmed but never claimed: jobs"):
        application(claimed={"shelter"}, confirmed={"jobs"})


def test_confirmed_priority_outside_the_call_is_refused():
    app = application(claimed={"housing"}, confirmed={"housing"})
    with pytest.raises(ValueError, match="not in the call: housing"):
        priority_score(app, PRIORITIES)
