def donor_kinds_search(user, text: str, *, limit: int) -> dict:
    """The secretariat's search over donors and contributions, for grants' search page
    (``donors.selectors.search.donor_kinds_search``): ``{kind: (count, rows)}``."""
    from donors.selectors.search import donor_kinds_search as search

    return search(user, text, limit=limit)
