"""The one place that says what each role may see and do.

Roles are Django groups; a user may hold several. Web views (``capability_required``)
and the API (``fundapp.core.api.capability``) both ask ``user_can``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    REVIEWER = "reviewer", _("Reviewer")
    BOARD = "board", _("Board member")
    NGO = "ngo", _("NGO user")
    DONOR = "donor", _("Donor")


CAPABILITIES: dict[str, frozenset[str]] = {
    "call.manage": frozenset({Role.SECRETARIAT}),
    "call.view_drafts": frozenset({Role.SECRETARIAT}),
    "clarification.ask": frozenset({Role.NGO}),
    "clarification.answer": frozenset({Role.SECRETARIAT}),
    "organisation.register": frozenset({Role.NGO}),
    "organisation.view_all": frozenset({Role.SECRETARIAT}),
    "organisation.verify": frozenset({Role.SECRETARIAT}),
    "application.create": frozenset({Role.NGO}),
    "application.view_all": frozenset({Role.SECRETARIAT}),
    "application.screen": frozenset({Role.SECRETARIAT}),
    "application.assign_reviewers": frozenset({Role.SECRETARIAT}),
    "user.list": frozenset({Role.SECRETARIAT}),
    "privacy.retention": frozenset({Role.SECRETARIAT}),
    "notification.monitor": frozenset({Role.SECRETARIAT}),
    "application.confirm_priorities": frozenset({Role.SECRETARIAT}),
    "sanctions.manage": frozenset({Role.SECRETARIAT}),
    "review.manage": frozenset({Role.SECRETARIAT}),
    "review.view_all": frozenset({Role.SECRETARIAT}),
    "review.score": frozenset({Role.REVIEWER}),
    "board.vote": frozenset({Role.BOARD}),
    # The Chair is not a role: it is a BoardMembership (grants.models.board).
    "board.view": frozenset({Role.SECRETARIAT, Role.BOARD}),
    "board.manage": frozenset({Role.SECRETARIAT}),
    "grant.view_all": frozenset({Role.SECRETARIAT, Role.BOARD}),
    "grant.manage": frozenset({Role.SECRETARIAT}),
    "grant.implement": frozenset({Role.NGO}),
    "impact.view": frozenset({Role.SECRETARIAT, Role.BOARD, Role.DONOR}),
    "ranking.view": frozenset({Role.SECRETARIAT, Role.BOARD}),
    "ranking.manage": frozenset({Role.SECRETARIAT}),
    "portfolio.finalise": frozenset({Role.SECRETARIAT}),
    "donor.portal": frozenset({Role.DONOR}),
    "donor.manage": frozenset({Role.SECRETARIAT}),
    "report.view_internal": frozenset({Role.SECRETARIAT, Role.BOARD, Role.DONOR}),
}


def roles_of(user) -> frozenset[str]:
    """The user's role names, cached on the instance (one query per request at most)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_fund_roles", None)
    if cached is None:
        valid = set(Role.values)
        cached = frozenset(n for n in user.groups.values_list("name", flat=True) if n in valid)
        user._fund_roles = cached
    return cached


def role_labels(roles) -> list[str]:
    """Role names as people read them, in the active language, in the order given (an
    unknown name is kept as it is)."""
    return [str(Role(r).label) if r in Role.values else r for r in roles or []]


def has_role(user, role: str) -> bool:
    return role in roles_of(user)


def user_can(user, capability: str) -> bool:
    allowed = CAPABILITIES[capability]
    return bool(roles_of(user) & allowed)


def grant_role(user, role: str) -> None:
    from django.contrib.auth.models import Group

    group, _created = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    user._fund_roles = None
