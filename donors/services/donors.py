"""Writes on donors and the portal accounts linked to them."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from donors.models import Donor, DonorType
from fundapp.accounts.roles import Role, grant_role
from fundapp.core.audit import audit_record
from fundapp.core.errors import Errors, ValidationFailed
from fundapp.core.locks import lock

from .common import require_manager

FIELDS = ("name", "donor_type", "country", "contact_name", "contact_email", "contact_phone",
          "address", "anonymous", "language", "notes")


def _validate(values: dict, *, creating: bool) -> Errors:
    errors = Errors()
    unknown = set(values) - set(FIELDS)
    if unknown:
        errors.add("__all__", _("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if creating or "name" in values:
        if not (values.get("name") or "").strip():
            errors.add("name", _("Enter the donor's name."))
    if (creating or "donor_type" in values) and values.get("donor_type") not in DonorType.values:
        errors.add("donor_type", _("Choose the type of donor."))
    country = values.get("country") or ""
    if country and str(country).upper() not in countries:
        errors.add("country", _("Unknown country code: %(c)s") % {"c": str(country)[:12]})
    if "language" in values and values["language"] not in dict(settings.LANGUAGES):
        errors.add("language", _("Receipts are written in English or French."))
    return errors


def _snapshot(donor: Donor) -> dict:
    return {f: getattr(donor, f) for f in FIELDS}


def _apply(donor: Donor, values: dict) -> None:
    for field in FIELDS:
        if field not in values:
            continue
        value = values[field]
        if field == "country":
            value = str(value or "").upper()
        elif isinstance(value, str):
            value = value.strip()
        setattr(donor, field, value if value is not None else "")


@transaction.atomic
def donor_create(*, actor, values: dict) -> Donor:
    require_manager(actor)
    errors = _validate(values, creating=True)
    errors.raise_if_any()
    donor = Donor()
    _apply(donor, values)
    donor.save()
    audit_record(actor=actor, verb="donor.create", target=donor, after=_snapshot(donor))
    return donor


@transaction.atomic
def donor_update(*, actor, donor: Donor, values: dict) -> Donor:
    require_manager(actor)
    errors = _validate(values, creating=False)
    errors.raise_if_any()
    donor = lock(Donor, donor.pk)
    before = _snapshot(donor)
    _apply(donor, values)
    donor.save()
    audit_record(actor=actor, verb="donor.update", target=donor, before=before,
                 after=_snapshot(donor))
    return donor


@transaction.atomic
def donor_link_user(*, actor, donor: Donor, user) -> Donor:
    """Give ``user`` access to ``donor``'s records in the portal (and the donor role)."""
    require_manager(actor)
    if user is None or not user.is_active:
        raise ValidationFailed.on("user", _("Choose an active user account."))
    donor = lock(Donor, donor.pk)
    donor.users.add(user)
    grant_role(user, Role.DONOR)
    audit_record(actor=actor, verb="donor.link_user", target=donor,
                 after={"user": user.username})
    return donor


@transaction.atomic
def donor_unlink_user(*, actor, donor: Donor, user) -> Donor:
    require_manager(actor)
    donor = lock(Donor, donor.pk)
    donor.users.remove(user)
    audit_record(actor=actor, verb="donor.unlink_user", target=donor,
                 before={"user": user.username})
    return donor
