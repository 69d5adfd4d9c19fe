"""What awaits a person now: the one definition behind the home pages and the API.

Each app registers its providers once (from its ``AppConfig.ready()``, like the
notification kinds): a provider takes the user and returns its ``WorkItem`` rows, each
counted by a selector in a fixed number of queries (never one per row). The home page
(``/dashboard/``) and ``GET /api/v1/me/work-queue/`` both call ``work_queue_for(user)``,
so their counts cannot disagree; each item's ``url`` is the web list showing exactly the
objects counted (a filtered list whose filter is visible and removable), and a test
checks on the demo data that the list's count (``data-count`` of the pagination partial)
equals the item's.

    from fundapp.core import work

    def _secretariat(user):
        n = applications_to_screen().count()
        return [work.WorkItem(code="applications_to_screen", label=_("Applications to screen"),
                              count=n, overdue=0, url=reverse(...) + "?status=submitted")]

    work.register("grants.secretariat", roles={Role.SECRETARIAT}, provider=_secretariat)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from fundapp.accounts.roles import Role, roles_of


@dataclass(frozen=True)
class WorkItem:
    """One line of a person's work: what, how many, how many late, where to see them."""

    code: str            # stable machine name, e.g. "applications_to_screen"
    label: str           # in the reader's language
    count: int
    overdue: int
    url: str             # the web page listing exactly those ``count`` objects
    role: str = ""       # the role this work comes with (filled by ``work_queue_for``)
    detail: str = ""     # an optional short line under the label (e.g. "next due 5 Dec")
    due: object = field(default=None, compare=False)  # the nearest due date, if any

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("due")
        return data


Provider = Callable[[object], Iterable[WorkItem]]


@dataclass(frozen=True)
class _Registered:
    name: str
    roles: frozenset[str]
    provider: Provider
    order: int


_PROVIDERS: dict[str, _Registered] = {}


def register(name: str, *, roles: Iterable[str], provider: Provider, order: int = 100) -> None:
    """Declare a provider of work for the people holding any of ``roles``.

    ``name`` is unique (registering it again replaces it, so a re-imported module does not
    double its items); ``order`` sorts the providers of one role on the page.
    """
    _PROVIDERS[name] = _Registered(name=name, roles=frozenset(str(r) for r in roles),
                                   provider=provider, order=order)


def providers() -> list[str]:
    return sorted(_PROVIDERS)


def work_queue_for(user) -> list[WorkItem]:
    """Every item awaiting ``user``, grouped by role in the roles' order, then by provider.

    Items with a count of zero are kept: the codes a client sees do not come and go.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    held = [r for r in Role.values if r in roles_of(user)]  # in the roles' own order
    items: list[WorkItem] = []
    seen: set[tuple[str, str]] = set()

    def place(reg: _Registered) -> tuple:
        first = min(held.index(r) for r in reg.roles if r in held)
        return (first, reg.order, reg.name)

    for reg in sorted((r for r in _PROVIDERS.values() if r.roles & set(held)), key=place):
        role = next(r for r in held if r in reg.roles)
        for item in reg.provider(user):
            key = (item.code, role)
            if key in seen:
                continue
            seen.add(key)
            items.append(item if item.role else WorkItem(**{**item.__dict__, "role": role}))
    return items
