"""Portfolio recommendation: the best set of ranked applications within the envelope.

Solved exactly as a 0/1 integer programme with SciPy's `milp` (HiGHS), not greedily:

* maximise the total combined score (as displayed, to the cent) of the selected
  applications, subject to
* total requested ≤ envelope (in integer cents);
* at most `max_per_country` selected projects per country. An application working in
  several countries counts toward the cap of each of its countries;
* the requests of selected women-and-girls projects add up to at least
  `min_women_girls_share` × envelope (a share of the **envelope**, rounded up to the
  cent, not of the selected total: the floor is known before solving and does not move
  with the selection);
* at least `min_countries` distinct countries covered by the selection (one auxiliary
  binary variable per country, allowed to be 1 only if a selected project works there).

Ties: each application's objective coefficient is the integer
``score_in_hundredths * M + (n - position)``, where position is its 0-based place in
rank order and ``M = n(n+1)/2 + 1`` exceeds the sum of all these bonuses. So one
hundredth of a score point always outweighs every bonus: the total score is maximised
first, and among portfolios of equal total score the solver takes the one with the
highest sum of bonuses, so swapping an application for a better-ranked one of the same
score and cost always wins. The gap tolerance is zero and the coefficients are integers,
so the solver proves this optimum; HiGHS is deterministic, so equal inputs (in any
order) give equal outputs.

Explanations: a selected application is `included`. Because every constraint but the
envelope and the country cap only asks for *more*, an optimal portfolio never leaves out
an application that would still fit. So each excluded one carries every reason that
applies, in this order: `excluded_budget` when its request is more than the whole
envelope; else `excluded_country_cap:<country>` for each of its countries already full,
then `excluded_budget` when its request is more than the envelope left by the selection.
`excluded_not_needed` appears only when the solver stopped at its time limit;
`excluded_infeasible` when no portfolio meets the constraints.

The rank cut is the plain rank-order prefix that fits the envelope (it stops at the first
application that does not fit, like the funding line of the ranking).
"""

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from decimal import ROUND_CEILING, Decimal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from fundapp.core.money import format_usd, usd

from .types import (
    Explanation,
    PortfolioCandidate,
    PortfolioConstraints,
    PortfolioResult,
    RankCutComparison,
)

OPTIMAL = "optimal"
TIME_LIMIT = "time_limit"
INFEASIBLE = "infeasible"
SOLVER_ERROR = "solver_error"
ZERO = Decimal(0)
DEFAULT_TIME_LIMIT_S = 30.0


@dataclass(frozen=True)
class _Problem:
    candidates: tuple[PortfolioCandidate, ...]
    cents: tuple[int, ...]
    envelope: int
    floor: int
    constraints: PortfolioConstraints

    @property
    def envelope_usd(self) -> Decimal:
        return _usd(self.envelope)

    def fits(self, index: int) -> bool:
        return self.cents[index] <= self.envelope


def _cents(amount: Decimal) -> int:
    return int(usd(amount) * 100)


