"""Calls for proposals: public pages, questions, and the secretariat's management pages."""

from datetime import timedelta

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from fundapp.accounts.roles import user_can
from fundapp.core.decorators import capability_required
from fundapp.core.errors import FundError
from fundapp.core.exports import export_response, requested_format
from fundapp.core.forms import apply_errors, form_status, form_submit, run_action
from fundapp.core.listing import Filter, Sort, listing
from grants.confirmations import confirm
from grants.forms import (
    AnswerForm,
    CallForm,
    PriorityFormSet,
    QuestionForm,
    priority_values,
)
from grants.exports import call_columns
from grants.forms.extensions import CallCloneForm
from grants.models import ApplicationStatus, CallStatus, DocumentKind
from grants.selectors.applications import application_list
from grants.selectors.extensions import call_extensions, organisation_extension, \
    organisation_may_start
from grants.selectors.organisations import can_edit_applications, organisation_of
from grants.selectors.work.secretariat import CLOSING_DAYS, closing_within
from grants.selectors.calls import (
    calls_visible_to,
    calls_with_counts,
    filter_calls_by_status,
    get_call_for,
    get_question_for,
    questions_for,
)
from grants.services.calls import (
    call_clone,
    call_close,
    call_create,
    call_publish,
    call_update,
    clarification_answer,
    clarification_ask,
)

from .common import days_left, with_days_left

PRIORITY_PREFIX = "priorities"


# ---------------------------------------------------------------- public pages


def _past_call_years():
    years = (calls_visible_to(None).exclude(status=CallStatus.DRAFT)
             .dates("closes_at", "year", order="DESC"))
    return [(d.year, d.year) for d in years]


PAST_CALL_FILTERS = [
    Filter("status", gettext_lazy("Status"), apply=filter_calls_by_status,
           choices=[(s.value, s.label) for s in (CallStatus.CLOSED, CallStatus.DECIDED,
                                                 CallStatus.ARCHIVED)]),
    Filter("year", gettext_lazy("Year closed"), choices=_past_call_years,
           apply=lambda qs, v: qs.filter(closes_at__year=int(v))),
    Filter("search", gettext_lazy("Search"),
           apply=lambda qs, text: qs.filter(Q(title_en__icontains=text)
                                            | Q(title_fr__icontains=text))),
]
PAST_CALL_SORTS = [
    Sort("-number", gettext_lazy("Newest first"), "-number"),
    Sort("number", gettext_lazy("Oldest first"), "number"),
    Sort("-envelope", gettext_lazy("Largest envelope first"), ("-envelope_usd", "-number")),
]


def call_list(request):
    published = calls_visible_to(request.user).exclude(status=CallStatus.DRAFT)
    current = filter_calls_by_status(published, CallStatus.PUBLISHED).order_by("closes_at")
    past = published.exclude(status=CallStatus.PUBLISHED, closes_at__gt=timezone.now())
    found = listing(request, past, filters=PAST_CALL_FILTERS, sorts=PAST_CALL_SORTS)
    return render(request, "grants/call_list.html", {
        "current_calls": with_days_left(current),
        "listing": found, "page": found.page,
    })


@require_http_methods(["GET"])
def call_detail(request, pk: int):
    call = get_call_for(request.user, pk)
    return _render_call_detail(request, call, QuestionForm())


def _render_call_detail(request, call, question_form, status: int = 200):
    user = request.user
    accepting = call.is_accepting_submissions()
    mine = list(application_list(user, call=call.pk)) if user_can(user, "application.create") \
        else []
    can_manage = user_can(user, "call.manage")
    my_extension = (organisation_extension(call, organisation_of(user))
                    if user_can(user, "application.create") and not accepting else None)
    may_start = accepting or (my_extension is not None
                              and organisation_may_start(call, my_extension.organisation))
    return render(request, "grants/call_detail.html", {
        "call": call,
        "priorities": call.priorities.all(),
        "documents": [DocumentKind(k).label for k in call.required_documents
                      if k in DocumentKind.values],
        "days_left": days_left(call.closes_at),
        "accepting": accepting,
        "questions": questions_for(call, user),
        "question_form": question_form,
        "can_ask": (accepting and user_can(user, "clarification.ask")) or question_form.is_bound,
        "can_apply": may_start and user_can(user, "application.create")
        and can_edit_applications(user),
        "can_manage": can_manage,
        "my_extension": my_extension if may_start else None,
        "extensions": call_extensions(call) if can_manage else [],
        "my_applications": mine,
        "my_draft": next((a for a in mine if a.status == ApplicationStatus.DRAFT), None),
    }, status=status)


