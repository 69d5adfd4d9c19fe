"""The decision rule, table-driven: quorum, majority, the Chair's casting vote, deferral and
the approved amount (pure function; the service and the page use the same one)."""

import itertools
from decimal import Decimal

import pytest

from grants.models import Decision
from grants.selectors.board import item_outcome

CHAIR, A, B, C, D = 1, 2, 3, 4, 5
BOARD = (CHAIR, A, B, C, D)
REQUESTED = Decimal("50000.00")


def outcome(votes: dict, board=BOARD, chair=CHAIR, chair_amount=None):
    triples = [(m, v[0], v[1]) if isinstance(v, tuple) else (m, v, None)
               for m, v in votes.items()]
    return item_outcome(votes=triples, board=board, chair_id=chair, requested_usd=REQUESTED,
                        chair_amount_usd=chair_amount)


# Hand-checked cases: (votes, decision, quorum)
CASES = [
    ({}, Decision.DEFERRED, False),
    ({A: "approve", B: "approve"}, Decision.DEFERRED, False),  # 2 of 5: no quorum
    ({A: "approve", B: "approve", C: "approve"}, Decision.APPROVED, True),  # 3 of 5
    ({A: "approve", B: "decline", C: "decline"}, Decision.DECLINED, True),
    ({A: "approve", B: "abstain", C: "abstain"}, Decision.APPROVED, True),  # abstain counts
    ({A: "abstain", B: "abstain", C: "abstain"}, Decision.DEFERRED, True),  # 0-0 tie, Chair silent
    ({CHAIR: "abstain", A: "abstain", B: "abstain"}, Decision.DEFERRED, True),
    ({CHAIR: "approve", A: "decline", B: "abstain"}, Decision.APPROVED, True),  # casting
    ({CHAIR: "decline", A: "approve", B: "abstain"}, Decision.DECLINED, True),  # casting
    ({CHAIR: "approve", A: "approve", B: "decline", C: "decline"}, Decision.APPROVED, True),
    ({CHAIR: "abstain", A: "approve", B: "decline"}, Decision.DEFERRED, True),  # tie, abstained
    ({A: "approve", B: "decline", C: "abstain"}, Decision.DEFERRED, True),  # tie, Chair absent
    # Recusals shrink the base: 2 recused leaves 3, so 2 votes make a quorum.
    ({A: "recuse", B: "recuse", C: "approve", D: "approve"}, Decision.APPROVED, True),
    ({A: "recuse", B: "recuse", C: "approve"}, Decision.DEFERRED, False),  # 1 of 3
    ({A: "recuse", B: "recuse", C: "recuse", D: "recuse", CHAIR: "recuse"}, Decision.DEFERRED,
     False),  # nobody left
    ({A: "recuse", B: "recuse", C: "recuse", D: "recuse", CHAIR: "approve"}, Decision.APPROVED,
     True),  # 1 of 1
    ({A: "recuse", B: "approve", C: "decline"}, Decision.DEFERRED, False),  # 2 of 4 is not > half
    ({A: "recuse", B: "approve", C: "decline", CHAIR: "decline"}, Decision.DECLINED, True),
    ({A: "recuse", CHAIR: "approve", C: "decline", D: "approve"}, Decision.APPROVED, True),
    ({A: "recuse", CHAIR: "approve", C: "decline", D: "decline", B: "approve"},
     Decision.APPROVED, True),  # 2-2 among 4, Chair approves
    # Votes of people who do not sit on the session's board do not count.
    ({99: "approve", 98: "approve", A: "approve", B: "approve"}, Decision.DEFERRED, False),
]


@pytest.mark.parametrize("votes,decision,quorum", CASES)
def test_hand_checked_decisions(votes, decision, quorum):
    result = outcome(votes)
    assert (result.decision, result.quorum) == (decision, quorum)


def test_the_chairs_vote_breaks_a_tie_and_says_so():
    tie = outcome({CHAIR: "approve", A: "decline", B: "abstain"})
    clear = outcome({CHAIR: "approve", A: "approve", B: "decline"})
    assert tie.casting_vote and not clear.casting_vote


def test_without_a_chair_on_the_board_a_tie_is_deferred():
    result = outcome({A: "approve", B: "decline", C: "abstain"}, board=(A, B, C, D), chair=None)
    assert result.decision == Decision.DEFERRED and result.quorum


def _oracle(combo: tuple[str | None, ...]) -> str:
    """The rule restated independently, for every combination of five members."""
    votes = dict(zip(BOARD, combo, strict=True))
    recused = [m for m, v in votes.items() if v == "recuse"]
    counted = [v for v in votes.values() if v in ("approve", "decline", "abstain")]
    base = len(BOARD) - len(recused)
    if base == 0 or len(counted) <= base / 2:
        return Decision.DEFERRED
    approvals, declines = counted.count("approve"), counted.count("decline")
    if approvals > declines:
        return Decision.APPROVED
    if declines > approvals:
        return Decision.DECLINED
    return {"approve": Decision.APPROVED, "decline": Decision.DECLINED}.get(
        votes[CHAIR], Decision.DEFERRED)


def test_every_combination_of_five_members_follows_the_rule():
    choices = (None, "approve", "decline", "abstain", "recuse")
    combos = list(itertools.product(choices, repeat=len(BOARD)))
    assert len(combos) == 5 ** 5
    for combo in combos:
        votes = {m: v for m, v in zip(BOARD, combo, strict=True) if v is not None}
        assert outcome(votes).decision == _oracle(combo), combo


AMOUNTS = [
    # (approving amounts, chair amount, expected)
    ((None, None, None), None, REQUESTED),  # no amount: the full request
    ((Decimal("45000.00"), None, None), None, Decimal("45000.00")),  # the lowest
    ((Decimal("45000.00"), Decimal("42000.50"), None), None, Decimal("42000.50")),
    ((Decimal("45000.00"), Decimal("42000.50"), None), Decimal("48000.00"),
     Decimal("48000.00")),  # the Chair records otherwise
]


@pytest.mark.parametrize("amounts,chair_amount,expected", AMOUNTS)
def test_the_approved_amount_is_the_lowest_approving_amount_unless_the_chair_sets_it(
        amounts, chair_amount, expected):
    votes = {m: ("approve", a) for m, a in zip((A, B, C), amounts, strict=True)}
    votes[D] = "decline"
    result = outcome(votes, chair_amount=chair_amount)
    assert (result.decision, result.approved_usd) == (Decision.APPROVED, expected)


def test_a_decline_or_deferral_has_no_amount():
    assert outcome({A: ("decline", None), B: "decline", C: "approve"}).approved_usd is None
    assert outcome({A: ("approve", Decimal("10.00"))}).approved_usd is None