def _usd(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _problem(candidates, envelope_usd, constraints) -> _Problem:
    ordered = tuple(sorted(candidates, key=lambda c: c.rank))
    if len({c.application_id for c in ordered}) != len(ordered):
        raise ValueError("an application is offered to the portfolio twice")
    if len({c.rank for c in ordered}) != len(ordered):
        raise ValueError("two candidates share a rank")
    envelope = _cents(envelope_usd)
    if envelope < 0:
        raise ValueError("the envelope must not be negative")
    share = constraints.min_women_girls_share or ZERO
    floor = int((share * envelope).to_integral_value(rounding=ROUND_CEILING))
    cents = tuple(_cents(c.requested_usd) for c in ordered)
    return _Problem(ordered, cents, envelope, floor, constraints)


def _violations(problem: _Problem, chosen: Iterable[int]) -> tuple[str, ...]:
    """Constraints that the chosen set (indices in rank order) breaks, as codes."""
    chosen = list(chosen)
    found = []
    if sum(problem.cents[i] for i in chosen) > problem.envelope:
        found.append("envelope")
    women_girls = sum(problem.cents[i] for i in chosen if problem.candidates[i].women_and_girls)
    if women_girls < problem.floor:
        found.append("women_girls_share")
    counts = _country_counts(problem, chosen)
    cap = problem.constraints.max_per_country
    if cap is not None:
        found += [f"country_cap:{c}" for c in sorted(counts) if counts[c] > cap]
    if len(counts) < (problem.constraints.min_countries or 0):
        found.append("min_countries")
    return tuple(found)


def _country_counts(problem: _Problem, chosen: Iterable[int]) -> Counter:
    return Counter(c for i in chosen for c in problem.candidates[i].countries)


def _rank_cut(problem: _Problem) -> list[int]:
    chosen, total = [], 0
    for index, amount in enumerate(problem.cents):
        total += amount
        if total > problem.envelope:
            break
        chosen.append(index)
    return chosen


class _Model:
    """Sparse rows of the integer programme; x variables first, then country variables."""

    def __init__(self, size: int):
        self.size = size
        self.rows, self.cols, self.values, self.lower, self.upper = [], [], [], [], []

    def add(self, entries: Iterable[tuple[int, float]], lower: float, upper: float) -> None:
        row = len(self.lower)
        for col, value in entries:
            self.rows.append(row)
            self.cols.append(col)
            self.values.append(value)
        self.lower.append(lower)
        self.upper.append(upper)

    def constraint(self) -> LinearConstraint:
        matrix = coo_array(
            (self.values, (self.rows, self.cols)), shape=(len(self.lower), self.size)
        ).tocsr()
        return LinearConstraint(matrix, self.lower, self.upper)


def _money_rows(model: _Model, problem: _Problem, include: frozenset[str]) -> None:
    """Envelope and women-and-girls floor, in cents divided by their common divisor."""
    unit = math.gcd(*problem.cents) or 1
    scaled = [amount // unit for amount in problem.cents]
    model.add(enumerate(scaled), -np.inf, problem.envelope // unit)
    if "women_girls_share" in include and problem.floor > 0:
        women_girls = [
            (i, amount) for i, amount in enumerate(scaled) if problem.candidates[i].women_and_girls
        ]
        model.add(women_girls, -(-problem.floor // unit), np.inf)


def _country_rows(model: _Model, problem: _Problem, include, countries) -> None:
    members = {c: [] for c in countries}
    for index, candidate in enumerate(problem.candidates):
        for country in candidate.countries:
            members[country].append(index)
    cap = problem.constraints.max_per_country
    if "max_per_country" in include and cap is not None:
        for indices in members.values():
            if len(indices) > cap:
                model.add(((i, 1) for i in indices), -np.inf, cap)
    if "min_countries" in include and (problem.constraints.min_countries or 0) > 0:
        n = len(problem.candidates)
        for k, country in enumerate(countries):
            model.add([(n + k, 1), *((i, -1) for i in members[country])], -np.inf, 0)
        model.add(
            ((n + k, 1) for k in range(len(countries))), problem.constraints.min_countries, np.inf
        )


def _objective(problem: _Problem, size: int) -> np.ndarray:
    n = len(problem.candidates)
    weight = n * (n + 1) // 2 + 1
    objective = np.zeros(size)
    for position, candidate in enumerate(problem.candidates):
        objective[position] = -(int(candidate.score * 100) * weight + (n - position))
    return objective


ALL_CONSTRAINTS = frozenset({"women_girls_share", "max_per_country", "min_countries"})


def _solve(problem: _Problem, time_limit_s: float, include=ALL_CONSTRAINTS):
    """(status, chosen indices in rank order or None)."""
    n = len(problem.candidates)
    countries = sorted({c for candidate in problem.candidates for c in candidate.countries})
    wants_countries = "min_countries" in include and (problem.constraints.min_countries or 0) > 0
    size = n + (len(countries) if wants_countries else 0)
    if size == 0:
        return OPTIMAL, []
    model = _Model(size)
    _money_rows(model, problem, include)
    _country_rows(model, problem, include, countries)
    upper = [1.0 if problem.fits(i) else 0.0 for i in range(n)] + [1.0] * (size - n)
    result = milp(
        _objective(problem, size),
        integrality=np.ones(size),
        bounds=Bounds(np.zeros(size), np.array(upper)),
        constraints=[model.constraint()],
        options={"time_limit": time_limit_s, "mip_rel_gap": 0.0},
    )
    if result.x is None:
        return {1: TIME_LIMIT, 2: INFEASIBLE}.get(result.status, SOLVER_ERROR), None
    chosen = [i for i in range(n) if result.x[i] > 0.5]
    return (OPTIMAL if result.status == 0 else TIME_LIMIT), chosen


def _percent(share: Decimal) -> str:
    return f"{(share * 100).normalize():f} %"


def _describe(problem: _Problem, name: str) -> str:
    constraints = problem.constraints
    if name == "women_girls_share":
        return (
            f"a women-and-girls floor of {format_usd(_usd(problem.floor))} "
            f"({_percent(constraints.min_women_girls_share)} of the envelope)"
        )
    if name == "min_countries":
        return f"at least {constraints.min_countries} distinct countries"
    return f"at most {constraints.max_per_country} projects per country"


def _obvious_infeasibility(problem: _Problem) -> tuple[str, str] | None:
    """Infeasibility that plain sums show, with the figures that prove it."""
    fitting = [i for i in range(len(problem.candidates)) if problem.fits(i)]
    available = sum(problem.cents[i] for i in fitting if problem.candidates[i].women_and_girls)
    if available < problem.floor:
        return "women_girls_share", (
            f"Women-and-girls projects that fit the envelope request "
            f"{format_usd(_usd(available))} in total, less than "
            f"{_describe(problem, 'women_girls_share')}."
        )
    wanted = problem.constraints.min_countries or 0
    covered = len({c for i in fitting for c in problem.candidates[i].countries})
    if covered < wanted:
        return "min_countries", (
            f"Applications that fit the envelope cover {covered} countries; "
            f"the call asks for {_describe(problem, 'min_countries')}."
        )
    return None


def _diagnose(problem: _Problem, time_limit_s: float) -> tuple[str, str]:
    """Name the smallest group of constraints that no portfolio can meet together."""
    lower_bounds = [
        name
        for name, active in (
            ("women_girls_share", problem.floor > 0),
            ("min_countries", (problem.constraints.min_countries or 0) > 0),
        )
        if active
    ]
    trials = [[name] for name in lower_bounds]
    if problem.constraints.max_per_country is not None:
        trials += [[name, "max_per_country"] for name in lower_bounds]
        lower_bounds.append("max_per_country")
    trials.append(lower_bounds)
    for names in trials:
        status, _ = _solve(problem, time_limit_s, frozenset(names))
        if status == INFEASIBLE:
            break
    return "+".join(names), (
        f"No portfolio within the envelope of {format_usd(problem.envelope_usd)} meets "
        + " together with ".join(_describe(problem, name) for name in names)
        + "."
    )


@dataclass(frozen=True)
class _Selection:
    problem: _Problem
    chosen: frozenset[int]
    cut: frozenset[int]
    status: str

    @cached_property
    def remaining(self) -> int:
        return self.problem.envelope - sum(self.problem.cents[i] for i in self.chosen)

    @cached_property
    def counts(self) -> Counter:
        return _country_counts(self.problem, self.chosen)


def _params(problem: _Problem, index: int) -> dict[str, str]:
    candidate = problem.candidates[index]
    return {
        "rank": str(candidate.rank),
        "score": str(candidate.score),
        "requested": format_usd(candidate.requested_usd),
        "envelope": format_usd(problem.envelope_usd),
    }


def _explain_included(selection: _Selection, index: int) -> Explanation:
    problem = selection.problem
    candidate, params = problem.candidates[index], _params(problem, index)
    text = (
        f"Included: rank {params['rank']}, score {params['score']}, requests {params['requested']}."
    )
    if index not in selection.cut:
        text += " It was below the plain rank-order funding line; the optimiser added it."
    if candidate.women_and_girls and problem.floor > 0:
        text += " It counts toward the women-and-girls share."
    return Explanation(
        candidate.application_id, candidate.rank, "included", text, ("included",), params
    )


def _exclusion_reasons(selection: _Selection, index: int, params: dict) -> list[tuple[str, str]]:
    """Every reason that applies: a request above the whole envelope first, then full
    countries (the call's policy), then the envelope left by the selection."""
    problem = selection.problem
    if not problem.fits(index):
        return [
            (
                "excluded_budget",
                f"Its request ({params['requested']}) is more than "
                f"the whole envelope ({params['envelope']}).",
            )
        ]
    reasons = _country_cap_reasons(selection, index, params)
    if problem.cents[index] > selection.remaining:
        params["remaining"] = format_usd(_usd(selection.remaining))
        reasons.append(
            (
                "excluded_budget",
                f"Its request ({params['requested']}) is more than "
                f"the {params['remaining']} left in the envelope by the best-scoring "
                "portfolio that meets the constraints.",
            )
        )
    return reasons


def _country_cap_reasons(selection: _Selection, index: int, params: dict) -> list:
    cap = selection.problem.constraints.max_per_country
    if cap is None:
        return []
    counts = selection.counts
    full = [c for c in selection.problem.candidates[index].countries if counts[c] >= cap]
    if full:
        params["cap"] = str(cap)
        params["countries"] = ", ".join(full)
    return [
        (
            f"excluded_country_cap:{country}",
            f"{country} already has the maximum of {cap} selected projects.",
        )
        for country in full
    ]


def _explain_excluded(selection: _Selection, index: int) -> Explanation:
    problem = selection.problem
    candidate, params = problem.candidates[index], _params(problem, index)
    reasons = _exclusion_reasons(selection, index, params)
    if not reasons:
        why = (
            "It would fit, but the solver reached its time limit before proving the best portfolio."
            if selection.status == TIME_LIMIT
            else "It would fit but adds no score."
        )
        reasons = [("excluded_not_needed", why)]
    text = "Excluded. " + " ".join(sentence for _, sentence in reasons)
    if index in selection.cut:
        text += " It was above the plain rank-order funding line."
    codes = tuple(code for code, _ in reasons)
    return Explanation(candidate.application_id, candidate.rank, codes[0], text, codes, params)


def _comparison(problem: _Problem, chosen: Sequence[int], cut: Sequence[int]):
    ids = problem.candidates
    in_cut, in_chosen = set(cut), set(chosen)
    cut_score = sum((ids[i].score for i in cut), ZERO)
    score = sum((ids[i].score for i in chosen), ZERO)
    violations = _violations(problem, cut)
    return RankCutComparison(
        ids=tuple(ids[i].application_id for i in cut),
        total_usd=_usd(sum(problem.cents[i] for i in cut)),
        total_score=cut_score,
        satisfies_constraints=not violations,
        violations=violations,
        added_ids=tuple(ids[i].application_id for i in chosen if i not in in_cut),
        removed_ids=tuple(ids[i].application_id for i in cut if i not in in_chosen),
        score_gained=score - cut_score,
    )


def _result(problem: _Problem, chosen: list[int], status: str, reason="", message=""):
    cut = _rank_cut(problem)
    selection = _Selection(problem, frozenset(chosen), frozenset(cut), status)
    candidates = problem.candidates
    if status in (INFEASIBLE, SOLVER_ERROR):
        explanations = tuple(
            Explanation(
                c.application_id,
                c.rank,
                "excluded_infeasible",
                "Excluded: no portfolio meets the call's constraints.",
                ("excluded_infeasible",),
                {"reason": reason},
            )
            for c in candidates
        )
    else:
        explanations = tuple(
            _explain_included(selection, i)
            if i in selection.chosen
            else _explain_excluded(selection, i)
            for i in range(len(candidates))
        )
    return PortfolioResult(
        status=status,
        selected_ids=tuple(candidates[i].application_id for i in chosen),
        total_usd=_usd(sum(problem.cents[i] for i in chosen)),
        total_score=sum((candidates[i].score for i in chosen), ZERO),
        reserve_ids=tuple(
            c.application_id for i, c in enumerate(candidates) if i not in selection.chosen
        ),
        explanations=explanations,
        rank_cut=_comparison(problem, chosen, cut),
        envelope_usd=problem.envelope_usd,
        women_and_girls_usd=_usd(
            sum(problem.cents[i] for i in chosen if candidates[i].women_and_girls)
        ),
        women_and_girls_floor_usd=_usd(problem.floor),
        countries_covered=len(selection.counts),
        reason=reason,
        message=message,
    )


def recommend_portfolio(
    candidates: Iterable[PortfolioCandidate],
    *,
    envelope_usd: Decimal,
    constraints: PortfolioConstraints | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> PortfolioResult:
    """The best-scoring set of candidates within the envelope (rules in the module
    docstring). Never raises on an impossible constraint set: the result's status is
    then `infeasible`, `reason` names the constraints in conflict and `message` says why.
    Raises ValueError only on malformed input (duplicate ids or ranks, negative envelope).
    """
    problem = _problem(candidates, envelope_usd, constraints or PortfolioConstraints())
    obvious = _obvious_infeasibility(problem)
    if obvious:
        return _result(problem, [], INFEASIBLE, *obvious)
    status, chosen = _solve(problem, time_limit_s)
    if status == INFEASIBLE:
        return _result(problem, [], INFEASIBLE, *_diagnose(problem, time_limit_s))
    if chosen is None:
        return _result(problem, [], INFEASIBLE, status, _no_solution_message(status, time_limit_s))
    broken = _violations(problem, chosen)
    if broken:
        return _result(
            problem,
            [],
            SOLVER_ERROR,
            SOLVER_ERROR,
            "The solver's portfolio breaks " + ", ".join(broken) + "; please report.",
        )
    return _result(problem, chosen, status)


def _no_solution_message(status: str, time_limit_s: float) -> str:
    if status == TIME_LIMIT:
        return f"The solver found no portfolio within its time limit of {time_limit_s:g} s."
    return "The solver failed without an answer; please report."
