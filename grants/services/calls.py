"""Writes on calls for proposals, their clarification Q&A and their deadline reminders."""

import math
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries as all_countries

from fundapp.accounts.roles import Role, user_can
from fundapp.accounts.selectors import users_with_role
from fundapp.core.audit import audit_record
from fundapp.core.errors import Errors, NotAllowed, StateConflict, ValidationFailed
from fundapp.core.fsm import require_transition
from fundapp.core.locks import lock
from fundapp.notifications.services import notify
from grants.models import (
    ApplicationStatus,
    Call,
    CallPriority,
    CallStatus,
    ClarificationQuestion,
    DocumentKind,
    Membership,
    ReviewCriterion,
)

CALL_FIELDS = (
    "number", "title_en", "title_fr", "description_en", "description_fr", "opens_at",
    "closes_at", "envelope_usd", "min_grant_usd", "max_grant_usd", "max_duration_months",
    "required_documents", "eligible_countries",
)
MONEY_FIELDS = ("envelope_usd", "min_grant_usd", "max_grant_usd")
REMINDER_DAYS = (7, 1)  # before a call closes, to organisations holding a draft on it


def _require(actor, capability: str) -> None:
    if not user_can(actor, capability):
        raise NotAllowed()


def _amounts_positive(values: dict):
    for field in MONEY_FIELDS:
        amount = values.get(field)
        if amount is not None and amount <= 0:
            yield field, _("Must be greater than zero.")


def _grant_limits_ordered(values: dict):
    lo, hi = values.get("min_grant_usd"), values.get("max_grant_usd")
    if lo is not None and hi is not None and hi < lo:
        yield "max_grant_usd", _("The maximum grant must not be below the minimum grant.")
    env = values.get("envelope_usd")
    if env is not None and hi is not None and hi > env:
        yield "max_grant_usd", _("The maximum grant must not exceed the envelope.")


def _closes_after_opening(values: dict):
    opens, closes = values.get("opens_at"), values.get("closes_at")
    if opens and closes and closes <= opens:
        yield "closes_at", _("The call must close after it opens.")


def _lasts_a_month_or_more(values: dict):
    if values.get("max_duration_months") is not None and values["max_duration_months"] < 1:
        yield "max_duration_months", _("Must be at least one month.")


def _known_documents(values: dict):
    bad = [d for d in values.get("required_documents") or [] if d not in DocumentKind.values]
    if bad:
        yield "required_documents", (_("Unknown document kinds: %(kinds)s")
                                     % {"kinds": ", ".join(map(str, bad))})


def _known_countries(values: dict):
    bad = [c for c in values.get("eligible_countries") or [] if c not in all_countries]
    if bad:
        yield "eligible_countries", (_("Unknown country codes: %(codes)s")
                                     % {"codes": ", ".join(map(str, bad))})


CALL_RULES = (_amounts_positive, _grant_limits_ordered, _closes_after_opening,
              _lasts_a_month_or_more, _known_documents, _known_countries)


def _validate_call(values: dict, priorities: list[dict] | None) -> None:
    errors = Errors()
    for rule in CALL_RULES:
        for field, message in rule(values):
            errors.add(field, message)
    if priorities is not None:
        _validate_priorities(priorities, errors)
    errors.raise_if_any()


def _validate_priorities(priorities: list[dict], errors: Errors) -> None:
    codes = [p.get("code") for p in priorities]
    if len(codes) != len(set(codes)):
        errors.add("priorities", _("Each priority needs its own code."))
    for p in priorities:
        if not p.get("code") or not p.get("name_en"):
            errors.add(
                "priorities", _("Each priority needs a code and an English name."))
        if Decimal(str(p.get("weight", 1))) <= 0:
            errors.add("priorities", _("Priority weights must be positive."))


def _set_priorities(call: Call, priorities: list[dict]) -> None:
    call.priorities.all().delete()
    CallPriority.objects.bulk_create([
        CallPriority(call=call, code=p["code"], name_en=p["name_en"],
                     name_fr=p.get("name_fr", ""), weight=p.get("weight", Decimal("1")),
                     position=i)
        for i, p in enumerate(priorities)
    ])


def _snapshot(call: Call) -> dict:
    return {f: getattr(call, f) for f in CALL_FIELDS} | {"status": call.status}


@transaction.atomic
def call_create(*, actor, values: dict, priorities: list[dict] | None = None) -> Call:
    _require(actor, "call.manage")
    _validate_call(values, priorities)
    if Call.objects.filter(number=values["number"]).exists():
        raise ValidationFailed.on("number", _("A call with this number exists."))
    call = Call.objects.create(created_by=actor, **{k: values[k] for k in CALL_FIELDS
                                                     if k in values})
    if priorities:
        _set_priorities(call, priorities)
    audit_record(actor=actor, verb="call.create", target=call, after=_snapshot(call))
    return call


