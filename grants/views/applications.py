"""Applications: the NGO's drafting pages, submission and withdrawal, and the lists.

Saving a draft (the "Save draft" button and htmx autosave alike) stores every field
that is valid and leaves each invalid field at its last saved value, reporting why.
A draft is never blocked by one bad field, and nothing saved earlier is lost.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fundapp.accounts.roles import user_can
from fundapp.core.decorators import capability_required
from fundapp.core.exports import export_response, requested_format
from fundapp.core.errors import FundError, ValidationFailed
from fundapp.core.forms import form_submit, run_action
from fundapp.core.formatting import every_country_sorted
from fundapp.core.listing import Filter, Sort, listing
from fundapp.core.upload_limits import max_upload_bytes, upload_limit
from grants.confirmations import confirm
from grants.exports import application_columns, with_review_scores
from grants.forms import (
    BUDGET_PREFIX,
    ApplicationFilterForm,
    ApplicationForm,
    AttachmentForm,
    BudgetLineFormSet,
    WithdrawForm,
    budget_formset,
)
from grants.models import ApplicationStatus, DocumentKind
from grants.models.applications import WITHDRAWABLE
from grants.selectors.applications import (
    APPLICANT_STATUSES,
    application_history_for,
    application_list,
    application_missing_items,
    filter_applications,
    get_application_for,
    get_attachment_for,
)
from grants.selectors.board import decision_of
from grants.selectors.calls import calls_visible_to, get_call_for, open_calls
from grants.selectors.extensions import submission_deadline, submission_open
from grants.selectors.information import information_panel_for
from grants.selectors.work.applicants import (
    decided_recently,
    drafts_due_soon,
    my_applications_list,
)
from grants.selectors.organisations import can_edit_applications, org_can, organisation_of
from grants.services.applications import (
    application_create,
    application_submit,
    application_update,
    application_withdraw,
    attachment_add,
    attachment_remove,
)

from .common import days_left, with_days_left
from .extensions import deadline_context, with_page_deadlines

# Where each piece of a draft lives on the edit page (for "what is missing" links).
SECTIONS = {
    "title": ("id_title", gettext_lazy("Project title")),
    "summary": ("id_summary", gettext_lazy("Summary")),
    "countries": ("id_countries", gettext_lazy("Countries of implementation")),
    "requested_usd": ("id_requested_usd", gettext_lazy("Amount requested")),
    "duration_months": ("id_duration_months", gettext_lazy("Duration")),
    "start_date": ("id_start_date", gettext_lazy("Planned start date")),
    "beneficiaries": ("beneficiaries", gettext_lazy("Target beneficiaries")),
    "services": ("services", gettext_lazy("Services offered")),
    "budget_lines": ("budget", gettext_lazy("Budget")),
    "priorities": ("priorities", gettext_lazy("Call priorities")),
    "attachments": ("attachments", gettext_lazy("Attachments")),
    "file": ("attachments", gettext_lazy("Attachments")),
    "__all__": ("draft", gettext_lazy("Draft")),
    "draft": ("draft", gettext_lazy("Draft")),
}


def _issues(errors: dict) -> list[tuple[str, str, str]]:
    """(anchor, label, message) for each message of a field → messages dict."""
    rows = []
    for field, msgs in errors.items():
        anchor, label = SECTIONS.get(field, SECTIONS["__all__"])
        rows.extend((anchor, str(label), str(m)) for m in msgs)
    return rows


def _documents(call) -> list[str]:
    return [str(DocumentKind(k).label) for k in call.required_documents
            if k in DocumentKind.values]


def _member_application(request, pk: int):
    """The application, if the user belongs to its organisation (others: 404 or 403)."""
    app = get_application_for(request.user, pk)
    org = organisation_of(request.user)
    if org is None or org.pk != app.organisation_id:
        raise PermissionDenied
    if not org_can(request.user, org, "application.edit"):  # viewers read only
        raise PermissionDenied
    return app


# ---------------------------------------------------------------- lists


def _applicant_status_choices():
    return [(s, ApplicationStatus(s).label) for s in APPLICANT_STATUSES]


def _only(selector):
    def apply(qs, value):
        return selector(qs)
    return apply


MY_FILTERS = [
    Filter("status", gettext_lazy("Status"), choices=_applicant_status_choices,
           apply=lambda qs, value: qs.filter(seen_status=value)),
    Filter("deadline", gettext_lazy("Deadline"),
           choices=[("soon", gettext_lazy("Drafts due within 14 days"))],
           apply=_only(drafts_due_soon)),
    Filter("decided", gettext_lazy("Decision"),
           choices=[("recent", gettext_lazy("Decided in the last 30 days"))],
           apply=_only(decided_recently)),
    Filter("search", gettext_lazy("Search"),
           apply=lambda qs, text: qs.filter(Q(title__icontains=text)
                                            | Q(reference__icontains=text))),
]
MY_SORTS = [
    Sort("newest", gettext_lazy("Newest first"), ("-created_at", "-id")),
    Sort("reference", gettext_lazy("Reference"), "reference"),
    Sort("title", gettext_lazy("Title"), "title"),
]


@capability_required("application.create")
def my_applications(request):
    """The organisation's applications; the home page's items link here filtered
    (``?status=``, ``?deadline=soon``, ``?decided=recent``: grants.selectors.work.applicants)."""
    found = listing(request, my_applications_list(request.user), filters=MY_FILTERS,
                    sorts=MY_SORTS)
    if requested_format(request):
        return export_response(request, found.queryset,
                               application_columns(request.user, scores=False), "applications")
    return render(request, "grants/my_applications.html", {
        "org": organisation_of(request.user),
        "can_edit": can_edit_applications(request.user),
        "listing": found,
        "page": with_page_deadlines(found.page),
        "open_calls": with_days_left(open_calls()),
    })


LIST_COLUMNS = (
    ("reference", gettext_lazy("Reference")), ("title", gettext_lazy("Title")),
    ("organisation", gettext_lazy("Organisation")), ("requested", gettext_lazy("Requested")),
    ("status", gettext_lazy("Status")), ("submitted", gettext_lazy("Submitted")),
)


def _columns(current: str) -> list[dict]:
    """Header cells: the sort each link asks for, and aria-sort for the current column."""
    columns = []
    for key, label in LIST_COLUMNS:
        active = current.lstrip("-") == key
        descending = current.startswith("-")
        columns.append({
            "key": key, "label": label,
            "next": key if active and descending else f"-{key}",
            "aria_sort": ("descending" if descending else "ascending") if active else None,
        })
    return columns


def _list_sorts() -> list[Sort]:
    """The column headers' sorts (``?sort=title`` / ``-title``), empty values last."""
    sorts = []
    for key, label in LIST_COLUMNS:
        column = F(ApplicationFilterForm.SORTS[key])
        sorts.append(Sort(f"-{key}", _("%(column)s, descending") % {"column": label},
                          (column.desc(nulls_last=True), "-created_at")))
        sorts.append(Sort(key, _("%(column)s, ascending") % {"column": label},
                          (column.asc(nulls_last=True), "-created_at")))
    default = next(s for s in sorts if s.key == "-submitted")
    return [default, *[s for s in sorts if s is not default]]


