"""Demo data: the fund's history (calls 1-7), one open call, demo users and NGOs, and the
later stages of the cycle (ranking, Board, historic impact, donors).

Idempotent: every object is looked up by its natural key first and only created when
missing, so a second run changes nothing. Writes go through the services wherever a
service exists (registration, verification, call creation and publication, drafting,
attachments, submission, reviews, ranking, Board votes), so the rules are checked and
audit rows are written. The history (calls 1-7 and their decided applications) is created
directly, since the services rightly refuse anything whose deadline has passed.

    people.py        staff and NGO accounts, the printed logins
    calls.py         calls 1-7 with their decided applications, the open call 8
    applications.py  the open call's applications (drafts and submissions)
    ranking.py       call 7's review round, ready to rank (``seed_ranking_demo``)
    board.py         the Board's seats, sessions and the demo votes
    stages.py        the later stages run after the above
    impact.py        the fund's history of grants (calls 1-6), paid, reported, closed
"""

import logging

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from fundapp.core.errors import FundError
from grants.demo import applications, calls, people

# Later stages of the cycle, each an idempotent function that builds on the data above.
LATER_STAGES = [
    "grants.demo.stages.ranking_stage",
    "grants.demo.stages.board_stage",
    "grants.demo.impact.impact_stage",
    "grants.demo.information.information_stage",
    "grants.demo.extensions.extensions_stage",
    "grants.demo.grant_life.grant_life_stage",
    "grants.demo.conversations.conversations_stage",
    "grants.demo.refunds.refunds_stage",
    "grants.demo.post_award.post_award_stage",
    "grants.demo.workspaces.workspaces_stage",
    "donors.demo.seed_donors",
]


def seed(*, stderr=None) -> list[str]:
    """Load the demo data; returns what was created (empty when it was all there)."""
    _check_password()
    created: list[str] = []
    task_log = logging.getLogger("celery.app.trace")
    level = task_log.level
    task_log.setLevel(logging.WARNING)  # one "task succeeded" line per e-mail is noise here
    try:
        with transaction.atomic():
            _seed(created, stderr)
    except FundError as exc:
        raise CommandError(f"Demo data refused by a service rule: {exc.as_data()}") from exc
    finally:
        task_log.setLevel(level)
    return created


def _check_password() -> None:
    try:
        validate_password(settings.DEMO_PASSWORD)
    except ValidationError as exc:
        raise CommandError("DEMO_PASSWORD is too weak: " + " ".join(exc.messages)) from exc


def _seed(created: list[str], stderr) -> None:
    secretariat = people.staff_users(created)["secretariat"]
    ngos = people.ngo_users(secretariat, created)
    calls.history(secretariat, ngos, created)
    open_call = calls.open_call(secretariat, created, stderr)
    applications.open_applications(open_call, ngos, created)
    for path in LATER_STAGES:
        result = import_string(path)()
        if isinstance(result, list):
            created.extend(result)
        elif result and any(result.values()):
            created.append(f"{path.rsplit('.', 1)[-1]}: {result}")


def report(created: list[str], *, stdout, style) -> None:
    """What was created, then the demo logins (``stdout`` and ``style`` of a command)."""
    if created:
        stdout.write(f"Demo data: created {len(created)} item(s).")
        for item in created:
            stdout.write(f"  + {item}")
    else:
        stdout.write("Demo data already present: nothing to do.")
    people.print_logins(stdout, style)
