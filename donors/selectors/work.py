"""Work queue providers of donors (``fundapp.core.work``): the donor's own contributions,
receipts and pledges outstanding, and the secretariat's pledges not yet received.
(Filled in by the workspaces work.)"""


# --- the secretariat's ---
# Pledges not yet received in full (open or partly paid), overdue once their expected payment
# date has passed: the pledge list filtered ``?outstanding=1`` shows exactly these.

from django.db.models import Count, Q  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from donors.selectors.pledges import pledges_outstanding, pledges_visible_to  # noqa: E402
from fundapp.accounts.roles import Role  # noqa: E402
from fundapp.core import work  # noqa: E402


def secretariat_pledges(user) -> list[work.WorkItem]:
    """One aggregate query: the outstanding pledges and how many are past their date."""
    outstanding = pledges_outstanding(pledges_visible_to(user)).order_by()
    counts = outstanding.aggregate(
        n=Count("pk"), late=Count("pk", filter=Q(expected_on__lt=timezone.localdate())))
    return [work.WorkItem(
        code="pledges_outstanding", label=_("Pledges not yet received"), count=counts["n"],
        overdue=counts["late"], url=reverse("donors:pledge-list") + "?outstanding=1")]


work.register("donors.secretariat", roles={Role.SECRETARIAT}, provider=secretariat_pledges,
              order=80)


# --- the donor's own ---
# A donor's contributions received this year, every receipt it may download, and its pledges
# not yet received in full (overdue once their expected date has passed). Each links to the
# donor portal's own lists (``donors:portal-contributions``, ``donors:portal-pledges``),
# which filter with the same selectors.

from django.db.models import Sum  # noqa: E402

from donors.selectors.contributions import contribution_list  # noqa: E402
from donors.models import PledgeStatus  # noqa: E402
from donors.selectors.pledges import pledge_list  # noqa: E402
from fundapp.core.formatting import money as format_money  # noqa: E402


def donor_contributions(user):
    """The contributions of the donors ``user`` is linked to (the portal's list)."""
    return contribution_list(user)


def donor_pledges(user):
    """The pledges of the donors ``user`` is linked to (the portal's list)."""
    return pledge_list(user)


def donor_pledges_outstanding(qs):
    """Pledges not yet received in full (open or partly paid), as the secretariat's list."""
    return qs.filter(status__in=(PledgeStatus.OPEN, PledgeStatus.PARTLY_PAID))


def contributions_in_year(qs, year: int):
    return qs.filter(received_on__year=year)


def donor_items(user) -> list[work.WorkItem]:
    """Two aggregate queries: the contributions (this year's, all receipts) and the pledges."""
    today = timezone.localdate()
    year = today.year
    contributions = donor_contributions(user).order_by().aggregate(
        year_n=Count("pk", filter=Q(received_on__year=year)),
        year_usd=Sum("amount_usd", filter=Q(received_on__year=year)),
        receipts=Count("pk"))
    pledges = donor_pledges_outstanding(donor_pledges(user)).order_by().aggregate(
        n=Count("pk"), late=Count("pk", filter=Q(expected_on__lt=today)))
    contributions_url = reverse("donors:portal-contributions")
    year_usd = contributions["year_usd"]
    return [
        work.WorkItem(
            code="contributions_this_year",
            label=_("Your contributions in %(year)s") % {"year": year},
            count=contributions["year_n"], overdue=0,
            url=f"{contributions_url}?year={year}",
            detail=format_money(year_usd) if year_usd else ""),
        work.WorkItem(
            code="receipts_available", label=_("Receipts to download"),
            count=contributions["receipts"], overdue=0, url=contributions_url),
        work.WorkItem(
            code="pledges_outstanding", label=_("Your pledges not yet paid in full"),
            count=pledges["n"], overdue=pledges["late"],
            url=reverse("donors:portal-pledges") + "?outstanding=1"),
    ]


work.register("donors.donor", roles={Role.DONOR}, provider=donor_items, order=10)


def donor_home(user) -> dict:
    """The donor's home panel: this year's giving, the pledges still open, and what the
    fund achieved with the year's money (the fund summary's figures; last year's when
    this year has none yet). A fixed number of queries."""
    from donors.reporting import progress
    from donors.selectors.reports import where_money_went

    year = timezone.localdate().year
    mine = contributions_in_year(donor_contributions(user), year).order_by().aggregate(
        n=Count("pk"), usd=Sum("amount_usd"))
    pledges = list(donor_pledges_outstanding(donor_pledges(user))
                   .order_by("expected_on", "pk")[:5])
    outcomes_year = year
    outcomes, since = where_money_went(year)
    if not outcomes.projects and not outcomes.victims_assisted:
        outcomes_year = year - 1
        outcomes, since = where_money_went(outcomes_year)
    return progress(year) | {
        "my_year_n": mine["n"], "my_year_usd": mine["usd"], "open_pledges": pledges,
        "outcomes": outcomes, "outcomes_year": outcomes_year, "since": since,
        "today": timezone.localdate()}