# What defines a call's terms, copied by ``call_clone``; number, dates, status, sequence,
# publication and the call's applications, questions and reviews are not.
CLONED_FIELDS = (
    "title_en", "title_fr", "description_en", "description_fr", "envelope_usd",
    "min_grant_usd", "max_grant_usd", "max_duration_months", "required_documents",
    "eligible_countries", "blind_review", "review_weight", "normalise_reviews",
    "max_projects_per_country", "min_women_girls_share", "min_countries",
)
WEIGHTED_FIELDS = ("code", "name_en", "name_fr", "weight", "position")


def _copy_weighted(model, source_items, call: Call) -> None:
    model.objects.bulk_create([
        model(call=call, **{f: getattr(item, f) for f in WEIGHTED_FIELDS})
        for item in source_items
    ])


@transaction.atomic
def call_clone(*, actor, call: Call, number: int, opens_at: datetime,
               closes_at: datetime) -> Call:
    """A new draft call with ``call``'s terms, priorities, rubric and documents."""
    _require(actor, "call.manage")
    source = Call.objects.get(pk=call.pk)
    errors = Errors()
    for field, message in _closes_after_opening({"opens_at": opens_at, "closes_at": closes_at}):
        errors.add(field, message)
    if Call.objects.filter(number=number).exists():
        errors.add("number", _("A call with this number exists."))
    errors.raise_if_any()
    clone = Call.objects.create(
        number=number, opens_at=opens_at, closes_at=closes_at, created_by=actor,
        **{f: getattr(source, f) for f in CLONED_FIELDS})
    _copy_weighted(CallPriority, source.priorities.order_by("position", "id"), clone)
    _copy_weighted(ReviewCriterion, source.review_criteria.order_by("position", "id"), clone)
    audit_record(actor=actor, verb="call.clone", target=clone, after=_snapshot(clone),
                 note=f"cloned from call {source.number}")
    return clone


@transaction.atomic
def call_update(*, actor, call: Call, values: dict,
                priorities: list[dict] | None = None) -> Call:
    _require(actor, "call.manage")
    call = lock(Call, call.pk)
    if call.status not in (CallStatus.DRAFT, CallStatus.PUBLISHED):
        raise StateConflict(_("A closed call can no longer be edited."))
    merged = _snapshot(call) | values
    _validate_call(merged, priorities)
    if call.status == CallStatus.PUBLISHED and priorities is not None:
        raise StateConflict(_("Priorities cannot change once the call is published."))
    if "number" in values and Call.objects.filter(number=values["number"]).exclude(
            pk=call.pk).exists():
        raise ValidationFailed.on("number", _("A call with this number exists."))
    before = _snapshot(call)
    for key, value in values.items():
        setattr(call, key, value)
    call.save()
    if priorities is not None:
        _set_priorities(call, priorities)
    audit_record(actor=actor, verb="call.update", target=call, before=before,
                 after=_snapshot(call))
    return call


@transaction.atomic
def call_publish(*, actor, call: Call) -> Call:
    _require(actor, "call.manage")
    call = lock(Call, call.pk)
    require_transition(call.publish, _("Only a draft call can be published."))
    if call.closes_at <= timezone.now():
        raise StateConflict(_("The deadline has already passed: change it before publishing."))
    if not call.priorities.exists():
        raise StateConflict(_("Add at least one priority before publishing."))
    call.publish()
    call.save()
    audit_record(actor=actor, verb="call.publish", target=call,
                 before={"status": CallStatus.DRAFT}, after={"status": call.status})
    return call


@transaction.atomic
def call_close(*, actor, call: Call) -> Call:
    """Close a published call (by hand, or by the periodic task once the deadline passed)."""
    if actor is not None:
        _require(actor, "call.manage")
    call = lock(Call, call.pk)
    require_transition(call.close, _("Only an open call can be closed."))
    call.close()
    call.save()
    audit_record(actor=actor, verb="call.close", target=call,
                 before={"status": CallStatus.PUBLISHED}, after={"status": call.status})
    counts = Counter(call.applications.values_list("status", flat=True))
    notify(
        recipients=users_with_role(Role.SECRETARIAT), kind="call_closed", target=call,
        data={"call_number": call.number,
              "counts": dict(counts),  # status codes: labels are translated per recipient
              "url": f"/applications/?call={call.pk}"},
        dedupe_key=f"call_closed:{call.pk}",
    )
    return call


