"""Words typed in a search box, matched against a queryset: the one text search of every app.

``matching(qs, text, words=[...], codes=[...])`` keeps the rows where every word of ``text``
is found in one of the ``words`` fields, or where ``text`` is found in one of the ``codes``
fields (references, agreement and registration numbers, bank references: exactly, by prefix
or inside, whatever the case). On PostgreSQL the words are a full-text search
(``django.contrib.postgres.search``, the ``simple`` configuration so that names and
references are not stemmed, each word matching as a prefix); elsewhere (SQLite) each word is
an ``icontains``. Rows are annotated with ``search_exact`` (2: a code equals the text, 1: a
code starts with it, 0 otherwise) and ``search_rank`` (the full-text rank on PostgreSQL, 0
elsewhere); ``ranked(qs)`` orders by them (best first), a list keeps its own order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.db import connection
from django.db.models import Case, FloatField, IntegerField, Q, QuerySet, Value, When

MAX_WORDS = 8
MAX_LENGTH = 100


def words_of(text: str | None) -> list[str]:
    """The words of a query (letters and digits), at most ``MAX_WORDS``."""
    return re.findall(r"\w+", (text or "")[:MAX_LENGTH])[:MAX_WORDS]


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def matching(qs: QuerySet, text: str | None, *, words: Sequence[str],
             codes: Sequence[str] = ()) -> QuerySet:
    """Rows of ``qs`` matching ``text`` (see the module's docstring); none for no words."""
    text = (text or "").strip()[:MAX_LENGTH]
    terms = words_of(text)
    if not terms:
        return qs.none()
    by_code = Q()
    for field in codes:
        by_code |= Q(**{f"{field}__icontains": text})
    exact = Case(
        *[When(**{f"{field}__iexact": text}, then=Value(2)) for field in codes],
        *[When(**{f"{field}__istartswith": text}, then=Value(1)) for field in codes],
        default=Value(0), output_field=IntegerField())
    if _postgres():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector(*words, config="simple")
        # \w+ words only, so the raw query cannot carry tsquery syntax of its own.
        query = SearchQuery(" & ".join(f"{term.lower()}:*" for term in terms),
                            search_type="raw", config="simple")
        qs = qs.annotate(search_document=vector).filter(Q(search_document=query) | by_code)
        return qs.annotate(search_rank=SearchRank(vector, query), search_exact=exact)
    every_word = Q()
    for term in terms:
        one = Q()
        for field in words:
            one |= Q(**{f"{field}__icontains": term})
        every_word &= one
    return qs.filter(every_word | by_code).annotate(
        search_rank=Value(0.0, output_field=FloatField()), search_exact=exact)


def ranked(qs: QuerySet, *then: str) -> QuerySet:
    """Best matches first: an exact code, a code's prefix, the full-text rank, then ``then``."""
    return qs.order_by("-search_exact", "-search_rank", *then, "pk")
