"""Invitations by e-mail: an organisation's admins invite colleagues (with a role), the
secretariat invites staff (with roles and details, see ``grants.services.people``).

The raw token exists only in the e-mailed link; the database keeps its SHA-256. A link works
once, until it expires (``INVITATION_TTL_DAYS``) or is revoked; any other token is a 404.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fundapp.accounts.models import User
from fundapp.accounts.roles import Role, grant_role, user_can
from fundapp.accounts.selectors import email_in_use
from fundapp.core.audit import audit_record
from fundapp.core.errors import Errors, NotAllowed, NotFound, StateConflict, ValidationFailed
from fundapp.core.locks import lock
from fundapp.notifications.services import notify, notify_address
from grants.models import Invitation, Membership, Organisation, OrgRole

from .members import MEMBERS_URL, require_org_role


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str) -> str:
    return f"/invitations/{token}/"


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ValidationFailed.on("email", _("Enter a valid e-mail address.")) from None
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def _check_org_invitation(actor, organisation: Organisation, email: str, role: str) -> None:
    require_org_role(actor, organisation, OrgRole.ADMIN)
    if role not in OrgRole.values:
        raise ValidationFailed.on("role", _("Choose admin, editor or viewer."))
    if Membership.objects.filter(organisation=organisation,
                                 user__email__iexact=email).exists():
        raise ValidationFailed.on(
            "email",
            _("A member of %(org)s already uses this address.") % {"org": organisation.name})


def _check_staff_invitation(actor, email: str, roles) -> None:
    if not user_can(actor, "user.list"):
        raise NotAllowed()
    if not roles or set(roles) - set(Role.values) or Role.NGO in roles:
        raise ValidationFailed.on("roles", _("Choose at least one staff role."))
    if email_in_use(email):
        raise ValidationFailed.on(
            "email",
            _("An account with this address exists: change its roles in People instead."))


def _replace_pending(actor, organisation, email: str) -> None:
    """A new invitation to the same address replaces the one still pending."""
    now = timezone.now()
    for old in Invitation.objects.pending(now).filter(organisation=organisation,
                                                      email__iexact=email):
        old.revoked_at, old.revoked_by = now, actor
        old.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(actor=actor, verb="invitation.replace", target=old)


@transaction.atomic
def invitation_create(*, actor, email: str, organisation: Organisation | None = None,
                      role: str = "", roles=(), details: dict | None = None,
                      ) -> tuple[Invitation, str]:
    """Record an invitation and e-mail its link; returns it with the raw token."""
    email = _clean_email(email)
    roles = sorted(set(roles or ()))
    if organisation is not None:
        organisation = lock(Organisation, organisation.pk)
        _check_org_invitation(actor, organisation, email, role)
        roles = []
    else:
        _check_staff_invitation(actor, email, roles)
        role = ""
    _replace_pending(actor, organisation, email)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email, organisation=organisation, role=role, roles=roles,
        details=details or {}, token_hash=token_hash(token), invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS))
    audit_record(actor=actor, verb="invitation.create", target=invitation,
                 after={"email": email, "organisation": organisation.pk if organisation
                        else None, "role": role, "roles": roles})
    notify_address(email=email, kind="invitation", language=actor.language or "en",
                   target=invitation, data=_invitation_data(invitation, token))
    return invitation, token


def _invitation_data(invitation: Invitation, token: str) -> dict:
    return {"organisation": invitation.organisation.name if invitation.organisation else "",
            "role": invitation.role, "roles": invitation.roles,
            "inviter": invitation.invited_by.display_name,
            "expires_at": invitation.expires_at.isoformat(), "url": invitation_url(token)}


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    if invitation.organisation_id is not None:
        require_org_role(actor, invitation.organisation_id, OrgRole.ADMIN)
    elif not user_can(actor, "user.list"):
        raise NotAllowed()
    invitation = lock(Invitation, invitation.pk)
    if not invitation.is_pending:
        raise StateConflict(_("This invitation was already used, revoked or has expired."))
    invitation.revoked_at, invitation.revoked_by = timezone.now(), actor
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(actor=actor, verb="invitation.revoke", target=invitation,
                 before={"pending": True}, after={"pending": False})
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The pending invitation of a link, for its landing page; NotFound otherwise."""
    invitation = (Invitation.objects.pending().select_related("organisation", "invited_by")
                  .filter(token_hash=token_hash(token or "")).first())
    if invitation is None:
        raise NotFound(_("This invitation link is not valid: it was used, revoked or has "
                         "expired. Ask for a new one."))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User | None = None, username: str | None = None,
                      password: str | None = None, first_name: str = "",
                      last_name: str = "") -> User:
    """Signed in (``user``): join. Anonymous: create the account (the invited address,
    verified, with the person's name: e-mails greet them and histories show it) and join.
    Returns the member."""
    found = invitation_for_token(token)
    invitation = lock(Invitation, found.pk)
    if not invitation.is_pending:  # accepted or revoked by a concurrent request
        raise NotFound(_("This invitation link is not valid any more."))
    if user is not None and getattr(user, "is_authenticated", False):
        if invitation.organisation_id is not None:
            _check_can_join(user, invitation)
    else:
        user = _create_account(invitation, username or "", password or "",
                               (first_name or "").strip(), (last_name or "").strip())
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(actor=user, verb="invitation.accept", target=invitation)
    if invitation.organisation_id is not None:
        _join(user, invitation)
    else:
        from grants.services.people import apply_staff_invitation

        apply_staff_invitation(invitation, user)
    return user


