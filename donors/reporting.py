"""The fund's reports assembled once for the pages and the PDF: figures plus charts.

``internal`` adds what is for donors, the secretariat and the Board rather than the public
(pledges and top donors); anonymous donors are "Anonymous donor" either way.
"""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from donors import charts
from donors.selectors import reports
from fundapp.core.formatting import percent


def report(year: int | None = None, *, internal: bool = False,
           history_to_year: bool = False) -> dict:
    """``history_to_year``: the yearly history stops at ``year`` (the annual report)."""
    this_year = timezone.localdate().year
    year = year or this_year
    series = reports.year_series(until=max(year, this_year))
    if history_to_year:
        series = [r for r in series if r.year <= year]
    row = next((r for r in series if r.year == year), None)
    if row is None:  # a year before the fund's first income: no report, not a crash
        raise Http404
    coming = reports.forecast(year)
    forecast_total = row.received + coming.outstanding
    in_year = reports.types_in_year(year)
    outcomes, outcomes_since = reports.where_money_went(year)
    context = {
        "year": year, "this_year": this_year, "series": series, "row": row,
        "years": [r.year for r in reversed(series)],
        "target": row.target, "received": row.received, "percent": row.percent,
        "forecast": coming, "forecast_total": forecast_total,
        "forecast_percent": reports.percent(forecast_total, row.target),
        "cumulative": row.cumulative, "first_year": series[0].year,
        "types_year": in_year,
        "donors_since": reports.donor_counts_since_creation(),
        "outcomes": outcomes, "outcomes_since": outcomes_since,
        "chart_progress": charts.progress_chart(
            year=year, received=row.received, forecast=forecast_total, target=row.target),
        "chart_years": charts.years_chart(series),
        "chart_types_year": charts.bars_chart(
            [(t.label, t.received, f"({percent(t.share, 1)})") for t in in_year],
            title=_("Contributions in %(y)s by type of donor") % {"y": year},
            uid="types-year", colours=charts.TYPE_COLOURS, width=520),
    }
    context["donors_since_total"] = sum(context["donors_since"].values())
    context["donor_types_since"] = [
        (t.label, context["donors_since"][t.donor_type]) for t in in_year
        if context["donors_since"].get(t.donor_type)]
    if internal:
        context |= _internal(series)
    return context


def progress(year: int | None = None) -> dict:
    """Just this year's progress bar and its figures (the donor portal's summary)."""
    year = year or timezone.localdate().year
    target, received = reports.target_for(year), reports.received_in(year)
    total = received + reports.forecast(year).outstanding
    return {"year": year, "target": target, "received": received,
            "percent": reports.percent(received, target),
            "chart_progress": charts.progress_chart(year=year, received=received,
                                                    forecast=total, target=target)}


def _calls_chart(calls) -> dict:
    return {
        "calls_money": calls,
        "chart_calls": charts.paired_bars_chart(
            [(_("Call %(n)s") % {"n": c.call_number}, c.committed_usd, c.disbursed_usd)
             for c in calls],
            title=_("Committed to grants and disbursed, by call (USD)"), uid="calls-money",
            labels=(_("Committed"), _("Disbursed, net of refunds")),
            empty=_("No grant yet.")),
    }


def _internal(series) -> dict:
    from grants.selectors.impact import money_by_call

    totals = reports.donor_totals()
    top = totals.top(10)
    return _calls_chart(money_by_call()) | {
        "types_since": totals.types, "top_donors": top,
        "chart_types_since": charts.bars_chart(
            [(t.label, t.received, f"({percent(t.share, 1)})") for t in totals.types],
            title=_("Contributions since creation by type of donor"), uid="types-since",
            colours=charts.TYPE_COLOURS, width=520),
        "chart_pledged": charts.pledged_received_chart(series),
        "chart_top": charts.bars_chart(
            [(d.name, d.total, "") for d in top],
            title=_("Top donors since creation"), uid="top-donors"),
    }
