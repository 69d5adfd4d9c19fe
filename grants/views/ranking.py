"""Ranking pages: the calls to rank, a call's ranking with its funding line, the portfolio
recommendation with its settings and the finalise form, and the files (secretariat and
board read; the secretariat changes settings and finalises)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from fundapp.accounts.roles import user_can
from fundapp.core import charts
from fundapp.core.decorators import capability_required
from fundapp.core.errors import FundError
from fundapp.core.exports import export_response, requested_format
from fundapp.core.forms import apply_errors, form_submit
from fundapp.core.listing import Filter, Sort, listing
from grants.confirmations import confirm
from grants.exports import (
    briefing_pack_file,
    call_progress_columns,
    portfolio_file,
    ranking_file,
)
from grants.forms.ranking import FinaliseForm, RankingSettingsForm
from grants.selectors.calls import get_call_for
from grants.selectors.ranking import (
    call_ranking,
    portfolio_view_data,
    ranking_data,
    recommendation_versions,
    violation_text,
)
from grants.selectors.work.secretariat import (
    finalised_without_session,
    ranking_call_list,
    ready_to_finalise,
)
from grants.services.ranking import portfolio_finalise, ranking_settings_update


RANKING_PAGE_SIZE = 100
RANKING_FORMATS = ("csv", "xlsx")
PORTFOLIO_FORMATS = ("csv", "xlsx", "pdf")


def _settings_initial(call) -> dict:
    return {name: getattr(call, name) for name in RankingSettingsForm.base_fields}


# ---------------------------------------------------------------- the calls


RANKING_CALL_FILTERS = [
    Filter("ready", gettext_lazy("Ranking"),
           choices=[("1", gettext_lazy("Ready to finalise"))],
           apply=lambda qs, value: ready_to_finalise(qs)),
    Filter("board", gettext_lazy("Board"),
           choices=[("none", gettext_lazy("Final, no Board session yet"))],
           apply=lambda qs, value: finalised_without_session(qs)),
]
RANKING_CALL_SORTS = [
    Sort("number", gettext_lazy("Newest number first"), "-number"),
    Sort("closes", gettext_lazy("Deadline, oldest first"), "closes_at"),
]


@capability_required("ranking.view")
def ranking_calls(request):
    """Calls with applications to rank (or a final version); the work queue links to
    ``?ready=1`` (ready to finalise) and ``?board=none`` (final, awaiting a Board session)."""
    found = listing(request, ranking_call_list(request.user), filters=RANKING_CALL_FILTERS,
                    sorts=RANKING_CALL_SORTS)
    if requested_format(request):
        return export_response(request, found.queryset, call_progress_columns([
            ("n_rankable", pgettext_lazy("count of applications", "Ranked")),
            ("n_recommended", pgettext_lazy("count of applications", "Recommended")),
            ("n_versions", gettext_lazy("Final versions"))]), "ranking-calls")
    return render(request, "grants/ranking/calls.html", {"page": found.page, "listing": found})


# ---------------------------------------------------------------- the ranking


@capability_required("ranking.view")
def ranking_view(request, pk: int):
    call = get_call_for(request.user, pk)
    ranking = call_ranking(call)
    page = Paginator(ranking.rows, RANKING_PAGE_SIZE).get_page(request.GET.get("page"))
    data = ranking_data(ranking, list(page))
    return render(request, "grants/ranking/ranking.html", {
        "call": call, "data": data, "page": page, "tab": "ranking",
        "line_on_top": data["funding_line_rank"] is None and data["ranked_count"] > 0
        and page.number == 1,
        "skipped_reviews": ranking.skipped_reviews,
        "chart_countries": charts.countries_chart(
            [app.countries for app in ranking.apps.values()],
            title=_("Applications in this ranking by country"), uid="ranking-countries"),
    })


@capability_required("ranking.view")
def ranking_export(request, pk: int, fmt: str):
    if fmt not in RANKING_FORMATS:
        raise Http404
    call = get_call_for(request.user, pk)
    return ranking_file(call, ranking_data(call_ranking(call)), fmt)


# ---------------------------------------------------------------- the portfolio


def _version(request) -> int | None:
    raw = request.GET.get("version", "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise Http404
    return int(raw)


def _render_portfolio(request, call, *, settings_form=None, finalise_form=None, status=200):
    version = _version(request)
    data = portfolio_view_data(call, version)
    manage = user_can(request.user, "ranking.manage")
    return render(request, "grants/ranking/portfolio.html", {
        "call": call, "data": data, "tab": "portfolio", "viewing_version": version,
        "versions": recommendation_versions(call),
        "violations": [violation_text(code, call) for code in
                       data["rank_cut"].get("violations", [])],
        "unreviewed": [i for i in data["applications"] if i["reason_code"] == "not_reviewed"],
        "can_manage": manage,
        "can_finalise": user_can(request.user, "portfolio.finalise"),
        "settings_form": settings_form or (RankingSettingsForm(
            initial=_settings_initial(call)) if manage else None),
        "finalise_form": finalise_form or FinaliseForm(),
    }, status=status)


@capability_required("ranking.view")
def portfolio_view(request, pk: int):
    return _render_portfolio(request, get_call_for(request.user, pk))


@capability_required("ranking.manage")
@require_POST
def ranking_settings_view(request, pk: int):
    call = get_call_for(request.user, pk)
    form = RankingSettingsForm(request.POST)
    if form_submit(request, form, lambda data: ranking_settings_update(
            actor=request.user, call=call, values=data)):
        messages.success(request, _("The ranking settings are saved; the ranking and the "
                                    "recommendation below use them."))
        return redirect("grants:portfolio", pk=call.pk)
    return _render_portfolio(request, call, settings_form=form, status=400)


@capability_required("portfolio.finalise")
@require_POST
@confirm("portfolio-finalise")
def portfolio_finalise_view(request, pk: int):
    call = get_call_for(request.user, pk)
    form = FinaliseForm(request.POST)
    if form.is_valid():
        try:
            recommendation = portfolio_finalise(actor=request.user, call=call,
                                                note=form.cleaned_data["note"])
        except FundError as exc:
            apply_errors(form, exc)
            return _render_portfolio(request, call, finalise_form=form,
                                     status=exc.status_code)
        messages.success(request, _("Version %(n)s of the recommendation is final; the board "
                                    "has been told.") % {"n": recommendation.version})
        url = reverse("grants:portfolio", args=[call.pk])
        return redirect(f"{url}?version={recommendation.version}")
    return _render_portfolio(request, call, finalise_form=form, status=400)


@capability_required("ranking.view")
def portfolio_export(request, pk: int, fmt: str):
    if fmt not in PORTFOLIO_FORMATS:
        raise Http404
    call = get_call_for(request.user, pk)
    if fmt == "pdf":
        return briefing_pack_file(call, _version(request))
    return portfolio_file(call, portfolio_view_data(call, _version(request)), fmt)