@capability_required("clarification.ask")
@require_POST
def call_ask(request, pk: int):
    call = get_call_for(request.user, pk)
    form = QuestionForm(request.POST)
    if form_submit(request, form, lambda data: clarification_ask(actor=request.user, call=call,
                                                                  question=data["question"])):
        messages.success(request, _("Your question has been sent to the secretariat. "
                                    "The answer will be published on this page."))
        return redirect(reverse("grants:call-detail", args=[call.pk]) + "#questions")
    return _render_call_detail(request, call, form, status=400)


# ---------------------------------------------------------------- secretariat


def _call_statuses():
    return [(value, label) for value, label in CallStatus.choices]


CALL_MANAGE_FILTERS = [
    Filter("status", gettext_lazy("Status"), choices=_call_statuses,
           apply=filter_calls_by_status),
    Filter("closing", gettext_lazy("Deadline"),
           choices=[(str(CLOSING_DAYS), gettext_lazy("Closing within 14 days"))],
           apply=lambda qs, value: closing_within(qs, int(value))),
]
CALL_MANAGE_SORTS = [
    Sort("number", gettext_lazy("Newest number first"), "-number"),
    Sort("closes", gettext_lazy("Deadline, soonest first"), "closes_at"),
    Sort("opens", gettext_lazy("Opening, latest first"), "-opens_at"),
]


@capability_required("call.manage")
def call_manage_list(request):
    """Every call, filtered and sorted from the URL; the work queue's "calls closing within
    14 days" links to ``?closing=14``."""
    found = listing(request, calls_with_counts(), filters=CALL_MANAGE_FILTERS,
                    sorts=CALL_MANAGE_SORTS)
    if requested_format(request):
        return export_response(request, found.queryset, call_columns(), "calls")
    return render(request, "grants/call_manage_list.html", {
        "calls": found.page, "page": found.page, "listing": found})


def _tz_name() -> str:
    return timezone.get_current_timezone_name()


def _show_call_errors(form, exc: FundError) -> list[str]:
    """Field errors next to their fields; priority errors returned for the formset."""
    field_errors = dict(exc.field_errors)
    priority_errors = [str(m) for m in field_errors.pop("priorities", [])]
    if field_errors or not priority_errors:
        apply_errors(form, FundError(exc.message, field_errors=field_errors))
    return priority_errors


def _render_call_form(request, *, form, formset, call=None, priority_errors=(), status=200):
    return render(request, "grants/call_form.html", {
        "form": form, "formset": formset, "call": call,
        "priority_errors": priority_errors, "tz_name": _tz_name(),
    }, status=status)


@capability_required("call.manage")
@require_http_methods(["GET", "POST"])
def call_create_view(request):
    form = CallForm(request.POST or None, tz_name=_tz_name())
    formset = PriorityFormSet(request.POST or None, prefix=PRIORITY_PREFIX)
    priority_errors: list[str] = []
    if request.method == "POST":
        if all([form.is_valid(), formset.is_valid()]):
            try:
                call = call_create(actor=request.user, values=form.values(),
                                   priorities=priority_values(formset))
            except FundError as exc:
                priority_errors = _show_call_errors(form, exc)
            else:
                messages.success(request, _("Call no. %(n)s saved as a draft. Publish it when "
                                            "it is ready.") % {"n": call.number})
                return redirect("grants:call-edit", pk=call.pk)
        return _render_call_form(request, form=form, formset=formset,
                                 priority_errors=priority_errors, status=400)
    return _render_call_form(request, form=form, formset=formset)


