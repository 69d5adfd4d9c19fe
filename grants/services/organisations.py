"""Writes on organisations: self-registration, profile updates, verification."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries as all_countries
from django_fsm import can_proceed

from fundapp.accounts.models import User
from fundapp.accounts.roles import Role, grant_role, user_can
# E-mail confirmation is the ground floor's; re-exported for the callers that import it here.
from fundapp.accounts.services import (  # noqa: F401
    EMAIL_TOKEN_SALT,
    email_verification_send,
    email_verify,
)
from fundapp.core.audit import audit_record
from fundapp.core.errors import Errors, NotAllowed, ValidationFailed
from fundapp.core.formatting import run_on
from fundapp.core.fsm import run_transition
from fundapp.core.locks import lock
from fundapp.notifications.services import notify
from grants.models import Membership, Organisation, OrgRole
from grants.models.organisations import VERIFICATION_CHECKS

ORG_FIELDS = (
    "name", "country", "registration_number", "year_founded", "contact_name", "contact_email",
    "contact_phone", "website", "address", "annual_budget_usd", "un_partner_portal_id",
    "psea_declaration", "track_record",
)


def _validate_org(values: dict, *, exclude_pk=None) -> None:
    errors = Errors()
    for field in ("name", "country", "registration_number"):
        if not values.get(field):
            errors.add(field, _("This field is required."))
    if values.get("country") and str(values["country"]) not in all_countries:
        errors.add("country", _("Unknown country code."))
    year = values.get("year_founded")
    if year is not None and not 1800 <= year <= timezone.now().year:
        errors.add("year_founded", _("Enter a year between 1800 and now."))
    budget = values.get("annual_budget_usd")
    if budget is not None and budget < 0:
        errors.add("annual_budget_usd", _("Must not be negative."))
    if not values.get("psea_declaration"):
        errors.add("psea_declaration", _("The safeguarding / PSEA declaration is required."))
    duplicate = Organisation.objects.filter(
        country=values.get("country"), registration_number=values.get("registration_number"))
    if exclude_pk:
        duplicate = duplicate.exclude(pk=exclude_pk)
    if values.get("registration_number") and duplicate.exists():
        errors.add("registration_number",
                   _("An organisation with this registration number is already registered in "
                     "this country. Ask its administrator to add you."))
    errors.raise_if_any()


@transaction.atomic
def ngo_register(*, username: str, email: str, password: str, language: str,
                 organisation: dict) -> User:
    """Self-registration: an inactive user and a pending organisation; e-mail confirms."""
    errors = Errors()
    if User.objects.filter(username__iexact=username).exists():
        errors.add("username", _("This username is taken."))
    if User.objects.filter(email__iexact=email).exists():
        errors.add("email", _("An account with this e-mail address exists."))
    candidate = User(username=username, email=email)
    try:
        validate_password(password, candidate)
    except DjangoValidationError as exc:
        for message in exc.messages:
            errors.add("password", message)
    try:
        _validate_org(organisation)
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
    errors.raise_if_any()
    user = User.objects.create_user(username=username, email=email, password=password,
                                    language=language or "en", is_active=False)
    grant_role(user, Role.NGO)
    org = Organisation.objects.create(**{k: organisation.get(k) for k in ORG_FIELDS
                                         if organisation.get(k) is not None})
    Membership.objects.create(user=user, organisation=org, role=OrgRole.ADMIN)
    audit_record(actor=user, verb="organisation.register", target=org)
    email_verification_send(user=user)
    return user


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, values: dict) -> Organisation:
    org = lock(Organisation, organisation.pk)
    # The profile is the admins' (the secretariat may correct it too).
    is_member = Membership.objects.filter(user=actor, organisation=org,
                                          role=OrgRole.ADMIN).exists()
    if not (is_member or user_can(actor, "organisation.verify")):
        raise NotAllowed()
    merged = {f: getattr(org, f) for f in ORG_FIELDS} | values
    _validate_org(merged, exclude_pk=org.pk)
    before = {f: getattr(org, f) for f in values}
    identity_changed = any(
        f in values and values[f] != getattr(org, f)
        for f in ("name", "country", "registration_number"))
    for key, value in values.items():
        setattr(org, key, value)
    if identity_changed and is_member and can_proceed(org.ask_verification_again):
        org.ask_verification_again()  # a new identity must be verified again
    org.save()
    audit_record(actor=actor, verb="organisation.update", target=org, before=before,
                 after={f: getattr(org, f) for f in values})
    return org


@transaction.atomic
def organisation_verify(*, actor, organisation: Organisation, approve: bool,
                        checklist: dict | None = None, reason: str = "") -> Organisation:
    """Verify (every checklist item ticked) or reject (a reason is required)."""
    if not user_can(actor, "organisation.verify"):
        raise NotAllowed()
    org = lock(Organisation, organisation.pk)
    checklist = {k: bool((checklist or {}).get(k)) for k in VERIFICATION_CHECKS}
    reason = (reason or "").strip()
    if approve and not all(checklist.values()):
        missing = [str(VERIFICATION_CHECKS[k]) for k, ok in checklist.items() if not ok]
        raise ValidationFailed.on(
            "checklist",
            _("Complete the checklist before verifying: %(items)s") % {"items": run_on(missing)})
    if not approve and not reason:
        raise ValidationFailed.on("reasons", _("Give the reasons for rejection."))
    before = {"status": org.status}
    run_transition(org.verify if approve else org.reject,
                   _("The organisation is already %(status)s.")
                   % {"status": org.get_status_display().lower()},
                   by=actor, checklist=checklist, reason=reason)
    org.save()
    audit_record(actor=actor, verb="organisation.verify" if approve else "organisation.reject",
                 target=org, before=before, after={"status": org.status, "reason": reason},
                 note=reason)
    members = [m.user for m in org.memberships.select_related("user") if m.user.is_active]
    notify(recipients=members,
           kind="organisation_verified" if approve else "organisation_rejected", target=org,
           data={"organisation": org.name, "reason": reason, "url": "/organisation/"})
    return org
