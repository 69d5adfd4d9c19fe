"""Writes for ranking: the per-call ranking settings, and finalising the portfolio
recommendation for the Board of Trustees.

Finalising freezes the live recommendation (``grants.selectors.ranking.call_portfolio``) as
a ``PortfolioRecommendation`` with one ``PortfolioItem`` per application, moves each ranked
application to recommended or not recommended, writes the audit rows and tells the board.
Finalising again makes version N+1 (the previous one stays, no longer current) and needs a
note saying why; it is refused once the board has decided on an application of the
current version.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from fundapp.accounts.models import User
from fundapp.accounts.roles import Role, user_can
from fundapp.accounts.selectors import users_with_role
from fundapp.core.audit import audit_record
from fundapp.core.errors import Errors, NotAllowed, StateConflict, ValidationFailed
from fundapp.core.locks import lock
from fundapp.notifications.services import notify
from grants.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    PortfolioItem,
    PortfolioRecommendation,
)
from grants.selectors.ranking import (
    DECIDED,
    call_portfolio,
    constraints_of,
    current_recommendation,
    parameters_data,
    portfolio_data,
)

NOTE_MAX = 4000
SETTINGS_FIELDS = ("review_weight", "normalise_reviews", "max_projects_per_country",
                   "min_women_girls_share", "min_countries")
RECOMMENDABLE = (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.RANKED,
                 ApplicationStatus.RECOMMENDED, ApplicationStatus.NOT_RECOMMENDED)


def _require(actor, capability: str) -> None:
    if not user_can(actor, capability):
        raise NotAllowed()


# --- settings --------------------------------------------------------------------------


def _decimal(value, field: str, errors: Errors) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        errors.add(field, _("Enter a number."))
        return None
    return number


def _whole(value, field: str, errors: Errors, minimum: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        errors.add(field, _("Enter a whole number of at least %(min)s, or leave it empty.")
                   % {"min": minimum})
        return None
    return value


def _clean_settings(values: dict) -> dict:
    unknown = sorted(set(values) - set(SETTINGS_FIELDS))
    errors = Errors()
    if unknown:
        errors.add("detail", _("Unknown settings: %(names)s.") % {"names": ", ".join(unknown)})
    clean = {}
    if "review_weight" in values:
        weight = _decimal(values["review_weight"], "review_weight", errors)
        if weight is None or not Decimal(0) <= weight <= Decimal(1) or weight != round(weight, 2):
            errors.add("review_weight",
                       _("The weight of the review score is a share between 0 and 1 with at "
                         "most two decimals (0.70 means 70 % reviews, 30 % priorities)."))
        clean["review_weight"] = weight
    if "normalise_reviews" in values:
        if not isinstance(values["normalise_reviews"], bool):
            errors.add("normalise_reviews", _("Enter true or false."))
        clean["normalise_reviews"] = values["normalise_reviews"]
    if "min_women_girls_share" in values:
        share = _decimal(values["min_women_girls_share"], "min_women_girls_share", errors)
        if share is not None and (not 0 <= share <= 100 or share != round(share, 2)):
            errors.add("min_women_girls_share",
                       _("A percentage of the envelope between 0 and 100, or empty for none."))
        clean["min_women_girls_share"] = share or None
    for field, minimum in (("max_projects_per_country", 1), ("min_countries", 0)):
        if field in values:
            clean[field] = _whole(values[field], field, errors, minimum) or None
    errors.raise_if_any()
    return clean


def _settings_of(call: Call) -> dict:
    return {name: getattr(call, name) for name in SETTINGS_FIELDS}


@transaction.atomic
def ranking_settings_update(*, actor, call: Call, values: dict) -> Call:
    """Change the call's weighting, normalisation and portfolio constraints (secretariat).

    ``min_women_girls_share`` is a percentage of the envelope; empty values switch a
    constraint off. Only the keys given change.
    """
    _require(actor, "ranking.manage")
    clean = _clean_settings(values)
    call = lock(Call, call.pk)
    before = _settings_of(call)
    for name, value in clean.items():
        setattr(call, name, value)
    constraints_of(call)  # the engine's own checks, should the rules above ever drift
    call.save(update_fields=list(clean) or None)
    audit_record(actor=actor, verb="ranking.settings", target=call, before=before,
                 after=_settings_of(call))
    return call


# --- finalising --------------------------------------------------------------------------


def _check_finalisable(call: Call, previous: PortfolioRecommendation | None, note: str) -> None:
    if call.status == CallStatus.DRAFT or call.effective_status == CallStatus.PUBLISHED:
        raise StateConflict(_("The call is still open: the recommendation is finalised after "
                              "it closes."))
    if previous is not None and not note:
        raise ValidationFailed.on(
            "note", _("Say why the recommendation changes: version %(n)s is already final.")
            % {"n": previous.version})
    if len(note) > NOTE_MAX:
        raise ValidationFailed.on("note", _("At most 4,000 characters."))
    if previous is not None and Application.objects.filter(
            pk__in=previous.items.values("application_id"), status__in=DECIDED).exists():
        raise StateConflict(_("The board has already decided on applications of the current "
                              "recommendation: it can no longer change."))


def _items(recommendation: PortfolioRecommendation, data: dict) -> list[PortfolioItem]:
    items = []
    for item in data["applications"]:
        row = {k: v for k, v in item.items()
               if k not in ("reason", "reason_code", "reason_codes", "reason_params",
                            "in_rank_cut", "counts_for_women", "included",
                            "reserve_position")}
        reason = {"codes": item["reason_codes"], "params": item["reason_params"],
                  "in_rank_cut": item["in_rank_cut"],
                  "counts_for_women": item["counts_for_women"]}
        items.append(PortfolioItem(
            recommendation=recommendation, application_id=item["application"],
            rank=item["rank"], total_score=item["total_score"],
            requested_usd=item["requested_usd"], included=item["included"],
            reserve_position=item["reserve_position"], reason_code=item["reason_code"][:64],
            reason_text=item["reason"], breakdown={"row": row, "reason": reason}))
    return items


def _snapshot(*, actor, call: Call, data: dict, note: str,
              previous: PortfolioRecommendation | None) -> PortfolioRecommendation:
    if previous is not None:
        PortfolioRecommendation.objects.filter(pk=previous.pk).update(is_current=False)
    parameters = data["parameters"] | {
        "women_and_girls_usd": data["women_and_girls_usd"],
        "women_and_girls_floor_usd": data["women_and_girls_floor_usd"],
        "countries_covered": data["countries_covered"],
        "selected": [i["application"] for i in data["selected"]],
        "reserve": [i["application"] for i in data["reserve"]],
    }
    recommendation = PortfolioRecommendation.objects.create(
        call=call, version=(previous.version + 1) if previous else 1, is_current=True,
        envelope_usd=Decimal(data["envelope_usd"]), total_usd=Decimal(data["total_usd"]),
        total_score=Decimal(data["total_score"]), solver_status=data["status"],
        parameters=parameters, rank_cut=data["rank_cut"], note=note, finalised_by=actor)
    PortfolioItem.objects.bulk_create(_items(recommendation, data))
    return recommendation


def _move(actor, app: Application, recommended: bool) -> None:
    before = app.status
    if app.status == ApplicationStatus.UNDER_REVIEW:
        app.mark_ranked()
    if recommended:
        app.recommend()
    else:
        app.not_recommend()
    if app.status != before:
        app.save()
        audit_record(actor=actor, verb="application.recommend" if recommended
                     else "application.not_recommend", target=app,
                     before={"status": before}, after={"status": app.status})


def _apply_statuses(actor, data: dict) -> None:
    ranked = {i["application"]: i["included"] for i in data["applications"] if i["rank"]}
    for app in Application.objects.filter(pk__in=ranked, status__in=RECOMMENDABLE).order_by("pk"):
        _move(actor, app, ranked[app.pk])


def _notify_board(call: Call, recommendation: PortfolioRecommendation, data: dict) -> None:
    notify(recipients=users_with_role(Role.BOARD), kind="portfolio_finalised",
           target=recommendation,
           data={"call_number": call.number, "version": recommendation.version,
                 "selected": len(data["selected"]), "reserve": len(data["reserve"]),
                 "total_usd": str(recommendation.total_usd),
                 "envelope_usd": str(recommendation.envelope_usd),
                 "note": recommendation.note,
                 "url": f"/ranking/calls/{call.pk}/portfolio/?version={recommendation.version}"},
           dedupe_key=f"portfolio_finalised:{recommendation.pk}")


@transaction.atomic
def portfolio_finalise(*, actor: User, call: Call, note: str = "") -> PortfolioRecommendation:
    """Freeze the call's recommendation for the board (rules in the module docstring)."""
    _require(actor, "portfolio.finalise")
    call = lock(Call, call.pk)
    note = (note or "").strip()
    previous = current_recommendation(call)
    _check_finalisable(call, previous, note)
    portfolio = call_portfolio(call)
    if not portfolio.ranking.ranked:
        raise StateConflict(_("No application of this call is ranked yet: it needs at least "
                              "one submitted review."))
    data = portfolio_data(portfolio)
    if not data["feasible"]:
        raise StateConflict(_("No portfolio can be recommended: %(why)s Change the constraints "
                              "first.") % {"why": data["message"]})
    recommendation = _snapshot(actor=actor, call=call, data=data, note=note, previous=previous)
    _apply_statuses(actor, data)
    audit_record(
        actor=actor, verb="portfolio.finalise", target=call,
        before={"version": previous.version, "total_usd": previous.total_usd,
                "selected": previous.parameters.get("selected", [])} if previous else {},
        after={"version": recommendation.version, "total_usd": recommendation.total_usd,
               "total_score": recommendation.total_score,
               "selected": [i["application"] for i in data["selected"]],
               "references": [i["reference"] for i in data["selected"]],
               "parameters": parameters_data(call, portfolio.ranking.women_priority)},
        note=note)
    _notify_board(call, recommendation, data)
    return recommendation
