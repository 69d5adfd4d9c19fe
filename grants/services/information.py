"""Requests for information on a submitted application (issue 14).

The secretariat asks (``information_request``) while the application is submitted, being
screened, eligible or under review (``INFORMATION_REQUESTABLE``; not after ranking, when the
scores and the portfolio would be stale). The application moves to
``information_requested``: its organisation's editors and admins may change it and its
attachments again, with the drafting rules, and the call's deadline does not apply.
Resubmitting (``application_submit``, which hands over to ``information_request_answer``)
puts it back where it was, keeps its reference, and records the field-by-field
difference against the snapshot taken when the request was made.

Reminders go out 3 days and 1 day before the due date (``REMIND_DAYS_BEFORE``), once each;
a reminder whose window the request was made in is skipped (the request itself said so).
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fundapp.accounts.roles import Role, user_can
from fundapp.accounts.selectors import users_with_role
from fundapp.core.audit import audit_record
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.core.fsm import require_transition, run_transition
from fundapp.core.locks import lock
from fundapp.notifications.services import notify
from grants.models import Application, ApplicationStatus, InformationRequest

REMIND_DAYS_BEFORE = (3, 1)
SCALAR_FIELDS = ("title", "summary", "countries", "requested_usd", "duration_months",
                 "start_date", "services", "beneficiaries")
UNORDERED = ("countries", "services")


# --- the snapshot and the difference ----------------------------------------------------


def application_snapshot(app: Application) -> dict:
    """The application's fields, budget lines, priorities and attachments, as JSON."""
    return {
        "title": app.title,
        "summary": app.summary,
        "countries": [getattr(c, "code", c) for c in app.countries],
        "requested_usd": f"{app.requested_usd:.2f}" if app.requested_usd is not None else None,
        "duration_months": app.duration_months,
        "start_date": app.start_date.isoformat() if app.start_date else None,
        "services": list(app.services),
        "beneficiaries": app.beneficiaries,
        "budget_lines": [{"category": line.category, "description": line.description,
                          "amount": f"{line.amount:.2f}"}
                         for line in app.budget_lines.order_by("position", "id")],
        "priorities": {claim.priority.code: claim.justification
                       for claim in app.priority_claims.select_related("priority")},
        "attachments": [{"id": a.pk, "kind": a.kind, "name": a.original_name,
                         "sha256": a.sha256}
                        for a in app.attachments.order_by("uploaded_at", "id")],
    }


def _added_removed(before: list, after: list, key) -> tuple[list, list]:
    old, new = [key(x) for x in before], [key(x) for x in after]
    added = [x for x, k in zip(after, new, strict=True) if k not in old]
    removed = [x for x, k in zip(before, old, strict=True) if k not in new]
    return added, removed


def _comparable(field: str, snapshot: dict):
    """Countries and services are sets: the form sends them in its own order."""
    value = snapshot.get(field)
    return sorted(value) if field in UNORDERED and value else value


def snapshot_difference(before: dict, after: dict) -> list[dict]:
    """What changed, field by field: ``{"field", "before", "after"}`` for a value,
    ``{"field", "added", "removed"}`` for budget lines and attachments."""
    changes = [{"field": f, "before": before.get(f), "after": after.get(f)}
               for f in SCALAR_FIELDS if _comparable(f, before) != _comparable(f, after)]
    old_claims, new_claims = before.get("priorities") or {}, after.get("priorities") or {}
    if sorted(old_claims) != sorted(new_claims):
        changes.append({"field": "priorities", "before": sorted(old_claims),
                        "after": sorted(new_claims)})
    for code in sorted(set(old_claims) & set(new_claims)):
        if old_claims[code] != new_claims[code]:
            changes.append({"field": f"justification:{code}", "before": old_claims[code],
                            "after": new_claims[code]})
    line_key = lambda line: (line["category"], line["description"], line["amount"])  # noqa: E731
    added, removed = _added_removed(before.get("budget_lines") or [],
                                    after.get("budget_lines") or [], line_key)
    if added or removed:
        changes.append({"field": "budget_lines", "added": added, "removed": removed})
    added, removed = _added_removed(before.get("attachments") or [],
                                    after.get("attachments") or [], lambda a: a["id"])
    if added or removed:
        strip = lambda items: [{"kind": a["kind"], "name": a["name"]} for a in items]  # noqa: E731
        changes.append({"field": "attachments", "added": strip(added), "removed": strip(removed)})
    return changes


# --- asking -----------------------------------------------------------------------------


def _members(app: Application) -> list:
    return [m.user for m in app.organisation.memberships.select_related("user")
            if m.user.is_active]


def _data(app: Application, request: InformationRequest) -> dict:
    return {"reference": app.reference, "title": app.title,
            "organisation": app.organisation.name, "message": request.message,
            "due_on": request.due_on.isoformat(), "url": f"/applications/{app.pk}/"}


