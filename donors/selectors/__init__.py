"""Donors' reads. The grants app reads donors only through this package's own names
(import-linter: ``grants.** -> donors.selectors``)."""


def donor_home(user) -> dict:
    """The donor's home panel (``donors.selectors.work.donor_home``)."""
    from donors.selectors.work import donor_home as home

    return home(user)


def year_progress(year: int | None = None) -> dict:
    """This year's contributions received against the year's target (USD), for the
    secretariat's home panel: ``{"year", "received", "target", "percent"}``."""
    from django.utils import timezone

    from donors.selectors.reports import percent, received_in, target_for

    year = year or timezone.localdate().year
    received, target = received_in(year), target_for(year)
    return {"year": year, "received": received, "target": target,
            "percent": percent(received, target)}


def donor_kinds_search(user, text: str, *, limit: int) -> dict:
    """The secretariat's search over donors and contributions, for grants' search page
    (``donors.selectors.search.donor_kinds_search``): ``{kind: (count, rows)}``."""
    from donors.selectors.search import donor_kinds_search as search

    return search(user, text, limit=limit)
