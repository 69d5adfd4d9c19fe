"""People: the secretariat invites staff, changes roles, deactivates and reactivates accounts.

A deactivated account can no longer sign in or use an API token (``is_active`` off, its
sessions ended and its tokens revoked); its pending work (reviews not submitted, open Board
votes) is listed for reassignment (``grants.selectors.people.pending_work_of``).
"""

from datetime import date

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from fundapp.accounts.models import User
from fundapp.accounts.roles import Role, grant_role, roles_of, user_can
from fundapp.core.audit import audit_record
from fundapp.core.errors import Errors, NotAllowed, StateConflict, ValidationFailed
from fundapp.core.locks import lock
from fundapp.notifications.services import notify
from grants.models import BoardRole
from grants.selectors.people import (
    PERSON_CLEAR_VERB,
    pending_work_of,
    person_sanctions_matches,
    secretariat_count,
    uncleared_person_matches,
)

# The roles the People section gives; an NGO user's role comes with their organisation.
STAFF_ROLES = (Role.SECRETARIAT, Role.REVIEWER, Role.BOARD, Role.DONOR)


def _require(actor) -> None:
    if not user_can(actor, "user.list"):
        raise NotAllowed()


def _lock_secretariat() -> None:
    """Serialise changes that could leave the fund without an active secretariat user."""
    group, _created = Group.objects.get_or_create(name=Role.SECRETARIAT)
    lock(Group, group.pk)


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.on("reason", _("Give a reason."))
    return reason


def _check_last_secretariat(user: User) -> None:
    if Role.SECRETARIAT in roles_of(user) and user.is_active \
            and secretariat_count(exclude=user) == 0:
        raise StateConflict(_("%(name)s is the last active secretariat user: give another "
                              "person the secretariat role first.") % {
                                  "name": user.display_name})


def _refuse_closed(user: User) -> None:
    """A closed (anonymised) account is gone for good: it gets no role and no new access."""
    if user.anonymised_at is not None:
        raise StateConflict(_("This account was closed and its personal data erased: it "
                              "cannot be used again. Invite the person anew if they return."))


def _people_url(user: User) -> str:
    return f"/manage/people/{user.pk}/"


# --- roles -------------------------------------------------------------------------------


def _clean_roles(roles) -> set[str]:
    roles = set(roles or [])
    unknown = sorted(roles - set(STAFF_ROLES))
    if unknown:
        raise ValidationFailed.on(
            "roles", _("Unknown role: %(roles)s.") % {"roles": ", ".join(unknown)})
    return roles


@transaction.atomic
def user_roles_set(*, actor, user: User, roles) -> User:
    """Give ``user`` exactly these staff roles (an NGO user's role stays with their
    organisation). The secretariat keeps one active member, and nobody drops their own
    secretariat role."""
    _require(actor)
    wanted = _clean_roles(roles)
    _lock_secretariat()
    user = lock(User, user.pk)
    _refuse_closed(user)
    before = sorted(roles_of(user))
    losing_secretariat = Role.SECRETARIAT in before and Role.SECRETARIAT not in wanted
    if losing_secretariat and user.pk == actor.pk:
        raise StateConflict(_("You cannot remove your own secretariat role."))
    if losing_secretariat:
        _check_last_secretariat(user)
    kept = [r for r in before if r not in STAFF_ROLES]
    user.groups.set([Group.objects.get_or_create(name=r)[0] for r in sorted(wanted) + kept])
    user._fund_roles = None
    after = sorted(roles_of(user))
    if after != before:
        audit_record(actor=actor, verb="user.roles_set", target=user,
                     before={"roles": before}, after={"roles": after})
        notify(recipients=[user], kind="account_roles_changed", target=user,
               data={"roles": after, "url": "/"})
    return user


# --- deactivation ------------------------------------------------------------------------


def _end_access(user: User) -> None:
    from fundapp.accounts.services import sessions_end, tokens_revoke

    sessions_end(user)
    tokens_revoke(user)


def _notify_pending_work(actor, user: User) -> None:
    work = pending_work_of(user)
    if not work:
        return
    colleagues = [u for u in User.objects.filter(is_active=True, groups__name=Role.SECRETARIAT)
                  .distinct() if u.pk != actor.pk]
    notify(recipients=colleagues or [actor], kind="account_deactivated_work", target=user,
           data={"name": user.display_name, "reviews": len(work.reviews),
                 "sessions": len(work.sessions), "url": _people_url(user)})


