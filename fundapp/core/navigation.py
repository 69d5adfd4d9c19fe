"""The main navigation: one short row of links and menus per role (``{% main_nav %}`` in
``templates/base.html``, rendered by ``templates/partials/mainnav.html``).

Each role has its entries: a ``Link`` (label, URL name, and the URL names of the pages that
belong to it) or a ``Menu`` of links (a disclosure menu, ``<details>``). A person with several
roles gets each role's entries once (an entry already listed by another role is not
repeated). The page being shown marks exactly one link ``aria-current="page"``: the first
link naming the page's URL name exactly, else the first whose prefixes match, else the
first claiming the page's app.

URL names are strings (``"grants:application-list"``): the ground floor names the apps'
pages without importing them, like the URL root does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from fundapp.accounts.roles import Role, roles_of


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    pages: frozenset[str] = frozenset()   # URL names (without namespace) of its pages
    prefixes: tuple[str, ...] = ()        # URL name prefixes of its pages
    app: str = ""                         # an app's pages not claimed by another link

    @property
    def key(self) -> str:
        return self.url_name

    def own_name(self) -> str:
        return self.url_name.split(":")[-1]

    def namespace(self) -> str:
        return self.url_name.split(":")[0] if ":" in self.url_name else ""


@dataclass(frozen=True)
class Menu:
    label: str
    links: tuple[Link, ...]
    key: str = ""


@dataclass
class Entry:
    """What the template renders: a link or a menu, with what is current."""

    label: str
    url: str = ""
    current: bool = False
    links: list[Entry] = field(default_factory=list)
    key: str = ""

    @property
    def is_menu(self) -> bool:
        return bool(self.links)


def _names(*names: str) -> frozenset[str]:
    return frozenset(names)


HOME = Link(_("Home"), "dashboard", _names("dashboard"))
CALLS = Link(_("Calls"), "grants:call-list", _names("call-list", "call-detail", "call-apply"))

GRANT_PAGES = _names("grant-list", "grant-detail", "grant-tranches", "grant-cancel",
                     "application-grant", "decision-letter")

SECRETARIAT = (
    HOME,
    Menu(_("Applications"), (
        Link(_("All applications"), "grants:application-list",
             _names("application-list", "application-detail", "application-messages",
                    "information-request", "application-extend", "review-assign")),
        Link(_("Calls"), "grants:call-manage-list",
             _names("call-manage-list", "call-edit", "call-create", "call-questions",
                    "call-extensions", "call-detail")),
        Link(_("Screening"), "grants:screening-queue",
             _names("screening-queue", "screening-detail", "sanctions-lists")),
        Link(_("Review progress"), "grants:review-calls",
             _names("review-calls", "review-progress", "review-progress-reviewers",
                    "rubric-edit", "reviewer-pool", "reviewer-edit")),
        Link(_("Ranking"), "grants:ranking-calls",
             _names("ranking-calls", "ranking", "portfolio", "ranking-settings")),
    ), key="applications"),
    Menu(_("Grants"), (
        Link(_("Board"), "grants:board-home", GRANT_PAGES, prefixes=("board-",)),
        Link(_("Grants in implementation"), "grants:grant-portfolio", prefixes=("grant-",)),
        Link(_("Progress reports"), "grants:reports-manage", _names("reports-manage")),
        Link(_("Impact"), "grants:impact", _names("impact")),
    ), key="grants"),
    Menu(_("Funding"), (
        Link(_("Overview"), "donors:home", _names("home"), app="donors"),
        Link(_("Donors"), "donors:donor-list", prefixes=("donor-",)),
        Link(_("Pledges"), "donors:pledge-list", prefixes=("pledge-",)),
        Link(_("Contributions"), "donors:contribution-list",
             _names("contribution-detail", "import-upload", "import-preview"),
             prefixes=("contribution-",)),
        Link(_("Reports"), "donors:reports", _names("reports", "annual-report")),
    ), key="funding"),
    Link(_("Organisations"), "grants:organisation-list",
         _names("organisation-list", "organisation-verify")),
    Link(_("People"), "grants:people-list", _names("retention"), prefixes=("people-", "person-")),
)

NGO = (
    HOME,
    CALLS,
    Link(_("My applications"), "grants:my-applications",
         _names("my-applications", "application-edit", "application-detail",
                "application-withdraw", "application-messages")),
    Link(_("Grants"), "grants:grant-portfolio", prefixes=("grant-",)),
    Link(_("Reports"), "grants:reports", _names("reports")),
    Menu(_("Organisation"), (
        Link(_("My organisation"), "grants:my-organisation",
             _names("my-organisation", "my-organisation-edit")),
        Link(_("Members"), "grants:members", _names("members", "member-invite")),
    ), key="organisation"),
)

REVIEWER = (
    HOME,
    Link(_("My reviews"), "grants:my-reviews",
         _names("my-reviews", "review-detail", "review-declare")),
    CALLS,
)

BOARD = (
    HOME,
    Link(_("Board"), "grants:board-home", GRANT_PAGES, prefixes=("board-",)),
    Link(_("Applications"), "grants:application-list",
         _names("application-list", "application-detail")),
    Link(_("Ranking"), "grants:ranking-calls", _names("ranking-calls", "ranking", "portfolio")),
    Link(_("Grants"), "grants:grant-portfolio", prefixes=("grant-",)),
    Menu(_("Funding"), (
        Link(_("Overview"), "donors:home", _names("home"), app="donors"),
        Link(_("Reports"), "donors:reports", _names("reports", "annual-report")),
        Link(_("Impact"), "grants:impact", _names("impact")),
    ), key="funding"),
)

DONOR = (
    HOME,
    Link(_("My contributions"), "donors:portal", _names("portal", "receipt")),
    Link(_("Fund reports"), "donors:reports", _names("reports", "annual-report")),
    Link(_("Impact"), "grants:impact", _names("impact")),
    Link(_("Funding"), "donors:home", _names("home"), app="donors"),
)

ANONYMOUS = (
    Link(_("Calls for proposals"), "grants:call-list", _names("call-list", "call-detail")),
    Link(_("Funding"), "donors:transparency", _names("transparency", "home")),
    Link(_("Impact"), "grants:impact-public", _names("impact-public")),
)

# The order in which a person's roles add their entries (the secretariat's menus hold most).
BY_ROLE = (
    (Role.SECRETARIAT, SECRETARIAT),
    (Role.BOARD, BOARD),
    (Role.NGO, NGO),
    (Role.REVIEWER, REVIEWER),
    (Role.DONOR, DONOR),
)


def entries_for(roles) -> list[Link | Menu]:
    """Each of the person's roles' entries, once (by URL name or menu key)."""
    if not roles:
        return list(ANONYMOUS)
    seen: set[str] = set()
    out: list[Link | Menu] = []
    for role, entries in BY_ROLE:
        if role not in roles:
            continue
        for entry in entries:
            links = entry.links if isinstance(entry, Menu) else (entry,)
            fresh = tuple(link for link in links if link.url_name not in seen)
            if not fresh:
                continue
            seen.update(link.url_name for link in fresh)
            if isinstance(entry, Menu):
                key = entry.key or str(entry.label)
                merged = next((e for e in out if isinstance(e, Menu) and e.key == key), None)
                if merged is not None:
                    out[out.index(merged)] = Menu(merged.label, merged.links + fresh, key)
                else:
                    out.append(Menu(entry.label, fresh, key))
            else:
                out.append(entry)
    return out


def _current_link(links: list[Link], url_name: str, app: str) -> Link | None:
    """The one link the shown page belongs to (``url_name`` without its namespace, ``app``
    its namespace)."""
    if not url_name:
        return None
    ours = [link for link in links if link.namespace() == app]
    for link in ours:
        if url_name == link.own_name() or url_name in link.pages:
            return link
    for link in ours:
        if any(url_name.startswith(prefix) for prefix in link.prefixes):
            return link
    for link in ours:
        if link.app and link.app == app:
            return link
    return None


def _url(link: Link) -> str:
    try:
        return reverse(link.url_name)
    except NoReverseMatch:   # an app not mounted (tests of the ground floor alone)
        return ""


def main_nav(request) -> list[Entry]:
    """The navigation of the signed-in (or anonymous) person, with the current page marked."""
    user = getattr(request, "user", None)
    entries = entries_for(roles_of(user))
    match = getattr(request, "resolver_match", None)
    url_name = (match.url_name or "") if match else ""
    app = (match.app_name or "") if match else ""
    flat = [link for e in entries for link in (e.links if isinstance(e, Menu) else (e,))]
    current = _current_link(flat, url_name, app)
    out: list[Entry] = []
    for entry in entries:
        if isinstance(entry, Menu):
            links = [Entry(str(link.label), url, link is current, key=link.key)
                     for link in entry.links if (url := _url(link))]
            out.append(Entry(str(entry.label), current=any(e.current for e in links),
                             links=links, key=entry.key))
        else:
            out.append(Entry(str(entry.label), _url(entry), entry is current, key=entry.key))
    return [e for e in out if e.url or e.links]
