"""The donor's home panel: this year's giving and what the fund achieved with the money,
read through ``donors.selectors`` (the one door from grants into donors)."""

from donors.selectors import donor_home


def panel(request) -> dict:
    return donor_home(request.user)
