"""Reads for ranking and the portfolio: a call's applications, reviews and priorities turned
into the pure engine's inputs (``grants.ranking``), and its results into plain data.

Everything is loaded with a fixed number of queries (``values_list``, no model instances
per row), so the cost does not grow in queries with the number of applications.

Which applications take part: those still in the selection, from eligible to not
recommended (``RANKABLE``). Applications the board has decided on (approved, declined),
withdrawn or ineligible ones are left out: once the board decides, the finalised
recommendation (``PortfolioRecommendation``) is the record. Only *submitted* reviews count;
an eligible application without one is listed after the ranked ones, without a rank.

Women and girls: an application counts toward the call's women-and-girls share when the
secretariat **confirmed** the call priority whose code contains ``women`` (e.g.
``women-girls``): that is the fund's verified judgement, not the applicant's claim. Only for
a call without such a priority does the applicant's own figure decide: at least 75 % of
the declared beneficiaries are women and girls.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries as country_names

from fundapp.accounts.models import User
from fundapp.core import formatting
from grants.models import (
    Application,
    ApplicationPriority,
    ApplicationStatus,
    Call,
    CallPriority,
    PortfolioRecommendation,
    Review,
    ReviewCriterion,
    ReviewScore,
    ReviewStatus,
)
from grants.ranking import (
    ApplicationInput,
    Criterion,
    PortfolioCandidate,
    PortfolioConstraints,
    PortfolioResult,
    PriorityInput,
    RankedApplication,
    ReviewInput,
    rank,
    recommend_portfolio,
)

RANKABLE = (ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW, ApplicationStatus.RANKED,
            ApplicationStatus.RECOMMENDED, ApplicationStatus.NOT_RECOMMENDED)
DECIDED = (ApplicationStatus.APPROVED, ApplicationStatus.DECLINED)
WOMEN_GIRLS_BENEFICIARY_SHARE = Decimal("0.75")
WOMEN_PRIORITY_MARK = "women"
# Used only when a call has no rubric yet (then it has no scores either).
FALLBACK_CRITERIA = ("relevance",)


@dataclass(frozen=True)
class AppInfo:
    """What the pages show of an application beside its score."""

    id: int
    reference: str
    title: str
    organisation: str
    countries: tuple[str, ...]
    requested_usd: Decimal
    status: str
    women_and_girls: bool


@dataclass(frozen=True)
class Label:
    code: str
    name: str
    weight: Decimal


@dataclass
class CallRanking:
    call: Call
    rows: list[RankedApplication]
    apps: dict[int, AppInfo]
    criteria: list[Label]
    priorities: list[Label]
    reviewers: dict[int, str]
    women_priority: str | None
    skipped_reviews: int = 0

    @property
    def ranked(self) -> list[RankedApplication]:
        return [row for row in self.rows if row.rank is not None]

    @property
    def funding_line_rank(self) -> int | None:
        """The rank of the last application above the funding line (None: none is)."""
        above = [row.rank for row in self.ranked if row.above_funding_line]
        return above[-1] if above else None

    @property
    def above_total_usd(self) -> Decimal:
        return sum((r.requested_usd for r in self.ranked if r.above_funding_line), Decimal(0))


@dataclass
class CallPortfolio:
    ranking: CallRanking
    result: PortfolioResult
    constraints: PortfolioConstraints
    cut_ids: frozenset = field(default_factory=frozenset)


# --- loading ---------------------------------------------------------------------------


def _codes(value) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        return tuple(c for c in value.split(",") if c)
    return tuple(getattr(c, "code", c) for c in value)


def _local(en: str, fr: str) -> str:
    lang = (translation.get_language() or "en")[:2]
    return (fr if lang == "fr" else "") or en


def _women_priority(priorities: list[Label]) -> str | None:
    return next((p.code for p in priorities if WOMEN_PRIORITY_MARK in p.code), None)


def _beneficiaries_mostly_women(women, girls, men, boys) -> bool:
    total = women + girls + men + boys
    return total > 0 and Decimal(women + girls) >= WOMEN_GIRLS_BENEFICIARY_SHARE * total


def _load_labels(call: Call) -> tuple[list[Label], dict[int, str], list[Label]]:
    criteria, criterion_codes = [], {}
    for pk, code, en, fr, weight in (ReviewCriterion.objects.filter(call=call)
                                     .order_by("position", "id")
                                     .values_list("pk", "code", "name_en", "name_fr", "weight")):
        criteria.append(Label(code, _local(en, fr), weight))
        criterion_codes[pk] = code
    priorities = [Label(code, _local(en, fr), weight) for code, en, fr, weight in
                  CallPriority.objects.filter(call=call).order_by("position", "id")
                  .values_list("code", "name_en", "name_fr", "weight")]
    return criteria, criterion_codes, priorities


def _load_claims(call: Call) -> dict[int, tuple[set, set]]:
    claims: dict[int, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for app_id, code, confirmed in (ApplicationPriority.objects
                                    .filter(application__call=call,
                                            application__status__in=RANKABLE)
                                    .values_list("application_id", "priority__code",
                                                 "confirmed")):
        claimed, confirmed_codes = claims[app_id]
        claimed.add(code)
        if confirmed:
            confirmed_codes.add(code)
    return claims


def _load_applications(call, claims, women_priority) -> tuple[list, dict[int, AppInfo]]:
    inputs, infos = [], {}
    rows = (Application.objects.filter(call=call, status__in=RANKABLE).order_by("pk")
            .values_list("pk", "reference", "title", "organisation__name", "countries",
                         "requested_usd", "submitted_at", "status", "beneficiaries_women",
                         "beneficiaries_girls", "beneficiaries_men", "beneficiaries_boys"))
    for (pk, reference, title, org, codes, requested, submitted_at, status,
         *beneficiaries) in rows:
        claimed, confirmed = claims.get(pk, (set(), set()))
        if women_priority:
            women = women_priority in confirmed
        else:
            women = _beneficiaries_mostly_women(*beneficiaries)
        countries = _codes(codes)
        requested = requested or Decimal(0)
        inputs.append(ApplicationInput(
            id=pk, requested_usd=requested, countries=countries, women_and_girls=women,
            claimed_priorities=frozenset(claimed), confirmed_priorities=frozenset(confirmed),
            submitted_at=submitted_at))
        infos[pk] = AppInfo(pk, reference or "", title, org, countries, requested, status, women)
    return inputs, infos


def _submitted_reviews(call: Call):
    return Review.objects.filter(status=ReviewStatus.SUBMITTED, application__call=call,
                                 application__status__in=RANKABLE).order_by("pk")


def _review_rows(call: Call, criterion_codes: dict[int, str]):
    """``(review, application, reviewer, {criterion code: score})`` of each submitted
    review. On PostgreSQL one query gives each review's scores as two arrays (15,000 rows
    for 15,000 reviews, not 90,000 score rows to decode); elsewhere two queries."""
    if connection.vendor == "postgresql":
        scored = Q(scores__score__isnull=False)
        rows = (_submitted_reviews(call)
                .annotate(criteria=ArrayAgg("scores__criterion_id", filter=scored, default=[]),
                          marks=ArrayAgg("scores__score", filter=scored, default=[]))
                .values_list("pk", "application_id", "reviewer_id", "criteria", "marks"))
        for pk, app_id, reviewer_id, criteria, marks in rows:
            yield pk, app_id, reviewer_id, {
                criterion_codes[c]: m for c, m in zip(criteria, marks, strict=True)
                if c in criterion_codes}
        return
    submitted = Q(review__status=ReviewStatus.SUBMITTED,
                  review__application__call=call, review__application__status__in=RANKABLE)
    scores: dict[int, dict[str, int]] = defaultdict(dict)
    for review_id, criterion_id, score in (ReviewScore.objects.filter(submitted)
                                           .exclude(score__isnull=True)
                                           .values_list("review_id", "criterion_id", "score")):
        code = criterion_codes.get(criterion_id)
        if code is not None:
            scores[review_id][code] = score
    for pk, app_id, reviewer_id in _submitted_reviews(call).values_list(
            "pk", "application_id", "reviewer_id"):
        yield pk, app_id, reviewer_id, scores.get(pk, {})


def _load_reviews(call: Call, criterion_codes: dict[int, str]) -> tuple[list, dict, int]:
    reviews, reviewer_ids, skipped = [], set(), 0
    if not criterion_codes:
        return reviews, reviewer_ids, skipped  # no rubric yet, so no scores either
    every = set(criterion_codes.values())
    for _pk, app_id, reviewer_id, scores in _review_rows(call, criterion_codes):
        if scores.keys() != every:
            skipped += 1  # an incomplete review cannot be scored; never expected
            continue
        reviews.append(ReviewInput(app_id, reviewer_id, scores))
        reviewer_ids.add(reviewer_id)
    return reviews, reviewer_ids, skipped


def _reviewer_names(ids) -> dict[int, str]:
    if not ids:
        return {}
    return {pk: (f"{first} {last}".strip() or username) for pk, first, last, username in
            User.objects.filter(pk__in=ids).values_list("pk", "first_name", "last_name",
                                                        "username")}


def call_ranking(call: Call) -> CallRanking:
    """The call's ranking with its full breakdown (rules in ``grants.ranking.scoring``)."""
    criteria, criterion_codes, priorities = _load_labels(call)
    women_priority = _women_priority(priorities)
    claims = _load_claims(call)
    inputs, infos = _load_applications(call, claims, women_priority)
    reviews, reviewer_ids, skipped = _load_reviews(call, criterion_codes)
    engine_criteria = [Criterion(c.code, c.weight) for c in criteria] or [
        Criterion(code) for code in FALLBACK_CRITERIA]
    rows = rank(inputs, reviews, engine_criteria,
                [PriorityInput(p.code, p.weight) for p in priorities],
                envelope_usd=call.envelope_usd, review_weight=call.review_weight,
                normalise=call.normalise_reviews)
    return CallRanking(call, rows, infos, criteria, priorities, _reviewer_names(reviewer_ids),
                       women_priority, skipped)