def _check_can_join(user: User, invitation: Invitation) -> None:
    current = Membership.objects.select_related("organisation").filter(user=user).first()
    if current is None:
        return
    if current.organisation_id == invitation.organisation_id:
        raise StateConflict(_("You are already a member of %(org)s.")
                            % {"org": current.organisation.name})
    raise StateConflict(_("You already belong to %(org)s: a person belongs to one "
                          "organisation. Leave it first, or accept with another account.")
                        % {"org": current.organisation.name})


def _create_account(invitation: Invitation, username: str, password: str,
                    first_name: str = "", last_name: str = "") -> User:
    errors = Errors()
    username = username.strip()
    if not username:
        errors["username"] = [_("Choose a username.")]
    else:
        try:
            User._meta.get_field("username").run_validators(username)
        except DjangoValidationError as exc:
            errors["username"] = list(exc.messages)
        if User.objects.filter(username__iexact=username).exists():
            errors["username"] = [_("This username is taken.")]
    if email_in_use(invitation.email):
        errors["email"] = [_("An account with this address exists: sign in, then open the "
                             "invitation link again.")]
    candidate = User(username=username, email=invitation.email)
    try:
        validate_password(password, candidate)
    except DjangoValidationError as exc:
        errors["password"] = list(exc.messages)
    errors.raise_if_any()
    language = (invitation.invited_by.language if invitation.invited_by else "") or "en"
    return User.objects.create_user(username=username, email=invitation.email,
                                    password=password, language=language,
                                    first_name=first_name[:150], last_name=last_name[:150],
                                    email_verified=True, is_active=True)


def _join(user: User, invitation: Invitation) -> None:
    org = lock(Organisation, invitation.organisation_id)
    membership = Membership.objects.create(user=user, organisation=org, role=invitation.role,
                                           invited_by=invitation.invited_by)
    grant_role(user, Role.NGO)
    audit_record(actor=user, verb="organisation.member_join", target=org,
                 after={"user": user.pk, "username": user.username, "role": membership.role,
                        "invitation": invitation.pk})
    admins = {m.user_id: m.user for m in Membership.objects.select_related("user").filter(
        organisation=org, role=OrgRole.ADMIN, user__is_active=True).exclude(user=user)}
    if invitation.invited_by is not None and invitation.invited_by.is_active:
        admins.setdefault(invitation.invited_by_id, invitation.invited_by)
    notify(recipients=list(admins.values()), kind="invitation_accepted", target=org,
           data={"organisation": org.name, "name": user.display_name,
                 "email": user.email, "role": membership.role, "url": MEMBERS_URL})