def _country_choices() -> list[tuple[str, str]]:
    return every_country_sorted()


def _list_filters(user, calls) -> list[Filter]:
    def search(qs, text):
        return filter_applications(qs, user, search=text)

    priorities: dict[str, str] = {}
    for call in calls:
        for p in call.priorities.all():
            priorities.setdefault(p.code, p.name)
    return [
        Filter("q", gettext_lazy("Search"), apply=search),
        Filter("search", gettext_lazy("Search"), apply=search, hidden=True),  # the API's name
        Filter("call", gettext_lazy("Call"), lookup="call_id", choices=[
            (str(c.pk), str(c)) for c in calls]),
        Filter("status", gettext_lazy("Status"), choices=ApplicationStatus.choices,
               apply=lambda qs, value: filter_applications(qs, user, status=value)),
        Filter("country", gettext_lazy("Country"), choices=_country_choices,
               apply=lambda qs, value: filter_applications(qs, user, country=value)),
        Filter("priority", gettext_lazy("Priority"),
               choices=sorted(priorities.items(), key=lambda item: item[1]),
               apply=lambda qs, value: filter_applications(qs, user, priority=value)),
        Filter("overdue", gettext_lazy("Information requested"),
               choices=[("1", gettext_lazy("Answer overdue"))],
               apply=lambda qs, value: qs.filter(open_info_due_on__lt=timezone.localdate())),
    ]


