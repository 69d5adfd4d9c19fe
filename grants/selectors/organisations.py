from django.db.models import Count, QuerySet
from django.http import Http404

from fundapp.accounts.roles import user_can
from grants.models import Invitation, Membership, Organisation, OrgRole


def organisations_visible_to(user) -> QuerySet[Organisation]:
    qs = (Organisation.objects.annotate(member_count=Count("memberships", distinct=True))
          .order_by("name", "id"))
    if user_can(user, "organisation.view_all"):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(memberships__user=user)


def get_organisation_for(user, pk) -> Organisation:
    org = organisations_visible_to(user).filter(pk=pk).first()
    if org is None:
        raise Http404
    return org


def organisation_of(user) -> Organisation | None:
    if not getattr(user, "is_authenticated", False):
        return None
    membership = Membership.objects.select_related("organisation").filter(user=user).first()
    return membership.organisation if membership else None


# --- members and their roles ------------------------------------------------------------

# What each organisation role may do; the one table (services guard with require_org_role,
# pages ask org_can to show or hide buttons).
ORG_CAPABILITIES: dict[str, frozenset[str]] = {
    "members.manage": frozenset({OrgRole.ADMIN}),
    "agreement.sign": frozenset({OrgRole.ADMIN}),
    "application.edit": frozenset({OrgRole.ADMIN, OrgRole.EDITOR}),
    "report.submit": frozenset({OrgRole.ADMIN, OrgRole.EDITOR}),
    "message.write": frozenset({OrgRole.ADMIN, OrgRole.EDITOR}),
}
EDITING_ROLES = (OrgRole.ADMIN, OrgRole.EDITOR)


def org_role(user, organisation) -> str | None:
    """The user's role in ``organisation`` (an id or an instance), or None for a non-member."""
    if not getattr(user, "is_authenticated", False) or organisation is None:
        return None
    org_id = getattr(organisation, "pk", organisation)
    membership = _membership_cached(user)
    if membership is None or membership.organisation_id != org_id:
        return None
    return membership.role


def _membership_cached(user) -> Membership | None:
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def org_can(user, organisation, capability: str) -> bool:
    return org_role(user, organisation) in ORG_CAPABILITIES[capability]


def members_of(organisation) -> QuerySet[Membership]:
    """Members with their user (and last sign-in), admins first, then by name."""
    from django.db.models import Case, IntegerField, Value, When

    order = Case(When(role=OrgRole.ADMIN, then=Value(0)), When(role=OrgRole.EDITOR, then=Value(1)),
                 default=Value(2), output_field=IntegerField())
    return (Membership.objects.filter(organisation=organisation)
            .select_related("user", "invited_by")
            .annotate(role_order=order)
            .order_by("role_order", "user__last_name", "user__username", "pk"))


def get_member_for(user, organisation, pk) -> Membership:
    """A member of ``organisation`` that ``user`` may see (members and secretariat); else 404."""
    get_organisation_for(user, organisation.pk)
    membership = members_of(organisation).filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


def pending_invitations_of(organisation) -> QuerySet[Invitation]:
    return (Invitation.objects.pending().filter(organisation=organisation)
            .select_related("invited_by").order_by("expires_at", "pk"))


def get_invitation_for(user, organisation, pk) -> Invitation:
    """A pending invitation of ``organisation`` its admins may see; else 404."""
    if not org_can(user, organisation, "members.manage"):
        raise Http404
    invitation = pending_invitations_of(organisation).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def can_edit_applications(user) -> bool:
    """Whether the user's organisation role lets them draft and submit (admins, editors)."""
    membership = _membership_cached(user) if getattr(user, "is_authenticated", False) else None
    return membership is not None and membership.role in EDITING_ROLES