def constraints_of(call: Call) -> PortfolioConstraints:
    share = call.min_women_girls_share
    return PortfolioConstraints(
        max_per_country=call.max_projects_per_country or None,
        min_women_girls_share=(share / 100) if share else None,
        min_countries=call.min_countries or None,
    )


def call_portfolio(call: Call, ranking: CallRanking | None = None) -> CallPortfolio:
    """The recommended portfolio (``grants.ranking.portfolio``) over the ranked rows."""
    ranking = ranking or call_ranking(call)
    constraints = constraints_of(call)
    result = recommend_portfolio([PortfolioCandidate.from_ranked(r) for r in ranking.ranked],
                                 envelope_usd=call.envelope_usd, constraints=constraints)
    return CallPortfolio(ranking, result, constraints, frozenset(result.rank_cut.ids))


# --- recommendations (the frozen snapshots) ---------------------------------------------


def current_recommendation(call: Call) -> PortfolioRecommendation | None:
    return (PortfolioRecommendation.objects.filter(call=call, is_current=True)
            .select_related("finalised_by").first())


def recommendation_versions(call: Call) -> list[PortfolioRecommendation]:
    return list(PortfolioRecommendation.objects.filter(call=call).select_related("finalised_by")
                .order_by("-version"))


def get_recommendation(call: Call, version) -> PortfolioRecommendation | None:
    """A finalised version with its items; None when the call has no such version."""
    return (PortfolioRecommendation.objects.filter(call=call, version=version)
            .select_related("finalised_by").prefetch_related("items").first())


