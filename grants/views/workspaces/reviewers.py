"""The reviewers home panel (filled in by the workspaces work)."""


def panel(request) -> dict:
    return {}
