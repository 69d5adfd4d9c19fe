"""The secretariat's search (``/search/?q=``) and the ``?search=`` of grants' lists.

Applications by reference, title or organisation name; organisations by name or
registration number; grants by agreement number (or their application's reference, title
and organisation). The matching is ``fundapp.core.search`` (PostgreSQL full-text search with
exact and prefix matches on references and numbers; ``icontains`` on SQLite); donors and
contributions come from ``donors.selectors.search``. The page costs one query per kind,
whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Window
from django.http import Http404

from donors.selectors import donor_kinds_search
from fundapp.accounts.roles import Role, roles_of
from fundapp.core.search import matching, ranked, words_of
from grants.models import Application, Grant, Organisation

PER_KIND = 8

APPLICATION_WORDS = ("title", "organisation__name")
APPLICATION_CODES = ("reference",)
ORGANISATION_WORDS = ("name", "former_names")
ORGANISATION_CODES = ("registration_number",)
GRANT_WORDS = ("application__title", "application__organisation__name")
GRANT_CODES = ("agreement_number", "application__reference")


def applications_matching(qs: QuerySet[Application], text: str | None, *,
                          names: bool = True) -> QuerySet[Application]:
    """Applications of ``qs`` by reference (exact, prefix or part), or the words of their
    title and (unless ``names`` is false: blind review) their organisation's name."""
    words = APPLICATION_WORDS if names else ("title",)
    return matching(qs, text, words=words, codes=APPLICATION_CODES)


def organisations_matching(qs: QuerySet[Organisation], text: str | None) -> QuerySet[Organisation]:
    """Organisations of ``qs`` by the words of their name (or a former name), or their
    registration number."""
    return matching(qs, text, words=ORGANISATION_WORDS, codes=ORGANISATION_CODES)


def grants_matching(qs: QuerySet[Grant], text: str | None) -> QuerySet[Grant]:
    """Grants of ``qs`` by agreement number or application reference, or the words of the
    application's title and organisation's name."""
    return matching(qs, text, words=GRANT_WORDS, codes=GRANT_CODES)


@dataclass
class Kind:
    """One kind of result: its code, how many match, and the first ``PER_KIND`` of them."""

    code: str
    count: int = 0
    rows: list = field(default_factory=list)

    @property
    def more(self) -> bool:
        return self.count > len(self.rows)


@dataclass
class Results:
    query: str
    kinds: list[Kind] = field(default_factory=list)
    searched: bool = False   # False: no words in the query (the page explains what it finds)

    @property
    def total(self) -> int:
        return sum(kind.count for kind in self.kinds)


def can_search(user) -> bool:
    return Role.SECRETARIAT in roles_of(user)


def _top(qs: QuerySet, limit: int, *then: str) -> tuple[int, list]:
    rows = list(ranked(qs.annotate(search_total=Window(Count("pk"))), *then)[:limit])
    return (rows[0].search_total if rows else 0), rows


def search_for(user, text: str | None, *, limit: int = PER_KIND) -> Results:
    """What the secretariat's search finds for ``text``, kind by kind (404 for anyone else)."""
    if not can_search(user):
        raise Http404
    text = (text or "").strip()
    results = Results(query=text)
    if not words_of(text):
        return results
    results.searched = True
    found = {
        "applications": _top(applications_matching(
            Application.objects.select_related("organisation", "call"), text), limit,
            "-created_at"),
        "organisations": _top(organisations_matching(Organisation.objects.all(), text),
                              limit, "name"),
        "grants": _top(grants_matching(
            Grant.objects.select_related("application__organisation", "call"), text),
            limit, "-call__number", "sequence"),
    }
    found.update(donor_kinds_search(user, text, limit=limit))
    for code in ("applications", "organisations", "grants", "donors", "contributions"):
        count, rows = found[code]
        results.kinds.append(Kind(code, count, rows))
    return results
