"""Writes on an organisation's members: roles, removal, leaving; and the one guard every
service of an organisation's work asks (``require_org_role``).

The organisation always keeps at least one admin: the last one can neither leave, be removed
nor be demoted. Membership changes of one organisation are serialised on its row.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from fundapp.core.audit import audit_record
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.core.locks import lock
from fundapp.notifications.services import notify
from grants.models import Membership, Organisation, OrgRole

MEMBERS_URL = "/organisation/members/"


def require_org_role(actor, organisation, *roles: str) -> Membership:
    """The actor's membership of ``organisation`` (an id or an instance) if it has one of
    ``roles``; NotAllowed otherwise. Read fresh from the database, never from a cache."""
    org_id = getattr(organisation, "pk", organisation)
    membership = None
    if getattr(actor, "is_authenticated", False) and actor.is_active:
        membership = Membership.objects.filter(user=actor, organisation_id=org_id).first()
    if membership is None:
        raise NotAllowed()
    if membership.role not in roles:
        raise NotAllowed(_("Your role in %(org)s (%(role)s) does not allow this.")
                         % {"org": membership.organisation.name,
                            "role": membership.get_role_display().lower()})
    return membership


def _snapshot(membership: Membership) -> dict:
    return {"user": membership.user_id, "username": membership.user.username,
            "role": membership.role}


def _other_admins(membership: Membership) -> int:
    return (Membership.objects.filter(organisation_id=membership.organisation_id,
                                      role=OrgRole.ADMIN, user__is_active=True)
            .exclude(pk=membership.pk).count())


def _locked_member(membership: Membership) -> tuple[Organisation, Membership]:
    org = lock(Organisation, membership.organisation_id)
    fresh = (Membership.objects.select_related("user", "organisation")
             .filter(pk=membership.pk, organisation=org).first())
    if fresh is None:
        raise StateConflict(_("This person is no longer a member of the organisation."))
    return org, fresh


@transaction.atomic
def member_change_role(*, actor, membership: Membership, role: str) -> Membership:
    """An admin gives a member another role; the last admin is never demoted."""
    if role not in OrgRole.values:
        raise ValidationFailed.on("role", _("Choose admin, editor or viewer."))
    require_org_role(actor, membership.organisation_id, OrgRole.ADMIN)
    org, member = _locked_member(membership)
    if member.role == role:
        return member
    if member.role == OrgRole.ADMIN and _other_admins(member) == 0:
        raise StateConflict(_("%(name)s is the last administrator of %(org)s: make another "
                              "member an administrator first.")
                            % {"name": member.user.display_name, "org": org.name})
    before = _snapshot(member)
    member.role = role
    member.save(update_fields=["role"])
    audit_record(actor=actor, verb="membership.role_change", target=member, before=before,
                 after=_snapshot(member))
    audit_record(actor=actor, verb="organisation.member_role_change", target=org,
                 before=before, after=_snapshot(member))
    notify(recipients=[member.user], kind="member_role_changed", target=org,
           data={"organisation": org.name, "role": role, "by": actor.display_name,
                 "url": MEMBERS_URL})
    return member


@transaction.atomic
def member_remove(*, actor, membership: Membership) -> None:
    """An admin removes a member, or a member leaves; the last admin cannot go."""
    leaving = membership.user_id == actor.pk
    if leaving:
        require_org_role(actor, membership.organisation_id, *OrgRole.values)
    else:
        require_org_role(actor, membership.organisation_id, OrgRole.ADMIN)
    org, member = _locked_member(membership)
    if member.role == OrgRole.ADMIN and _other_admins(member) == 0:
        message = (_("You are the last administrator of %(org)s: make another member an "
                     "administrator before you leave.") if leaving else
                   _("%(name)s is the last administrator of %(org)s and cannot be removed."))
        raise StateConflict(message % {"name": member.user.display_name, "org": org.name})
    before, user = _snapshot(member), member.user
    member.delete()
    audit_record(actor=actor, verb="organisation.member_leave" if leaving
                 else "organisation.member_remove", target=org, before=before)
    if not leaving:
        notify(recipients=[user], kind="member_removed", target=org,
               data={"organisation": org.name, "by": actor.display_name, "url": "/"})
