"""Writes on deadline extensions (secretariat only).

An extension is for one application (on its call) or for one organisation on a call: the
latter covers all of that organisation's applications to the call, drafts included, and lets
it start one while the extension runs (``grants.selectors.extensions.organisation_may_start``).
A later extension for the same application or organisation on the same call replaces the
earlier one: the earlier row is revoked (kept, with its history) and a new row is written.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fundapp.accounts.roles import user_can
from fundapp.core.audit import audit_record
from fundapp.core.errors import Errors, NotAllowed, StateConflict
from fundapp.core.locks import lock
from fundapp.notifications.services import notify
from grants.models import (
    Application,
    ApplicationStatus,
    Call,
    DeadlineExtension,
    Membership,
    Organisation,
)
from grants.selectors.extensions import EXTENDABLE_CALL_STATUSES

REASON_MAX = 4000


def _require_secretariat(actor) -> None:
    if not user_can(actor, "call.manage"):
        raise NotAllowed()


def _check_request(call: Call, application, organisation, until, reason: str) -> None:
    errors = Errors()
    if (application is None) == (organisation is None):
        errors.add("organisation", _("Extend the deadline of one application or of one "
                                     "organisation."))
    if application is not None and application.call_id != call.pk:
        errors.add("application", _("This application is not on this call."))
    if not reason:
        errors.add("reason", _("Say why the deadline is extended."))
    elif len(reason) > REASON_MAX:
        errors.add("reason", _("At most 4,000 characters."))
    if until is None:
        errors.add("until", _("Give the new deadline."))
    elif until <= call.closes_at:
        errors.add("until", _("The new deadline must be after the call's closing time."))
    elif until <= timezone.now():
        errors.add("until", _("The new deadline must be in the future."))
    errors.raise_if_any()


def _check_states(call: Call, application) -> None:
    if call.status not in EXTENDABLE_CALL_STATUSES:
        raise StateConflict(_("Deadlines can only be extended on a published or closed call "
                              "that the Board has not decided yet."))
    if application is not None and application.status != ApplicationStatus.DRAFT:
        raise StateConflict(_("This application is already submitted: it needs no "
                              "extension."))


def _snapshot(extension: DeadlineExtension) -> dict:
    return {"call": extension.call_id, "application": extension.application_id,
            "organisation": extension.organisation_id, "until": extension.until,
            "reason": extension.reason, "revoked_at": extension.revoked_at}


def _replace_earlier(*, call: Call, application, organisation) -> list[int]:
    """Revoke the active extension(s) for the same target; the call's row lock, taken by the
    caller, serialises extensions on a call."""
    earlier = DeadlineExtension.objects.filter(
        call=call, revoked_at__isnull=True, application=application, organisation=organisation)
    now, replaced = timezone.now(), []
    for extension in earlier:  # saved one by one, so the model's history records each
        extension.revoked_at = now
        extension.save(update_fields=["revoked_at"])
        replaced.append(extension.pk)
    return replaced


@transaction.atomic
def deadline_extend(*, actor, call: Call, until: datetime, reason: str,
                    application: Application | None = None,
                    organisation: Organisation | None = None) -> DeadlineExtension:
    """Let one application, or one organisation's applications, be submitted until ``until``
    though ``call`` has closed for everyone else."""
    _require_secretariat(actor)
    reason = (reason or "").strip()
    call = lock(Call, call.pk)
    if application is not None:
        application = lock(Application, application.pk)
    _check_request(call, application, organisation, until, reason)
    _check_states(call, application)
    replaced = _replace_earlier(call=call, application=application,
                                organisation=organisation)
    extension = DeadlineExtension.objects.create(
        call=call, application=application, organisation=organisation, until=until,
        reason=reason, granted_by=actor)
    audit_record(actor=actor, verb="deadline.extend", target=application or call,
                 after=_snapshot(extension) | {"extension": extension.pk},
                 note=_("Replaces extension %(ids)s") % {"ids": ", ".join(map(str, replaced))}
                 if replaced else "")
    _notify_extended(extension)
    return extension


def _members(extension: DeadlineExtension) -> list:
    organisation_id = extension.organisation_id or extension.application.organisation_id
    return [m.user for m in Membership.objects.filter(organisation_id=organisation_id)
            .select_related("user") if m.user.is_active]


def _notice_data(extension: DeadlineExtension) -> dict:
    app = extension.application
    # The application's page, which every member may open (the edit page is editors' only).
    url = f"/applications/{app.pk}/" if app else f"/calls/{extension.call_id}/"
    return {"call_number": extension.call.number, "title": app.title if app else "",
            "whole_organisation": app is None, "until": extension.until.isoformat(),
            "reason": extension.reason, "url": url}


def _notify_extended(extension: DeadlineExtension) -> None:
    notify(recipients=_members(extension), kind="deadline_extended",
           target=extension.application or extension.call, data=_notice_data(extension),
           dedupe_key=f"deadline_extended:{extension.pk}")


def _notify_revoked(extension: DeadlineExtension) -> None:
    """The organisation hears that the call's own deadline applies again (and when that is)."""
    data = _notice_data(extension) | {"closes_at": extension.call.closes_at.isoformat()}
    notify(recipients=_members(extension), kind="deadline_extension_revoked",
           target=extension.application or extension.call, data=data,
           dedupe_key=f"deadline_extension_revoked:{extension.pk}")


@transaction.atomic
def deadline_extension_revoke(*, actor, extension: DeadlineExtension) -> DeadlineExtension:
    """End an extension now: the call's own deadline applies again; the organisation's
    members are told."""
    _require_secretariat(actor)
    extension = lock(DeadlineExtension, extension.pk)
    if extension.revoked_at is not None:
        raise StateConflict(_("This extension has already been revoked."))
    before = _snapshot(extension)
    extension.revoked_at = timezone.now()
    extension.save(update_fields=["revoked_at"])
    audit_record(actor=actor, verb="deadline.revoke",
                 target=extension.application or extension.call, before=before,
                 after=_snapshot(extension) | {"extension": extension.pk})
    _notify_revoked(extension)
    return extension