@capability_required("application.view_all", "board.vote")
def application_list_view(request):
    """The secretariat's (and the Board's) list of applications: filters shown and
    removable, sort (also by the column headers), page size and count, all in the URL."""
    calls = list(calls_visible_to(request.user).order_by("-number"))
    found = listing(request, application_list(request.user),
                    filters=_list_filters(request.user, calls), sorts=_list_sorts())
    apps = found.queryset
    if requested_format(request):
        scores = user_can(request.user, "application.screen")
        return export_response(request, with_review_scores(apps) if scores else apps,
                               application_columns(request.user, scores=scores),
                               "applications")
    return render(request, "grants/application_list.html", {
        "listing": found, "page": found.page, "columns": _columns(found.sort),
    })


# ---------------------------------------------------------------- starting a draft


@capability_required("application.create")
@require_POST
def call_apply(request, pk: int):
    call = get_call_for(request.user, pk)
    draft = application_list(request.user, call=call.pk,
                             status=ApplicationStatus.DRAFT).first()
    if draft is not None:
        messages.info(request, _("Your organisation already has a draft for this call: "
                                 "carry on with it here."))
        return redirect("grants:application-edit", pk=draft.pk)
    done = run_action(request, lambda: application_create(actor=request.user, call=call),
                      success=_("Your draft is started. It is saved as you type."))
    if done is None:
        return redirect("grants:call-detail", pk=call.pk)
    return redirect("grants:application-edit", pk=done.result.pk)


# ---------------------------------------------------------------- editing a draft


def _render_edit(request, app, *, form=None, formset=None, attachment_form=None,
                 section_errors=None, submit_issues=None, status=200):
    call = app.call
    deadline = submission_deadline(app)
    return render(request, "grants/application_edit.html", {
        "app": app, "call": call,
        "form": form if form is not None else ApplicationForm(
            initial=ApplicationForm.initial_from(app), call=call),
        "formset": formset if formset is not None else budget_formset(app),
        "attachment_form": attachment_form if attachment_form is not None else AttachmentForm(),
        "attachments": app.attachments.all(),
        "documents": _documents(call),
        "budget_total": sum(line.amount for line in app.budget_lines.all()),
        "missing": _issues(application_missing_items(app)),
        "section_errors": section_errors or {},
        "submit_issues": submit_issues,
        "accepting": submission_open(app, call=call) or app.is_answering_information_request,
        "days_left": days_left(deadline),
        "deadline": deadline, "extended": deadline != call.closes_at,
        "editable": True,
        "information": information_panel_for(request.user, app)
        if app.is_answering_information_request else None,
    }, status=status)


def _save_valid_parts(*, actor, app, values: dict) -> dict[str, list[str]]:
    """Save every value the service accepts; return the errors of the ones it refused."""
    refused: dict[str, list[str]] = {}
    while values:
        try:
            application_update(actor=actor, application=app, values=values)
            break
        except ValidationFailed as exc:
            if not exc.field_errors:
                refused["__all__"] = [str(exc.message)]
                break
            refused.update(exc.field_errors)
            remaining = {k: v for k, v in values.items() if k not in exc.field_errors}
            if len(remaining) == len(values):
                break
            values = remaining
    return refused


def _save_draft(request, app):
    """Bind the page's forms, save what is valid, attach the refusals to the forms."""
    form = ApplicationForm(request.POST, call=app.call)
    formset = budget_formset(data=request.POST)
    form.is_valid()
    values = form.valid_values()
    if formset.is_valid():
        values["budget_lines"] = formset.lines()
    refused = _save_valid_parts(actor=request.user, app=app, values=values)
    section_errors = {}
    for field, msgs in refused.items():
        if field in form.fields:
            for message in msgs:
                form.add_error(field, message)
        else:
            section_errors["draft" if field == "__all__" else field] = [str(m) for m in msgs]
    return form, formset, section_errors


