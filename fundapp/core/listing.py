"""Every list page's filters, sorting, page size and count, all kept in the URL.

A list view declares what can be filtered and sorted, and renders one partial above its
table and the pagination partial below it:

    from fundapp.core.listing import Filter, Sort, listing

    FILTERS = [
        Filter("status", _("Status"), choices=ApplicationStatus.choices),
        Filter("call", _("Call"), choices=lambda: [(str(c.pk), c.number) for c in calls()],
               lookup="call_id"),
        Filter("overdue", _("Overdue"), choices=[("1", _("Overdue only"))],
               apply=lambda qs, value: qs.filter(due_on__lt=today())),
        Filter("search", _("Search"), apply=lambda qs, text: qs.filter(title__icontains=text)),
    ]
    SORTS = [Sort("newest", _("Newest first"), "-created_at"),
             Sort("reference", _("Reference"), "reference")]

    def application_list(request):
        found = listing(request, applications_visible_to(request.user), filters=FILTERS,
                        sorts=SORTS)
        if requested_format(request):
            return export_response(request, found.queryset, COLUMNS, "applications")
        return render(request, "…", {"listing": found, "page": found.page})

    {% include "partials/list_controls.html" %}   {# the form, the applied filters, the sort #}
    <table>… {% for a in page %} …</table>
    {% include "partials/pagination.html" %}      {# pages and the count (data-count) #}

- A filter's value comes from the query string under its ``name``. Without ``apply`` it
  filters ``queryset.filter(**{lookup or name: value})``. Choices (a list or a callable
  giving one) are checked: a value that is not among them is ignored and listed in
  ``Listing.ignored`` (the page says so) instead of filtering on nonsense or failing.
  ``apply`` may raise ``ValueError`` for a value it cannot read (same treatment).
- Each applied filter is shown with a link that removes it (``Listing.applied``), and a
  link clears them all; the work queue's links (``fundapp/core/work.py``) are such URLs.
- ``sort`` picks one of the declared sorts (the first is the default); ``size`` one of
  ``PAGE_SIZES``; both are in the URL like the filters. Ordering always ends with ``pk`` so
  pages never repeat or skip a row.
- Hidden filters (``hidden=True``) filter and show as applied but have no form control
  (a link from elsewhere, e.g. ``?organisation=12`` from an organisation's page).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _

PAGE_SIZES = (25, 50, 100)
RESERVED = frozenset({"page", "sort", "size", "format"})


@dataclass(frozen=True)
class Filter:
    name: str
    label: str
    choices: Sequence[tuple[str, str]] | Callable[[], Sequence[tuple[str, str]]] | None = None
    lookup: str | None = None
    apply: Callable[[QuerySet, str], QuerySet] | None = None
    hidden: bool = False
    # The label of an applied value that has no choice list (e.g. a hidden organisation id):
    # given the value, says what it is ("Organisation: Hope for Women").
    describe: Callable[[str], str] | None = None

    def options(self) -> list[tuple[str, str]]:
        choices = self.choices() if callable(self.choices) else (self.choices or [])
        return [(str(value), str(label)) for value, label in choices]


@dataclass(frozen=True)
class Sort:
    key: str
    label: str
    order: str | tuple[str, ...]

    def fields(self) -> tuple[str, ...]:
        return (self.order,) if isinstance(self.order, str) else tuple(self.order)


@dataclass(frozen=True)
class Applied:
    name: str
    label: str
    value: str
    value_label: str
    remove_url: str


@dataclass(frozen=True)
class Control:
    """One filter's form control: its options (None: a text box) and current value."""

    name: str
    label: str
    options: list[tuple[str, str]] | None
    value: str


@dataclass
class Listing:
    queryset: QuerySet               # filtered and sorted, not cut into pages (exports use it)
    page: Page
    controls: list[Control]
    applied: list[Applied]
    ignored: list[str]               # labels of filters whose value made no sense
    sorts: list[Sort]
    sort: str
    size: int
    page_sizes: tuple[int, ...] = PAGE_SIZES
    clear_url: str = "?"
    kept: list[tuple[str, str]] = field(default_factory=list)  # hidden filters the form keeps

    @property
    def count(self) -> int:
        return self.page.paginator.count


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in (*names, "page"):
        query.pop(name, None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else request.path


def listing(request, queryset: QuerySet, *, filters: Iterable[Filter] = (),
            sorts: Sequence[Sort] = (), page_sizes: tuple[int, ...] = PAGE_SIZES) -> Listing:
    """The page of ``queryset`` the request asks for, filtered, sorted and sized from its URL."""
    filters = list(filters)
    controls: list[Control] = []
    applied: list[Applied] = []
    ignored: list[str] = []
    for f in filters:
        value = (request.GET.get(f.name) or "").strip()
        options = f.options() if f.choices is not None else None
        if not f.hidden:
            controls.append(Control(f.name, str(f.label), options, value))
        if not value:
            continue
        labels = dict(options or [])
        if options is not None and value not in labels:
            ignored.append(str(f.label))
            continue
        try:
            queryset = (f.apply(queryset, value) if f.apply
                        else queryset.filter(**{f.lookup or f.name: value}))
        except (ValueError, TypeError, OverflowError):
            ignored.append(str(f.label))
            continue
        shown = labels.get(value) or (f.describe(value) if f.describe else value)
        applied.append(Applied(f.name, str(f.label), value, str(shown),
                               _query_without(request, f.name)))

    sort_key = request.GET.get("sort") or (sorts[0].key if sorts else "")
    chosen = next((s for s in sorts if s.key == sort_key), sorts[0] if sorts else None)
    if chosen is not None:
        queryset = queryset.order_by(*chosen.fields(), "pk")
    elif not queryset.ordered:
        queryset = queryset.order_by("pk")

    try:
        size = int(request.GET.get("size") or page_sizes[0])
    except ValueError:
        size = page_sizes[0]
    if size not in page_sizes:
        size = page_sizes[0]
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    names = [f.name for f in filters]
    hidden = {f.name for f in filters if f.hidden}
    kept = [(a.name, a.value) for a in applied if a.name in hidden]
    return Listing(kept=kept, queryset=queryset, page=page, controls=controls, applied=applied,
                   ignored=ignored, sorts=list(sorts), sort=chosen.key if chosen else "",
                   size=size, page_sizes=page_sizes,
                   clear_url=_query_without(request, *names))


def filter_summary(listing: Listing) -> str:
    """The applied filters in one line, for a page title or an export's name."""
    return "; ".join(f"{a.label}: {a.value_label}" for a in listing.applied) or _("All")
