"""Writes on applications: drafting, attachments, submission, withdrawal."""

import hashlib
from datetime import date
from decimal import Decimal

import filetype
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries as all_countries

from fundapp.accounts.roles import Role, user_can
from fundapp.accounts.selectors import users_with_role
from fundapp.core.audit import audit_record
from fundapp.core.errors import Errors, NotAllowed, StateConflict, ValidationFailed
from fundapp.core.formatting import money
from fundapp.core.fsm import require_transition
from fundapp.core.locks import lock
from fundapp.notifications.services import notify
from grants.models import (
    Application,
    ApplicationPriority,
    Attachment,
    BudgetCategory,
    BudgetLine,
    Call,
    DocumentKind,
    Membership,
    Service,
)
from grants.selectors.applications import application_missing_items
from grants.selectors.extensions import organisation_may_start, submission_open
from grants.selectors.organisations import EDITING_ROLES
from grants.services.members import require_org_role
from grants.services.information import (
    information_request_answer,
    information_requests_close_for_withdrawal,
)
from grants.services.attachment_checks import check_zip_structure

SIMPLE_FIELDS = ("title", "summary", "countries", "requested_usd", "duration_months",
                 "start_date", "services")
BENEFICIARY_KEYS = ("women", "girls", "men", "boys")
ALLOWED_UPLOADS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpg": "image/jpeg",
}


def _membership_of(actor) -> Membership:
    membership = Membership.objects.select_related("organisation").filter(user=actor).first()
    if membership is None or not user_can(actor, "application.create"):
        raise NotAllowed(_("Only users of a registered organisation can apply."))
    return require_org_role(actor, membership.organisation_id, *EDITING_ROLES)


def _check_editable(actor, application: Application) -> None:
    require_org_role(actor, application.organisation_id, *EDITING_ROLES)
    if not application.is_editable:
        raise StateConflict(_("A submitted application can no longer be edited."))


def _validate_values(call: Call, values: dict) -> Errors:
    """Rules that depend on the call; shape (types, decimals) is checked by forms/serializers."""
    errors = Errors()
    add = errors.add

    amount = values.get("requested_usd")
    if amount is not None:
        if amount <= 0:
            add("requested_usd", _("Must be greater than zero."))
        elif not call.min_grant_usd <= amount <= call.max_grant_usd:
            add("requested_usd", _("This call funds between %(min)s and %(max)s.")
                % {"min": money(call.min_grant_usd), "max": money(call.max_grant_usd)})
    months = values.get("duration_months")
    if months is not None and not 1 <= months <= call.max_duration_months:
        add("duration_months", _("Between 1 and %(max)s months for this call.")
            % {"max": call.max_duration_months})
    start = values.get("start_date")
    if start is not None and (not isinstance(start, date) or not 2000 <= start.year <= 2100):
        add("start_date", _("Enter a valid start date."))
    for code in values.get("countries") or []:
        if code not in all_countries:
            add("countries", _("Unknown country code: %(code)s") % {"code": code})
        elif call.eligible_countries and code not in [c.code for c in call.eligible_countries]:
            add("countries", _("%(country)s is not eligible for this call.")
                % {"country": all_countries.name(code)})
    for service in values.get("services") or []:
        if service not in Service.values:
            add("services", _("Unknown service: %(s)s") % {"s": service})
    _validate_nested(call, values, add)
    return errors


def _validate_nested(call: Call, values: dict, add) -> None:
    for key, number in (values.get("beneficiaries") or {}).items():
        if key not in BENEFICIARY_KEYS:
            add("beneficiaries", _("Unknown group: %(g)s") % {"g": key})
        elif not isinstance(number, int) or number < 0:
            add("beneficiaries", _("Counts must be whole numbers, zero or more."))
    for line in values.get("budget_lines") or []:
        if line.get("category") not in BudgetCategory.values:
            add("budget_lines", _("Unknown budget category: %(c)s") % {"c": line.get("category")})
        amount = line.get("amount")
        if not isinstance(amount, Decimal) or amount <= 0:
            add("budget_lines", _("Each budget line needs an amount greater than zero."))
    if "priorities" in values:
        known = set(call.priorities.values_list("code", flat=True))
        unknown = [c for c in values["priorities"] if c not in known]
        if unknown:
            add("priorities", _("Not a priority of this call: %(codes)s")
                % {"codes": ", ".join(unknown)})