def _form_problems(form, formset, section_errors) -> list[tuple[str, str, str]]:
    """Every error of a save attempt, as (anchor, label, message)."""
    by_code = {p.code: p for p in form.priorities}
    rows = []
    for name, msgs in form.errors.items():
        if name.startswith(("priority-", "justification-")):
            label = by_code[name.split("-", 1)[1]].name
        elif name in form.fields:
            label = str(form.fields[name].label)
        else:
            label = str(SECTIONS["__all__"][1])
        rows.extend((f"id_{name}", label, str(m)) for m in msgs)
    for i, line in enumerate(formset.forms):
        for name, msgs in line.errors.items():
            label = _("Budget line %(n)s: %(field)s") % {
                "n": i + 1, "field": line.fields[name].label if name in line.fields else ""}
            rows.extend((f"id_{BUDGET_PREFIX}-{i}-{name}", label, str(m)) for m in msgs)
    rows.extend(("budget", str(SECTIONS["budget_lines"][1]), str(m))
                for m in formset.non_form_errors())
    rows.extend(_issues(section_errors))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk: int):
    app = _member_application(request, pk)
    if not app.is_editable:
        return redirect("grants:application-detail", pk=app.pk)
    if request.method == "GET":
        return _render_edit(request, app)
    try:
        form, formset, section_errors = _save_draft(request, app)
    except FundError as exc:
        messages.error(request, exc.message)
        return redirect("grants:application-detail", pk=app.pk)
    if not _form_problems(form, formset, section_errors):
        messages.success(request, _("Your draft is saved."))
        return redirect("grants:application-edit", pk=app.pk)
    messages.warning(request, _("The valid fields are saved; correct the fields marked below "
                                "and save again."))
    app = get_application_for(request.user, pk)
    return _render_edit(request, app, form=form, formset=formset,
                        section_errors=section_errors, status=400)


@login_required
@require_POST
def application_autosave(request, pk: int):
    app = _member_application(request, pk)
    context = {"app": app, "saved_at": None, "problems": [], "failure": None}
    if not app.is_editable:
        context["failure"] = _("This application has been submitted and can no longer be "
                               "edited.")
        return render(request, "grants/partials/autosave_status.html", context)
    try:
        form, formset, section_errors = _save_draft(request, app)
    except FundError as exc:
        context["failure"] = exc.message
        return render(request, "grants/partials/autosave_status.html", context)
    app = get_application_for(request.user, pk)
    context.update({
        "app": app, "saved_at": timezone.localtime(),
        "tz_name": timezone.get_current_timezone_name(),
        "problems": _form_problems(form, formset, section_errors),
        "missing": _issues(application_missing_items(app)),
        "budget_total": sum(line.amount for line in app.budget_lines.all()),
        "oob": True,
    })
    return render(request, "grants/partials/autosave_status.html", context)


@login_required
@require_GET
def application_budget_row(request, pk: int):
    """One more blank budget line (htmx), and the formset's new form count."""
    app = _member_application(request, pk)
    try:
        index = int(request.GET.get(f"{BUDGET_PREFIX}-TOTAL_FORMS", "0"))
    except ValueError:
        index = 0
    formset = BudgetLineFormSet(prefix=BUDGET_PREFIX)
    index = max(0, min(index, formset.max_num - 1))
    formset.extra = index + 1
    return render(request, "grants/partials/budget_line_added.html", {
        "app": app, "line": formset.forms[index], "index": index, "total": index + 1,
        "prefix": BUDGET_PREFIX,
    })


# ---------------------------------------------------------------- attachments


def _attachments_response(request, app, form, *, notice=None, failed=False):
    if request.htmx:
        app = get_application_for(request.user, app.pk)
        return render(request, "grants/partials/attachments.html", {
            "app": app, "attachments": app.attachments.all(), "attachment_form": form,
            "editable": True, "notice": notice, "oob": True, "documents": _documents(app.call),
            "missing": _issues(application_missing_items(app)),
        })
    if not failed:
        if notice:
            messages.success(request, notice)
        return redirect(reverse("grants:application-edit", args=[app.pk]) + "#attachments")
    app = get_application_for(request.user, app.pk)
    return _render_edit(request, app, attachment_form=form, status=400)