# --- plain data: one shape for the API, the pages, the exports and the snapshots -------


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _review_data(review, names: dict[int, str], criteria: list[Label]) -> dict:
    return {
        "reviewer": review.reviewer_id,
        "reviewer_name": names.get(review.reviewer_id, str(review.reviewer_id)),
        "scores": {c.code: review.scores.get(c.code) for c in criteria},
        "raw_score": money(review.raw_score),
        "normalised_score": money(review.normalised_score),
        "z": f"{review.z:.3f}",
        "reviewer_mean": money(review.reviewer.mean),
        "reviewer_std": money(review.reviewer.std),
        "reviewer_reviews": review.reviewer.review_count,
    }


def _criterion_data(label: Label, reviews) -> dict:
    values = [r.scores[label.code] for r in reviews if label.code in r.scores]
    mean = (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01")) if values else None
    return {"code": label.code, "name": label.name, "weight": money(label.weight),
            "scores": values, "mean": money(mean)}


def breakdown_data(row: RankedApplication, ranking: CallRanking) -> dict:
    b = row.breakdown
    names = {p.code: p.name for p in ranking.priorities}
    return {
        "raw_review_score": money(b.raw_review_score),
        "normalised_review_score": money(b.normalised_review_score),
        "normalised": b.normalised,
        "review_component": money(b.review_component),
        "priority_score": money(b.priority_score),
        "review_weight": money(b.review_weight),
        "priority_weight": money(Decimal(1) - b.review_weight),
        "pooled_mean": money(b.pooled_mean),
        "pooled_std": money(b.pooled_std),
        "criteria": [_criterion_data(c, b.reviews) for c in ranking.criteria],
        "reviews": [_review_data(r, ranking.reviewers, ranking.criteria) for r in b.reviews],
        "priorities": [{"code": p.code, "name": names.get(p.code, p.code),
                        "weight": money(p.weight), "claimed": p.claimed,
                        "confirmed": p.confirmed} for p in b.priorities],
    }


def row_data(row: RankedApplication, ranking: CallRanking) -> dict:
    """One ranking row as plain data (money and scores as strings with two places)."""
    info = ranking.apps[row.application_id]
    return {
        "rank": row.rank,
        "application": info.id,
        "reference": info.reference,
        "title": info.title,
        "organisation": info.organisation,
        "countries": list(info.countries),
        "status": info.status,
        "women_and_girls": info.women_and_girls,
        "total_score": money(row.total_score),
        "requested_usd": money(row.requested_usd),
        "cumulative_usd": money(row.cumulative_usd),
        "above_funding_line": row.above_funding_line,
        "breakdown": breakdown_data(row, ranking),
    }


def ranking_data(ranking: CallRanking, rows=None) -> dict:
    """The ranking's figures and (all or the given) rows."""
    call = ranking.call
    return {
        "call": call.pk,
        "call_number": call.number,
        "envelope_usd": money(call.envelope_usd),
        "review_weight": money(call.review_weight),
        "normalise_reviews": call.normalise_reviews,
        "funding_line_rank": ranking.funding_line_rank,
        "above_funding_line_usd": money(ranking.above_total_usd),
        "ranked_count": len(ranking.ranked),
        "unranked_count": len(ranking.rows) - len(ranking.ranked),
        "criteria": [{"code": c.code, "name": c.name, "weight": money(c.weight)}
                     for c in ranking.criteria],
        "priorities": [{"code": p.code, "name": p.name, "weight": money(p.weight)}
                       for p in ranking.priorities],
        "results": [row_data(r, ranking) for r in (ranking.rows if rows is None else rows)],
    }


# --- reasons, in the reader's language --------------------------------------------------


def _country(code: str) -> str:
    return str(country_names.name(code)) or code


def _exclusion_sentences(codes, params: dict, status: str) -> list[str]:
    sentences = []
    for code in codes:
        if code.startswith("excluded_country_cap:"):
            sentences.append(_("%(country)s already has the maximum of %(cap)s selected "
                               "projects.") % {"country": _country(code.split(":", 1)[1]),
                                               "cap": params.get("cap", "")})
        elif code == "excluded_budget" and "remaining" in params:
            sentences.append(_("Its request (%(requested)s) is more than the %(remaining)s left "
                               "in the envelope by the best-scoring portfolio that meets the "
                               "constraints.") % params)
        elif code == "excluded_budget":
            sentences.append(_("Its request (%(requested)s) is more than the whole envelope "
                               "(%(envelope)s).") % params)
        elif code == "excluded_not_needed" and status == "time_limit":
            sentences.append(_("It would fit, but the solver reached its time limit before "
                               "proving the best portfolio."))
        elif code == "excluded_not_needed":
            sentences.append(_("It would fit but adds no score."))
    return sentences


_MONEY_PARAMS = ("requested", "envelope", "remaining")


def _reader_params(params: dict) -> dict:
    """The engine's parameters worded for the reader: its amounts are stored as
    ``USD 1,234.50`` (``fundapp.core.money.format_usd``, one form in every language) and its
    score as a plain decimal; the page shows them as every other figure (``1 234,50 USD``)."""
    worded = dict(params)
    for key in _MONEY_PARAMS:
        text = str(worded.get(key) or "")
        amount = formatting.to_decimal(text.removeprefix("USD").strip()) if text else None
        if amount is not None:
            worded[key] = formatting.money(amount)
    if formatting.to_decimal(worded.get("score")) is not None:
        worded["score"] = formatting.number(worded["score"])
    return worded


def reason_text(code: str, codes, params: dict, *, status: str = "optimal",
                in_rank_cut: bool = False, counts_for_women: bool = False) -> str:
    """The engine's explanation rebuilt from its code and parameters, translated."""
    params = _reader_params(params)
    if code == "not_reviewed":
        return _("Not ranked: no submitted review yet.")
    if code == "excluded_infeasible":
        return _("Excluded: no portfolio meets the call's constraints.")
    if code == "included":
        text = _("Included: rank %(rank)s, score %(score)s, requests %(requested)s.") % params
        if not in_rank_cut:
            text += " " + _("It was below the plain rank-order funding line; the optimiser "
                            "added it.")
        if counts_for_women:
            text += " " + _("It counts toward the women-and-girls share.")
        return text
    text = " ".join([_("Excluded."), *_exclusion_sentences(codes or (code,), params, status)])
    if in_rank_cut:
        text += " " + _("It was above the plain rank-order funding line.")
    return text


def _constraint_text(name: str, call: Call, floor_usd: Decimal) -> str:
    if name == "women_girls_share":
        return _("a women-and-girls floor of %(floor)s (%(share)s %% of the envelope)") % {
            "floor": formatting.money(floor_usd), "share": f"{call.min_women_girls_share:g}"}
    if name == "min_countries":
        return _("at least %(n)s distinct countries") % {"n": call.min_countries}
    return _("at most %(n)s projects per country") % {"n": call.max_projects_per_country}


def violation_text(code: str, call: Call) -> str:
    """A rank-cut violation code (``envelope``, ``women_girls_share``, ``country_cap:NG``,
    ``min_countries``) in words."""
    if code.startswith("country_cap:"):
        return _("more than %(n)s projects in %(country)s") % {
            "n": call.max_projects_per_country, "country": _country(code.split(":", 1)[1])}
    if code == "women_girls_share":
        return _("less than %(share)s %% of the envelope for women and girls") % {
            "share": f"{call.min_women_girls_share or 0:g}"}
    if code == "min_countries":
        return _("fewer than %(n)s countries") % {"n": call.min_countries}
    return _("over the envelope")


def infeasible_message(call: Call, status: str, reason: str, floor_usd: Decimal) -> str:
    """Why no portfolio could be recommended, in the reader's language ('' when one was)."""
    if status in ("optimal", "time_limit"):
        return ""
    if status == "solver_error" or reason in ("", "solver_error"):
        return _("The solver failed without an answer; please report.")
    if reason == "time_limit":
        return _("The solver found no portfolio within its time limit.")
    parts = [_constraint_text(name, call, floor_usd) for name in reason.split("+")]
    return _("No portfolio within the envelope of %(envelope)s meets %(constraints)s.") % {
        "envelope": formatting.money(call.envelope_usd),
        "constraints": _(" together with ").join(parts)}


# --- the portfolio as plain data --------------------------------------------------------


def _item(row_payload: dict, code: str, codes, params: dict, **flags) -> dict:
    status = flags.pop("status", "optimal")
    return row_payload | {
        "reason_code": code,
        "reason_codes": list(codes),
        "reason_params": dict(params),
        "in_rank_cut": flags.get("in_rank_cut", False),
        "counts_for_women": flags.get("counts_for_women", False),
        "reason": reason_text(code, codes, params, status=status, **flags),
    }


def _portfolio_items(portfolio: CallPortfolio) -> list[dict]:
    """Every application of the ranking with its part in the portfolio and its reason."""
    ranking, result = portfolio.ranking, portfolio.result
    floor = result.women_and_girls_floor_usd > 0
    explanations = {e.application_id: e for e in result.explanations}
    selected = set(result.selected_ids)
    reserve = {pk: i for i, pk in enumerate(result.reserve_ids, start=1)}
    items = []
    for row in ranking.rows:
        payload = row_data(row, ranking)
        explanation = explanations.get(row.application_id)
        if explanation is None:
            item = _item(payload, "not_reviewed", ("not_reviewed",), {})
        else:
            item = _item(payload, explanation.code, explanation.codes, explanation.params,
                         status=result.status, in_rank_cut=row.application_id in portfolio.cut_ids,
                         counts_for_women=floor and row.women_and_girls)
        item["included"] = row.application_id in selected
        item["reserve_position"] = reserve.get(row.application_id)
        items.append(item)
    return items


def _rank_cut_data(result: PortfolioResult) -> dict:
    cut = result.rank_cut
    return {
        "applications": list(cut.ids),
        "total_usd": money(cut.total_usd),
        "total_score": money(cut.total_score),
        "satisfies_constraints": cut.satisfies_constraints,
        "violations": list(cut.violations),
        "added": list(cut.added_ids),
        "removed": list(cut.removed_ids),
        "score_gained": money(cut.score_gained),
    }


def constraints_data(call: Call) -> dict:
    return {
        "max_projects_per_country": call.max_projects_per_country,
        "min_women_girls_share": money(call.min_women_girls_share),
        "min_countries": call.min_countries,
    }


def parameters_data(call: Call, women_priority: str | None) -> dict:
    return {
        "review_weight": money(call.review_weight),
        "normalise_reviews": call.normalise_reviews,
        "envelope_usd": money(call.envelope_usd),
        "women_and_girls_rule": (f"confirmed priority {women_priority}" if women_priority
                                 else "beneficiaries at least 75 % women and girls"),
        **constraints_data(call),
    }


def portfolio_data(portfolio: CallPortfolio) -> dict:
    """The live recommendation: selected set, totals, reserve in order, a reason for each."""
    call, result = portfolio.ranking.call, portfolio.result
    items = _portfolio_items(portfolio)
    return _assemble(call, items, {
        "source": "live",
        "version": None,
        "status": result.status,
        "feasible": result.feasible,
        "message": infeasible_message(call, result.status, result.reason,
                                      result.women_and_girls_floor_usd),
        "envelope_usd": money(result.envelope_usd),
        "total_usd": money(result.total_usd),
        "total_score": money(result.total_score),
        "women_and_girls_usd": money(result.women_and_girls_usd),
        "women_and_girls_floor_usd": money(result.women_and_girls_floor_usd),
        "countries_covered": result.countries_covered,
        "constraints": constraints_data(call),
        "parameters": parameters_data(call, portfolio.ranking.women_priority),
        "rank_cut": _rank_cut_data(result),
    })


def _assemble(call: Call, items: list[dict], head: dict) -> dict:
    by_id = {item["application"]: item for item in items}
    selected = sorted((i for i in items if i["included"]), key=lambda i: i["rank"])
    reserve = sorted((i for i in items if i["reserve_position"]),
                     key=lambda i: i["reserve_position"])
    envelope = Decimal(head["envelope_usd"])
    head["remaining_usd"] = money(envelope - Decimal(head["total_usd"]))
    cut = head["rank_cut"]
    cut["added_references"] = [by_id[pk]["reference"] for pk in cut["added"] if pk in by_id]
    cut["removed_references"] = [by_id[pk]["reference"] for pk in cut["removed"] if pk in by_id]
    return {"call": call.pk, "call_number": call.number, **head, "selected": selected,
            "reserve": reserve, "applications": items}


def recommendation_data(recommendation: PortfolioRecommendation) -> dict:
    """A finalised version in the same shape as ``portfolio_data``; reasons re-translated."""
    call = recommendation.call
    items = []
    for stored in sorted(recommendation.items.all(),
                         key=lambda i: (i.rank is None, i.rank or 0, i.application_id)):
        payload = dict(stored.breakdown.get("row", {}))
        reason = stored.breakdown.get("reason", {})
        item = _item(payload, stored.reason_code, reason.get("codes", [stored.reason_code]),
                     reason.get("params", {}), status=recommendation.solver_status,
                     in_rank_cut=reason.get("in_rank_cut", False),
                     counts_for_women=reason.get("counts_for_women", False))
        item["included"], item["reserve_position"] = stored.included, stored.reserve_position
        items.append(item)
    parameters = recommendation.parameters or {}
    return _assemble(call, items, {
        "source": "finalised",
        "version": recommendation.version,
        "status": recommendation.solver_status,
        "feasible": True,
        "message": "",
        "envelope_usd": money(recommendation.envelope_usd),
        "total_usd": money(recommendation.total_usd),
        "total_score": money(recommendation.total_score),
        "women_and_girls_usd": parameters.get("women_and_girls_usd"),
        "women_and_girls_floor_usd": parameters.get("women_and_girls_floor_usd"),
        "countries_covered": parameters.get("countries_covered"),
        "constraints": {k: parameters.get(k) for k in
                        ("max_projects_per_country", "min_women_girls_share", "min_countries")},
        "parameters": parameters,
        "rank_cut": dict(recommendation.rank_cut or {}),
    })


def finalised_data(recommendation: PortfolioRecommendation | None,
                   live: dict | None) -> dict | None:
    """The current finalised version's summary, and whether the live result still matches
    (None when ``live`` is not given)."""
    if recommendation is None:
        return None
    selected = sorted(recommendation.parameters.get("selected", []))
    matches = None if live is None else (
        live["total_score"] == money(recommendation.total_score)
        and selected == sorted(i["application"] for i in live["selected"]))
    by = recommendation.finalised_by
    return {
        "version": recommendation.version,
        "finalised_at": recommendation.finalised_at,
        "finalised_by": by.display_name if by else None,
        "note": recommendation.note,
        "total_usd": money(recommendation.total_usd),
        "total_score": money(recommendation.total_score),
        "matches_live": matches,
    }


def portfolio_view_data(call: Call, version: int | None = None) -> dict:
    """The live portfolio, or a finalised version (404 when there is no such version), with
    the current final version's summary and the list of versions."""
    if version is not None:
        recommendation = get_recommendation(call, version)
        if recommendation is None:
            raise Http404
        data = recommendation_data(recommendation)
    else:
        data = portfolio_data(call_portfolio(call))
    data["finalised"] = finalised_data(current_recommendation(call),
                                       data if version is None else None)
    data["versions"] = [r.version for r in recommendation_versions(call)]
    return data