def _apply_values(app: Application, values: dict) -> None:
    for field in SIMPLE_FIELDS:
        if field in values:
            setattr(app, field, values[field] if values[field] is not None else
                    ("" if field in ("title", "summary") else
                     [] if field in ("countries", "services") else None))
    for key, number in (values.get("beneficiaries") or {}).items():
        setattr(app, f"beneficiaries_{key}", number)
    app.save()
    if "budget_lines" in values:
        app.budget_lines.all().delete()
        BudgetLine.objects.bulk_create([
            BudgetLine(application=app, category=line["category"], amount=line["amount"],
                       description=line.get("description", "")[:300], position=i)
            for i, line in enumerate(values["budget_lines"])
        ])
    if "priorities" in values:
        _set_priority_claims(app, values["priorities"])


def _set_priority_claims(app: Application, claims: dict[str, str]) -> None:
    by_code = {p.code: p for p in app.call.priorities.all()}
    app.priority_claims.exclude(priority__code__in=list(claims)).delete()
    existing = {c.priority.code: c for c in app.priority_claims.select_related("priority")}
    for code, justification in claims.items():
        claim = existing.get(code) or ApplicationPriority(application=app, priority=by_code[code])
        claim.justification = (justification or "")[:3000]
        claim.save()


def _draft_snapshot(app: Application) -> dict:
    return {f: getattr(app, f) for f in SIMPLE_FIELDS} | {"beneficiaries": app.beneficiaries}


@transaction.atomic
def application_create(*, actor, call: Call, values: dict | None = None) -> Application:
    membership = _membership_of(actor)
    if not organisation_may_start(call, membership.organisation):
        raise StateConflict(_("This call is not open for applications."))
    values = values or {}
    errors = _validate_values(call, values)
    errors.raise_if_any()
    app = Application(call=call, organisation=membership.organisation, created_by=actor)
    _apply_values(app, values)
    audit_record(actor=actor, verb="application.create", target=app, after=_draft_snapshot(app))
    return app


@transaction.atomic
def application_update(*, actor, application: Application, values: dict) -> Application:
    """Save part or all of a draft; whatever is valid in ``values`` must be valid as a whole."""
    app = lock(Application, application.pk)
    _check_editable(actor, app)
    errors = _validate_values(app.call, values)
    errors.raise_if_any()
    before = _draft_snapshot(app)
    _apply_values(app, values)
    audit_record(actor=actor, verb="application.update", target=app, before=before,
                 after=_draft_snapshot(app))
    return app


@transaction.atomic
def application_submit(*, actor, application: Application) -> Application:
    """Submit a complete draft while its call is open; the call row serialises submissions."""
    call = lock(Call, application.call_id)
    app = lock(Application, application.pk)
    _check_editable(actor, app)
    if app.is_answering_information_request:  # no deadline, no new reference
        return information_request_answer(actor=actor, application=app)
    if not submission_open(app, call=call):
        raise StateConflict(_("The deadline for this call has passed: submissions are closed."))
    if not app.organisation.verified:
        raise StateConflict(_("Your organisation must be verified by the secretariat before "
                              "it can submit."))
    missing = application_missing_items(app)
    missing.raise_if_any()
    app.reference = f"VTF{call.number}-{call.next_sequence:04d}"
    call.next_sequence += 1
    call.save(update_fields=["next_sequence"])
    app.submit()
    app.save()
    audit_record(actor=actor, verb="application.submit", target=app,
                 before={"status": "draft"}, after={"status": app.status,
                                                    "reference": app.reference})
    _notify_submitted(app)
    return app