def _attachment_too_large(request, match, message: str):
    """The attachments form with the error on its file field, as the upload view answers
    any other refused file (the partial for htmx, the edit page otherwise)."""
    if not request.user.is_authenticated:
        return None
    app = _member_application(request, match.kwargs["pk"])  # 404 for someone else's
    form = AttachmentForm(data={}, files={})
    form.errors.clear()  # only the size is wrong: nothing else was read
    form.add_error("file", message)
    return _attachments_response(request, app, form, failed=True)


@upload_limit(max_upload_bytes, on_too_large=_attachment_too_large)
@login_required
@require_POST
def attachment_upload(request, pk: int):
    app = _member_application(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if done := form_submit(request, form, lambda data: attachment_add(
            actor=request.user, application=app, kind=data["kind"], uploaded=data["file"])):
        notice = _("“%(name)s” is attached.") % {"name": done.result.original_name}
        return _attachments_response(request, app, AttachmentForm(), notice=notice)
    return _attachments_response(request, app, form, failed=True)


@login_required
@require_POST
def attachment_delete(request, pk: int, attachment_pk: int):
    app = _member_application(request, pk)
    attachment = get_attachment_for(request.user, pk, attachment_pk)
    try:
        attachment_remove(actor=request.user, attachment=attachment)
    except FundError as exc:
        form = AttachmentForm()
        form.add_error(None, str(exc.message))
        return _attachments_response(request, app, form, failed=True)
    notice = _("“%(name)s” is removed.") % {"name": attachment.original_name}
    return _attachments_response(request, app, AttachmentForm(), notice=notice)


@login_required
@require_GET
def attachment_download(request, pk: int, attachment_pk: int):
    attachment = get_attachment_for(request.user, pk, attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type)


# ---------------------------------------------------------------- submit, withdraw, read


@login_required
@require_POST
@confirm("application-submit")
def application_submit_view(request, pk: int):
    app = _member_application(request, pk)
    if not app.is_editable:
        messages.info(request, _("This application has already been submitted."))
        return redirect("grants:application-detail", pk=app.pk)
    answering = app.is_answering_information_request
    try:
        app = application_submit(actor=request.user, application=app)
    except FundError as exc:
        issues = _issues(exc.field_errors) if exc.field_errors else [
            ("draft", "", str(exc.message))]
        app = get_application_for(request.user, pk)
        return _render_edit(request, app, submit_issues=issues, status=exc.status_code)
    messages.success(request, (_("Your answer is sent: application %(ref)s is resubmitted.")
                               if answering else
                               _("Your application is submitted. Reference: %(ref)s."))
                     % {"ref": app.reference})
    return redirect("grants:application-detail", pk=app.pk)


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw_view(request, pk: int):
    app = _member_application(request, pk)
    if app.status not in WITHDRAWABLE:
        messages.info(request, _("This application can no longer be withdrawn."))
        return redirect("grants:application-detail", pk=app.pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST":
        if form_submit(request, form, lambda data: application_withdraw(
                actor=request.user, application=app, reason=data["reason"])):
            messages.success(request, _("The application is withdrawn."))
            return redirect("grants:application-detail", pk=app.pk)
        return render(request, "grants/application_withdraw.html", {"app": app, "form": form},
                      status=400)
    return render(request, "grants/application_withdraw.html", {"app": app, "form": form})


@login_required
@require_GET
def application_detail(request, pk: int):
    app = get_application_for(request.user, pk)
    org = organisation_of(request.user)
    is_member = org is not None and org.pk == app.organisation_id
    decided = app.status in (ApplicationStatus.APPROVED, ApplicationStatus.DECLINED)
    return render(request, "grants/application_detail.html", {
        "app": app, "call": app.call, "is_member": is_member,
        "decision": decision_of(request.user, app) if decided else None,
        "can_edit": is_member and app.is_editable and can_edit_applications(request.user),
        "can_withdraw": is_member and app.status in WITHDRAWABLE
        and can_edit_applications(request.user),
        "budget_total": sum(line.amount for line in app.budget_lines.all()),
        "attachments": app.attachments.all(), "documents": _documents(app.call),
        "missing": _issues(application_missing_items(app)) if is_member and app.is_editable
        else [],
        "history": application_history_for(request.user, app),
        "information": information_panel_for(request.user, app),
        **deadline_context(request, app),
    })