@capability_required("call.manage")
@require_http_methods(["GET", "POST"])
def call_edit(request, pk: int):
    call = get_call_for(request.user, pk)
    if call.status not in (CallStatus.DRAFT, CallStatus.PUBLISHED):
        messages.info(request, _("A closed call can no longer be edited."))
        return redirect("grants:call-detail", pk=call.pk)
    data = request.POST or None
    form = CallForm(data, initial=CallForm.initial_from(call), tz_name=_tz_name())
    formset = None
    if call.status == CallStatus.DRAFT:  # priorities are frozen once published
        initial = [{"code": p.code, "name_en": p.name_en, "name_fr": p.name_fr,
                    "weight": p.weight} for p in call.priorities.all()]
        formset = PriorityFormSet(data, initial=initial, prefix=PRIORITY_PREFIX)
    if request.method == "GET":
        return _render_call_form(request, form=form, formset=formset, call=call)
    priority_errors: list[str] = []
    if all([form.is_valid(), formset is None or formset.is_valid()]):
        try:
            call_update(actor=request.user, call=call, values=form.values(),
                        priorities=priority_values(formset) if formset is not None else None)
        except FundError as exc:
            priority_errors = _show_call_errors(form, exc)
        else:
            messages.success(request, _("The call is saved."))
            return redirect("grants:call-edit", pk=call.pk)
    return _render_call_form(request, form=form, formset=formset, call=call,
                             priority_errors=priority_errors, status=400)


def _clone_initial(user, call) -> dict:
    """Suggested terms of the clone: the next free number, the same dates a year later."""
    latest = (calls_visible_to(user).order_by("-number")
              .values_list("number", flat=True).first())
    year = timedelta(days=365)
    return {"number": (latest or call.number) + 1, "opens_at": call.opens_at + year,
            "closes_at": call.closes_at + year}


@capability_required("call.manage")
@require_http_methods(["GET", "POST"])
def call_clone_view(request, pk: int):
    call = get_call_for(request.user, pk)
    form = CallCloneForm(request.POST or None, initial=_clone_initial(request.user, call),
                         tz_name=_tz_name())
    if done := form_submit(request, form, lambda data: call_clone(
            actor=request.user, call=call, **data)):
        messages.success(request, _("Call no. %(n)s is a draft copy of call no. %(source)s: "
                                    "check its terms, priorities and rubric, then publish it.")
                         % {"n": done.result.number, "source": call.number})
        return redirect("grants:call-edit", pk=done.result.pk)
    return render(request, "grants/extensions/call_clone.html", {
        "call": call, "form": form,
        "priorities": call.priorities.all(), "criteria": call.review_criteria.all(),
    }, status=form_status(form))


@capability_required("call.manage")
@require_POST
@confirm("call-publish")
def call_publish_view(request, pk: int):
    call = get_call_for(request.user, pk)
    run_action(request, lambda: call_publish(actor=request.user, call=call),
               success=_("Call no. %(n)s is published.") % {"n": call.number})
    return redirect("grants:call-manage-list")


@capability_required("call.manage")
@require_POST
@confirm("call-close")
def call_close_view(request, pk: int):
    call = get_call_for(request.user, pk)
    run_action(request, lambda: call_close(actor=request.user, call=call),
               success=_("Call no. %(n)s is closed.") % {"n": call.number})
    return redirect("grants:call-manage-list")


@capability_required("clarification.answer")
def call_questions(request, pk: int):
    call = get_call_for(request.user, pk)
    return _render_questions(request, call)


def _render_questions(request, call, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    rows = [
        (q, bound.get(q.pk) or AnswerForm(prefix=f"q{q.pk}", initial={
            "answer": q.answer, "publish": True}))
        for q in questions_for(call, request.user)
    ]
    return render(request, "grants/call_questions.html", {"call": call, "rows": rows},
                  status=status)


@capability_required("clarification.answer")
@require_POST
def question_answer(request, pk: int):
    question = get_question_for(request.user, pk)
    form = AnswerForm(request.POST, prefix=f"q{question.pk}")
    if form_submit(request, form, lambda data: clarification_answer(
            actor=request.user, question=question, answer=data["answer"],
            publish=data["publish"])):
        messages.success(request, _("The answer is saved."))
        return redirect(reverse("grants:call-questions", args=[question.call_id])
                        + f"#qa-{question.pk}")
    return _render_questions(request, question.call, {question.pk: form}, status=400)