@transaction.atomic
def user_deactivate(*, actor, user: User, reason: str) -> User:
    """The account can no longer sign in nor use a token; its pending work awaits
    reassignment."""
    _require(actor)
    reason = _reason(reason)
    if user.pk == actor.pk:
        raise StateConflict(_("You cannot deactivate your own account."))
    _lock_secretariat()
    user = lock(User, user.pk)
    if not user.is_active:
        raise StateConflict(_("This account is already deactivated."))
    _check_last_secretariat(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    _end_access(user)
    audit_record(actor=actor, verb="user.deactivate", target=user,
                 before={"is_active": True}, after={"is_active": False}, note=reason)
    _notify_pending_work(actor, user)
    return user


@transaction.atomic
def user_reactivate(*, actor, user: User, reason: str) -> User:
    _require(actor)
    reason = _reason(reason)
    user = lock(User, user.pk)
    _refuse_closed(user)
    if user.is_active:
        raise StateConflict(_("This account is active."))
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(actor=actor, verb="user.reactivate", target=user,
                 before={"is_active": False}, after={"is_active": True}, note=reason)
    notify(recipients=[user], kind="account_reactivated", target=user, data={"url": "/"})
    return user


# --- staff invitations -------------------------------------------------------------------


def _day(value, field: str, errors: dict, required: bool) -> str:
    if value in (None, ""):
        if required:
            errors[field] = [_("Give a date.")]
        return ""
    day = value if isinstance(value, date) else parse_date(str(value))
    if day is None:
        errors[field] = [_("Give a date as YYYY-MM-DD.")]
        return ""
    return day.isoformat()


def _board_details(details: dict, errors: dict) -> dict:
    start = _day(details.get("term_start"), "term_start", errors, required=True)
    end = _day(details.get("term_end"), "term_end", errors, required=False)
    if start and end and end < start:
        errors["term_end"] = [_("A term ends on or after the day it starts.")]
    role = details.get("board_role") or BoardRole.MEMBER
    if role not in BoardRole.values:
        errors["board_role"] = [_("Chair or member.")]
    return {"term_start": start, "term_end": end, "board_role": role}


def _donor_details(actor, details: dict, errors: dict) -> dict:
    from donors.selectors.donors import donors_visible_to

    donor = details.get("donor")
    try:
        donor = int(donor)
    except (TypeError, ValueError, OverflowError):
        donor = None
    if donor is None or not donors_visible_to(actor).filter(pk=donor).exists():
        errors["donor"] = [_("Choose the donor this person works for.")]
    return {"donor": donor}


def _reviewer_details(details: dict) -> dict:
    return {"expertise": str(details.get("expertise") or "").strip()[:1500],
            "languages": str(details.get("languages") or "").strip()[:200],
            "is_external": bool(details.get("is_external", True))}


def staff_invitation_details(actor, roles, details: dict | None) -> tuple[list[str], dict]:
    """The roles and the details each role needs (reviewer: expertise and languages; Board:
    the term; donor staff: the donor record), checked before anything is sent."""
    wanted, details, errors = _clean_roles(roles), dict(details or {}), Errors()
    if not wanted:
        errors["roles"] = [_("Choose at least one role.")]
    clean: dict = {}
    if Role.REVIEWER in wanted:
        clean.update(_reviewer_details(details))
    if Role.BOARD in wanted:
        clean.update(_board_details(details, errors))
    if Role.DONOR in wanted:
        clean.update(_donor_details(actor, details, errors))
    errors.raise_if_any()
    return sorted(wanted), clean


@transaction.atomic
def staff_invite(*, actor, email: str, roles, details: dict | None = None):
    """Invite a reviewer, a Board member, donor staff or a secretariat colleague by e-mail."""
    from grants.services.invitations import invitation_create

    _require(actor)
    roles, details = staff_invitation_details(actor, roles, details)
    invitation, _token = invitation_create(actor=actor, email=email, roles=roles,
                                           details=details)
    return invitation


def _reviewer_profile(actor, user: User, details: dict) -> None:
    from grants.services.reviews import reviewer_profile_update

    expertise = details.get("expertise", "")
    if details.get("languages"):
        # The profile has no languages field yet: they are kept with the expertise.
        expertise = "\n".join(filter(None, [
            expertise, _("Languages: %(languages)s") % {"languages": details["languages"]}]))
    reviewer_profile_update(actor=actor, user=user, values={
        "expertise": expertise, "is_external": details.get("is_external", True)})


def _board_seat(actor, user: User, details: dict) -> None:
    from grants.services.board import board_membership_add

    board_membership_add(actor=actor, user=user, role=details.get("board_role") or "member",
                         term_start=parse_date(details["term_start"]),
                         term_end=parse_date(details["term_end"]) if details.get("term_end")
                         else None)


def _donor_link(actor, user: User, details: dict) -> None:
    from donors.selectors.donors import get_donor_for
    from donors.services.donors import donor_link_user

    donor_link_user(actor=actor, donor=get_donor_for(actor, details["donor"]), user=user)


def apply_staff_invitation(invitation, user: User) -> None:
    """Give the person who accepted a staff invitation its roles and what goes with them:
    the reviewer's profile in the pool, the Board seat for the term, the donor record.
    Runs inside the acceptance's transaction; the sender is the acting secretariat user."""
    actor = invitation.invited_by
    if actor is None or not user_can(actor, "user.list"):
        raise StateConflict(_("This invitation was sent by someone who can no longer give "
                              "these roles: ask the secretariat for a new one."))
    roles, details = set(invitation.roles or []), invitation.details or {}
    for role in sorted(roles & set(STAFF_ROLES)):
        grant_role(user, role)
    if Role.REVIEWER in roles:
        _reviewer_profile(actor, user, details)
    if Role.BOARD in roles:
        _board_seat(actor, user, details)
    if Role.DONOR in roles:
        _donor_link(actor, user, details)
    audit_record(actor=actor, verb="user.invitation_applied", target=user,
                 after={"roles": sorted(roles_of(user)), "invitation": invitation.pk})


# --- sanctions screening of people -------------------------------------------------------


@transaction.atomic
def person_sanctions_match_clear(*, actor, person: User, entry_reference: str,
                                 matched_name: str, reason: str):
    """The secretariat records why a Board member is not the listed person (audited; the
    audit row is the clearance, matched again on the same name, entry and listed name)."""
    if not user_can(actor, "application.screen"):
        raise NotAllowed()
    reason = _reason(reason)
    person = lock(User, person.pk)
    match = next((m for m in person_sanctions_matches(person)
                  if (m.entry_reference, m.matched_name) == (entry_reference, matched_name)),
                 None)
    if match is None:
        raise ValidationFailed(_("This possible match is not on the list in force."))
    if match.is_cleared:
        raise StateConflict(_("This possible match is already cleared."))
    audit_record(actor=actor, verb=PERSON_CLEAR_VERB, target=person, note=reason,
                 after={"subject_value": match.subject_value, "entry": match.entry_reference,
                        "listed_name": match.entry_name, "matched_name": match.matched_name,
                        "score": match.score})
    return match


def board_member_check_sanctions(member: User) -> None:
    """A Board member with an uncleared possible sanctions match does not vote."""
    if uncleared_person_matches(member):
        raise StateConflict(_("Your votes are on hold: your name is a possible match on the "
                              "sanctions list, which the secretariat has not cleared yet."))


def board_member_screen(*, member: User, sanctions_list=None) -> int:
    """Tell the secretariat when a Board member's name is a possible match on the list in
    force (on taking a seat and on each new list); returns the uncleared matches."""
    uncleared = uncleared_person_matches(member)
    if not uncleared:
        return 0
    staff = list(User.objects.filter(is_active=True, groups__name=Role.SECRETARIAT).distinct())
    key = f"sanctions_person_match:{member.pk}:{getattr(sanctions_list, 'pk', '')}:" \
          f"{len(uncleared)}"
    notify(recipients=staff, kind="sanctions_person_match", target=member, dedupe_key=key,
           data={"name": member.display_name, "matches": len(uncleared),
                 "url": _people_url(member)})
    return len(uncleared)


def board_members_screen(*, sanctions_list=None) -> int:
    """Screen every Board member with a current or future term (after a list import)."""
    from django.db.models import Q
    from django.utils import timezone

    from grants.models import BoardMembership

    today = timezone.localdate()
    ids = (BoardMembership.objects.filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
           .values_list("user", flat=True).distinct())
    return sum(board_member_screen(member=m, sanctions_list=sanctions_list)
               for m in User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))
