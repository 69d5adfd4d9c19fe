"""The public home page and the signed-in start page: they read calls and impact figures."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from fundapp.accounts.roles import Role, roles_of
from grants.selectors.calls import open_calls
from grants.selectors.impact import impact


@dataclass(frozen=True)
class FundFigures:
    """The home page's claims, read from the impact pages' own selector (``impact()``)."""

    first_year: int
    projects: int
    countries: int
    disbursed_usd: Decimal
    victims_year: int | None
    victims: int

    @property
    def disbursed_millions(self) -> Decimal:
        return (self.disbursed_usd / Decimal(1_000_000)).quantize(Decimal("0.1"))


def fund_figures() -> FundFigures | None:
    figures = impact()
    if not figures.projects or figures.first_year is None:
        return None
    # The last year whose reports are all in (the current one is still being reported).
    per_year = {y: n for y, n in figures.victims_per_year.items() if n}
    done = [y for y in per_year if y < timezone.localdate().year] or list(per_year)
    last = max(done) if done else None
    return FundFigures(first_year=figures.first_year, projects=figures.projects,
                       countries=figures.countries, disbursed_usd=figures.disbursed_usd,
                       victims_year=last, victims=per_year.get(last, 0))


def home(request):
    return render(request, "home.html", {"open_calls": open_calls(), "figures": fund_figures()})


START_PAGES = {
    Role.NGO: "grants:my-applications",
    Role.SECRETARIAT: "grants:application-list",
    Role.REVIEWER: "grants:my-reviews",
    Role.DONOR: "donors:portal",
}


@login_required
def dashboard(request):
    """Send each person to the page they start from; several roles get a choice."""
    roles = roles_of(request.user)
    if len(roles) == 1:
        start = START_PAGES.get(next(iter(roles)))
        if start:
            return redirect(start)
    return render(request, "dashboard.html", {"roles": roles})
