"""Search on donors' rows: donors by name, contributions by bank reference (or receipt number,
or their donor's name). Lists (web and API ``?search=``) and the secretariat's search page
(``grants.selectors.search``) use the same matching (``fundapp.core.search``)."""

from __future__ import annotations

from django.db.models import Count, QuerySet, Window
from django.http import Http404

from donors.models import Contribution, Donor
from fundapp.accounts.roles import user_can
from fundapp.core.search import matching, ranked

DONOR_WORDS = ("name", "contact_name")
CONTRIBUTION_WORDS = ("donor__name",)
CONTRIBUTION_CODES = ("bank_reference", "receipt_number")


def donors_matching(qs: QuerySet[Donor], text: str | None) -> QuerySet[Donor]:
    """Donors of ``qs`` whose name (or contact person) has the words of ``text``."""
    return matching(qs, text, words=DONOR_WORDS)


def contributions_matching(qs: QuerySet[Contribution], text: str | None) -> QuerySet[Contribution]:
    """Contributions of ``qs`` by bank reference or receipt number (exact, prefix or part),
    or by the words of their donor's name."""
    return matching(qs, text, words=CONTRIBUTION_WORDS, codes=CONTRIBUTION_CODES)


def _top(qs: QuerySet, limit: int, *then: str) -> tuple[int, list]:
    """The first ``limit`` rows and how many there are, in one query (a window count)."""
    rows = list(ranked(qs.annotate(search_total=Window(Count("pk"))), *then)[:limit])
    return (rows[0].search_total if rows else 0), rows


def donor_kinds_search(user, text: str, *, limit: int) -> dict[str, tuple[int, list]]:
    """The secretariat's search over donors' kinds: ``{"donors": (count, rows),
    "contributions": (count, rows)}``, one query per kind. 404 for anyone else."""
    if not user_can(user, "donor.manage"):
        raise Http404
    return {
        "donors": _top(donors_matching(Donor.objects.all(), text), limit, "name"),
        "contributions": _top(contributions_matching(
            Contribution.objects.select_related("donor"), text), limit, "-received_on"),
    }
