"""What each role's home page shows beside its work queue (``/dashboard/``).

One module per audience, each exporting ``panel(request) -> dict`` (the context of
``templates/dashboard/<role>.html``, under ``panel``): a fixed number of queries.
"""

from fundapp.accounts.roles import Role

from . import applicants, board, donors, reviewers, secretariat

PANELS = {
    Role.SECRETARIAT: secretariat.panel,
    Role.NGO: applicants.panel,
    Role.REVIEWER: reviewers.panel,
    Role.BOARD: board.panel,
    Role.DONOR: donors.panel,
}
