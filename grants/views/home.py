"""The public home page and the signed-in start page: they read calls and impact figures."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from fundapp.accounts.roles import Role, roles_of
from fundapp.core import work
from grants.views import workspaces
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


@login_required
def dashboard(request):
    """Each person's home page: the work awaiting them, role by role, with what each role
    needs beside its queue (``grants/views/workspaces/``); the items are the API's
    ``/api/v1/me/work-queue/`` (one definition: ``fundapp.core.work``)."""
    items = work.work_queue_for(request.user)
    sections = []
    for role in [r for r in Role.values if r in roles_of(request.user)]:
        panel = workspaces.PANELS.get(role)
        sections.append({
            "role": role,
            "label": Role(role).label,
            "items": [i for i in items if i.role == role],
            "template": f"dashboard/{role}.html",
            "panel": panel(request) if panel else {},
        })
    return render(request, "dashboard.html", {"sections": sections})