@transaction.atomic
def information_request(*, actor, application: Application, message: str,
                        due_on: date) -> InformationRequest:
    """Ask the organisation for information by ``due_on``; the application reopens to it."""
    if not user_can(actor, "application.screen"):
        raise NotAllowed()
    app = lock(Application, application.pk)
    message = (message or "").strip()
    if not message:
        raise ValidationFailed.on("message", _("Say what information is needed."))
    if due_on <= timezone.localdate():
        raise ValidationFailed.on("due_on", _("The answer's due date must be in the future."))
    if InformationRequest.objects.filter(application=app, answered_at__isnull=True).exists():
        raise StateConflict(_("This application already has an open request for "
                              "information: wait for the answer before asking again."))
    require_transition(app.request_information,
                       _("Information can be requested only on a submitted application, "
                         "before it is ranked."))
    returns_to = app.status
    request = InformationRequest.objects.create(
        application=app, message=message[:8000], due_on=due_on, returns_to=returns_to,
        snapshot=application_snapshot(app), requested_by=actor)
    app.request_information()
    app.save()
    audit_record(actor=actor, verb="application.request_information", target=app,
                 before={"status": returns_to},
                 after={"status": app.status, "due_on": due_on.isoformat()},
                 note=message[:2000])
    notify(recipients=_members(app), kind="information_requested", target=app,
           data=_data(app, request), dedupe_key=f"information-requested:{request.pk}")
    return request


# --- answering --------------------------------------------------------------------------


def information_request_answer(*, actor, application: Application) -> Application:
    """Resubmit an application answering a request: called by ``application_submit``
    inside its transaction, with the application locked and the actor's role checked.

    The call's deadline does not apply; completeness does. The reference stays.
    """
    from grants.selectors.applications import application_missing_items

    request = (InformationRequest.objects.select_for_update()
               .filter(application=application, answered_at__isnull=True).first())
    if request is None:
        raise StateConflict(_("There is no open request for information on this "
                              "application."))
    application_missing_items(application).raise_if_any()
    run_transition(application.answer_information_request,
                   _("This application is not awaiting information."), request.returns_to)
    application.save()
    request.changes = snapshot_difference(request.snapshot, application_snapshot(application))
    request.answered_by, request.answered_at = actor, timezone.now()
    request.save(update_fields=["changes", "answered_by", "answered_at"])
    audit_record(actor=actor, verb="application.answer_information", target=application,
                 before={"status": ApplicationStatus.INFORMATION_REQUESTED.value},
                 after={"status": application.status,
                        "changed": [c["field"] for c in request.changes]})
    data = _data(application, request) | {"changes": len(request.changes)}
    notify(recipients=users_with_role(Role.SECRETARIAT), kind="information_provided",
           target=application, data=data, dedupe_key=f"information-provided:{request.pk}")
    return application


def information_requests_close_for_withdrawal(*, actor, application: Application) -> int:
    """Close the application's open request when it is withdrawn: called by
    ``application_withdraw`` inside its transaction. The model knows one closed state
    (``answered_at``), so the request is marked answered at the withdrawal, by who withdrew,
    with no changes; the audit trail says why. No reminder or overdue flag follows it.
    Returns how many requests were closed (0 or 1)."""
    closed = 0
    for request in (InformationRequest.objects.select_for_update()
                    .filter(application=application, answered_at__isnull=True)):
        request.answered_by, request.answered_at = actor, timezone.now()
        request.save(update_fields=["answered_by", "answered_at"])
        audit_record(actor=actor, verb="application.information_closed", target=application,
                     before={"information_request": request.pk, "open": True},
                     after={"information_request": request.pk, "open": False},
                     note=_("Closed: the application was withdrawn."))
        closed += 1
    return closed


# --- reminders --------------------------------------------------------------------------


def _reminder_due(request: InformationRequest, today: date) -> int | None:
    """The reminder (days before the due date) that is due today, if any."""
    left = (request.due_on - today).days
    if left < 0:
        return None
    for days in sorted(REMIND_DAYS_BEFORE):
        if left <= days:
            asked = timezone.localdate(request.requested_at)
            return days if (request.due_on - asked).days > days else None
    return None


def information_requests_remind(today: date | None = None) -> int:
    """Remind the organisations of open requests 3 days and 1 day before they are due, once
    each (a dedupe key per request and reminder). Returns the notices written."""
    today = today or timezone.localdate()
    horizon = today.toordinal() + max(REMIND_DAYS_BEFORE)
    requests = (InformationRequest.objects
                .filter(answered_at__isnull=True, due_on__gte=today,
                        due_on__lte=date.fromordinal(horizon),
                        application__status=ApplicationStatus.INFORMATION_REQUESTED)
                .select_related("application__organisation"))
    sent = 0
    with transaction.atomic():
        for request in requests:
            days = _reminder_due(request, today)
            if days is None:
                continue
            app = request.application
            sent += len(notify(
                recipients=_members(app), kind="information_reminder", target=app,
                data=_data(app, request) | {"days": (request.due_on - today).days},
                dedupe_key=f"information-reminder:{request.pk}:{days}"))
    return sent