def _notify_submitted(app: Application) -> None:
    data = {"reference": app.reference, "title": app.title, "call_number": app.call.number,
            "organisation": app.organisation.name, "url": f"/applications/{app.pk}/"}
    members = [m.user for m in app.organisation.memberships.select_related("user")
               if m.user.is_active]
    notify(recipients=members, kind="application_submitted", target=app, data=data,
           dedupe_key=f"submitted:{app.pk}")
    notify(recipients=users_with_role(Role.SECRETARIAT), kind="application_submitted_staff",
           target=app, data=data, dedupe_key=f"submitted-staff:{app.pk}")


@transaction.atomic
def application_withdraw(*, actor, application: Application, reason: str = "") -> Application:
    app = lock(Application, application.pk)
    require_org_role(actor, app.organisation_id, *EDITING_ROLES)
    require_transition(app.withdraw, _("This application can no longer be withdrawn."))
    before = app.status
    app.withdraw()
    app.save()
    audit_record(actor=actor, verb="application.withdraw", target=app,
                 before={"status": before}, after={"status": app.status}, note=reason[:2000])
    # a request for information on it no longer awaits an answer
    information_requests_close_for_withdrawal(actor=actor, application=app)
    return app


def check_upload_size(uploaded) -> None:
    """An upload within ``MAX_UPLOAD_BYTES`` and not empty (every attached file's rule)."""
    limit = settings.MAX_UPLOAD_BYTES
    if uploaded.size > limit:
        raise ValidationFailed.on(
            "file", _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    if uploaded.size == 0:
        raise ValidationFailed.on("file", _("The file is empty."))


def inspect_upload(uploaded) -> tuple[str, str]:
    """The upload's content type and SHA-256, once its content passed every check (type by
    content, sound archive); ValidationFailed on ``file`` otherwise."""
    ext, content_type = _sniff(uploaded)
    check_zip_structure(uploaded, ext)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return content_type, digest.hexdigest()


def _sniff(uploaded) -> tuple[str, str]:
    """The upload's real type, judged by its content, never by its name."""
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ALLOWED_UPLOADS:
        raise ValidationFailed.on(
            "file", _("Only PDF, DOCX, XLSX, ODT, PNG and JPEG files are accepted; this "
                      "file's content is not one of them."))
    return kind.extension, ALLOWED_UPLOADS[kind.extension]


@transaction.atomic
def attachment_add(*, actor, application: Application, kind: str, uploaded) -> Attachment:
    app = lock(Application, application.pk)
    _check_editable(actor, app)
    if kind not in DocumentKind.values:
        raise ValidationFailed.on("kind", _("Choose a document kind."))
    check_upload_size(uploaded)
    cap = settings.MAX_ATTACHMENTS_PER_APPLICATION
    if app.attachments.count() >= cap:
        raise StateConflict(
            _("An application holds at most %(n)s attachments: remove one before adding "
              "another.") % {"n": cap})
    content_type, sha256 = inspect_upload(uploaded)
    attachment = Attachment(
        application=app, kind=kind, original_name=str(uploaded.name)[-255:],
        content_type=content_type, size=uploaded.size, sha256=sha256,
        uploaded_by=actor,
    )
    attachment.file.save("upload", uploaded, save=False)
    attachment.save()
    audit_record(actor=actor, verb="attachment.add", target=app,
                 after={"attachment": attachment.pk, "kind": kind, "name": attachment.original_name,
                        "sha256": attachment.sha256})
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment) -> None:
    app = lock(Application, attachment.application_id)
    _check_editable(actor, app)
    audit_record(actor=actor, verb="attachment.remove", target=app,
                 before={"attachment": attachment.pk, "name": attachment.original_name})
    stored = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: Attachment.file.field.storage.delete(stored))