def calls_close_due(*, now=None) -> list[int]:
    """Close every published call whose deadline has passed; safe to run at any time."""
    now = now or timezone.now()
    due = list(Call.objects.filter(status=CallStatus.PUBLISHED, closes_at__lte=now)
               .values_list("pk", flat=True))
    closed = []
    for pk in due:
        try:
            call_close(actor=None, call=Call(pk=pk))
            closed.append(pk)
        except StateConflict:
            continue
    return closed


def reminder_due(call: Call, now: datetime) -> int | None:
    """The most specific reminder whose moment has come (1 rather than 7 when both have)."""
    left = call.closes_at - now
    if left <= timedelta(0):
        return None
    for days in sorted(REMINDER_DAYS):
        if left <= timedelta(days=days):
            return days
    return None


def _drafting_members(call: Call) -> dict[int, list]:
    members = (Membership.objects
               .filter(organisation__applications__call=call,
                       organisation__applications__status=ApplicationStatus.DRAFT,
                       user__is_active=True)
               .select_related("user").distinct())
    by_organisation: dict[int, list] = defaultdict(list)
    for membership in members:
        by_organisation[membership.organisation_id].append(membership.user)
    return by_organisation


@transaction.atomic
def call_deadline_reminders_send(*, call: Call, now: datetime) -> int:
    """Remind each drafting organisation of ``call``'s deadline, once per reminder."""
    reminder = reminder_due(call, now)
    if reminder is None:
        return 0
    days_left = math.ceil((call.closes_at - now).total_seconds() / 86400)
    data = {"call_number": call.number, "days": days_left, "reminder": reminder,
            "closes_at": call.closes_at.isoformat(), "url": f"/calls/{call.pk}/"}
    sent = 0
    for organisation_id, users in _drafting_members(call).items():
        sent += len(notify(recipients=users, kind="call_deadline_reminder", target=call,
                           data=data,
                           dedupe_key=f"deadline:{call.pk}:{organisation_id}:{reminder}d"))
    return sent


def calls_remind_due(*, now: datetime | None = None) -> int:
    """Send the deadline reminders due on every published call closing within the longest
    reminder; safe to run at any time (each reminder carries a dedupe key)."""
    now = now or timezone.now()
    horizon = now + timedelta(days=max(REMINDER_DAYS))
    calls = Call.objects.filter(status=CallStatus.PUBLISHED, closes_at__gt=now,
                                closes_at__lte=horizon)
    return sum(call_deadline_reminders_send(call=call, now=now) for call in calls)


@transaction.atomic
def clarification_ask(*, actor, call: Call, question: str) -> ClarificationQuestion:
    _require(actor, "clarification.ask")
    question = (question or "").strip()
    if not question:
        raise ValidationFailed.on("question", _("Write your question."))
    if len(question) > 4000:
        raise ValidationFailed.on("question", _("At most 4,000 characters."))
    if not call.is_accepting_submissions():
        raise StateConflict(_("Questions can only be asked while the call is open."))
    membership = getattr(actor, "membership", None)
    q = ClarificationQuestion.objects.create(
        call=call, asked_by=actor, question=question,
        organisation=membership.organisation if membership else None,
    )
    audit_record(actor=actor, verb="clarification.ask", target=q)
    return q


@transaction.atomic
def clarification_answer(*, actor, question: ClarificationQuestion, answer: str,
                         publish: bool = True) -> ClarificationQuestion:
    _require(actor, "clarification.answer")
    answer = (answer or "").strip()
    if not answer:
        raise ValidationFailed.on("answer", _("Write the answer."))
    q = lock(ClarificationQuestion, question.pk)
    was_published = q.is_published
    q.answer, q.answered_by = answer, actor
    if publish and not was_published:
        q.published_at = timezone.now()
    q.save()
    audit_record(actor=actor, verb="clarification.answer", target=q, after={"answer": answer})
    if q.is_published and not was_published:
        _notify_drafting_organisations(q)
    return q


def _notify_drafting_organisations(q: ClarificationQuestion) -> None:
    from fundapp.accounts.models import User

    recipients = User.objects.filter(
        is_active=True,
        membership__organisation__applications__call=q.call,
        membership__organisation__applications__status=ApplicationStatus.DRAFT,
    ).distinct()
    notify(
        recipients=recipients, kind="clarification_answered", target=q,
        data={"call_number": q.call.number, "question": q.question, "answer": q.answer,
              "url": f"/calls/{q.call_id}/#qa-{q.pk}"},
        dedupe_key=f"clarification:{q.pk}",
    )

