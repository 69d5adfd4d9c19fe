"""Review pages: the secretariat's rubric, assignment, progress and reviewer pool; a
reviewer's list, declaration and scoring form."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from fundapp.accounts.models import User
from fundapp.core.decorators import capability_required
from fundapp.core.exports import NUMBER, Column, export_response, requested_format
from fundapp.core.errors import FundError
from fundapp.core.forms import apply_errors, form_submit, run_action
from fundapp.core.listing import Filter, Sort, listing
from grants.forms.reviews import (
    AssignForm,
    AutoAssignForm,
    CriterionFormSet,
    DeclareForm,
    ProfileForm,
    ScoreForm,
)
from grants.models import Call, ReviewStatus
from grants.selectors.applications import get_application_for
from grants.selectors.calls import calls_visible_to, get_call_for
from grants.selectors.reviews import (
    call_has_scores,
    conflict_reasons,
    get_review_for,
    hides_identity,
    in_review_or_reviewed,
    peer_reviews,
    review_progress_by_application,
    review_progress_by_reviewer,
    reviewer_loads,
    reviewer_pool_with_profiles,
    weighted_score,
)
from grants.selectors.work.secretariat import (
    REVIEW_DAYS,
    overdue_reviews,
    reviews_for_secretariat,
    reviews_to_reassign,
)
from grants.selectors.work.members import REVIEW_DAYS as MY_REVIEW_DAYS
from grants.selectors.work.members import my_reviews_list, review_due_at, review_is_overdue
from grants.selectors.work.members import reviews_overdue_q as my_reviews_overdue_q
from grants.services.reviews import (
    ASSIGNABLE,
    MIN_REVIEWERS,
    call_rubric_ensure_defaults,
    call_rubric_update,
    review_declare,
    review_save,
    review_submit,
    review_unassign,
    reviewer_profile_update,
    reviewers_assign,
    reviewers_assign_auto,
    reviews_remind_pending,
)

from grants.exports import (
    call_progress_columns,
    review_columns,
    review_criteria,
    review_progress_columns,
    reviewer_progress_columns,
)

from .common import paginate

CONFLICT_LABELS = {
    "declared": gettext_lazy("Declared a conflict with this organisation"),
    "organisation": gettext_lazy("Conflict with this organisation"),
    "country": gettext_lazy("Conflict with the organisation's country"),
}

# ---------------------------------------------------------------- secretariat: rubric


@capability_required("review.manage")
@require_http_methods(["GET", "POST"])
def rubric_edit(request, pk: int):
    call = get_call_for(request.user, pk)
    criteria = call_rubric_ensure_defaults(call=call, actor=request.user)
    locked = call_has_scores(call)
    initial = [{"code": c.code, "name_en": c.name_en, "name_fr": c.name_fr, "weight": c.weight}
               for c in criteria]
    formset = CriterionFormSet(request.POST or None, initial=initial, prefix="criteria")
    status = 200
    if request.method == "POST":
        status = 400
        if formset.is_valid():
            values = [{k: f.cleaned_data[k] for k in ("code", "name_en", "name_fr", "weight")}
                      for f in formset.forms
                      if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            try:
                call_rubric_update(actor=request.user, call=call, criteria=values)
            except FundError as exc:
                messages.error(request, exc.summary())
            else:
                messages.success(request, _("The rubric is saved."))
                return redirect("grants:rubric-edit", pk=call.pk)
    return render(request, "grants/reviews/rubric.html", {
        "call": call, "formset": formset, "locked": locked,
        "total_weight": sum(c.weight for c in criteria),
    }, status=status)


# ---------------------------------------------------------------- secretariat: progress


@capability_required("review.manage")
def review_calls(request):
    calls = (calls_visible_to(request.user).annotate(
        n_eligible=Count("applications", filter=in_review_or_reviewed("applications__"),
                         distinct=True),
        n_reviews=Count("applications__reviews", filter=Q(
            applications__reviews__status__in=(ReviewStatus.ASSIGNED, ReviewStatus.DRAFT,
                                               ReviewStatus.SUBMITTED)), distinct=True),
        n_submitted=Count("applications__reviews", filter=Q(
            applications__reviews__status=ReviewStatus.SUBMITTED), distinct=True),
    ))
    found = listing(request, calls, filters=REVIEW_CALL_FILTERS, sorts=REVIEW_CALL_SORTS)
    if requested_format(request):
        return export_response(request, found.queryset, call_progress_columns([
            ("n_eligible", gettext_lazy("Eligible")), ("n_reviews", gettext_lazy("Reviews")),
            ("n_submitted", gettext_lazy("Submitted"))]), "review-progress")
    return render(request, "grants/reviews/calls.html", {"page": found.page, "listing": found})


REVIEW_CALL_FILTERS = [
    Filter("in_review", gettext_lazy("Reviews"),
           choices=[("1", gettext_lazy("Calls with reviews"))],
           apply=lambda qs, value: qs.filter(n_reviews__gt=0)),
]
REVIEW_CALL_SORTS = [
    Sort("number", gettext_lazy("Newest number first"), "-number"),
    Sort("closes", gettext_lazy("Deadline, oldest first"), "closes_at"),
]


def _review_calls_choices():
    return [(str(pk), _("No. %(n)s") % {"n": number})
            for pk, number in Call.objects.order_by("-number").values_list("pk", "number")]


REVIEW_LIST_FILTERS = [
    Filter("overdue", gettext_lazy("Overdue"), choices=[("1", gettext_lazy("Overdue only"))],
           apply=lambda qs, value: overdue_reviews(qs)),
    Filter("reassign", gettext_lazy("To reassign"),
           choices=[("1", gettext_lazy("Reviewer deactivated"))],
           apply=lambda qs, value: reviews_to_reassign(qs)),
    Filter("status", gettext_lazy("Status"), choices=ReviewStatus.choices),
    Filter("call", gettext_lazy("Call"), choices=_review_calls_choices,
           lookup="application__call_id"),
]
REVIEW_LIST_SORTS = [
    Sort("assigned", gettext_lazy("Assigned longest ago first"), "assigned_at"),
    Sort("-assigned", gettext_lazy("Assigned most recently first"), "-assigned_at"),
    Sort("reviewer", gettext_lazy("Reviewer"), ("reviewer__last_name", "reviewer__username")),
]


@capability_required("review.manage")
def review_list_view(request):
    """Every review with its reviewer and how long it has waited; the work queue's
    "reviews overdue" links to ``?overdue=1``, "reviews to reassign" to ``?reassign=1``."""
    found = listing(request, reviews_for_secretariat(request.user),
                    filters=REVIEW_LIST_FILTERS, sorts=REVIEW_LIST_SORTS)
    now = timezone.now()
    for review in found.page:
        review.waiting_days = (now - review.assigned_at).days
    return render(request, "grants/reviews/list.html", {
        "listing": found, "page": found.page, "review_days": REVIEW_DAYS})


@capability_required("review.manage")
def review_progress(request, pk: int):
    call = get_call_for(request.user, pk)
    apps = review_progress_by_application(call)
    if requested_format(request):
        return export_response(request, apps, review_progress_columns(),
                               f"call-{call.number}-reviews")
    return render(request, "grants/reviews/progress.html", {
        "call": call, "page": paginate(request, apps), "auto_form": AutoAssignForm(),
        "min_reviewers": MIN_REVIEWERS, "tab": "applications",
    })


@capability_required("review.manage")
def review_progress_reviewers(request, pk: int):
    call = get_call_for(request.user, pk)
    if requested_format(request):
        return export_response(request, review_progress_by_reviewer(call),
                               reviewer_progress_columns(), f"call-{call.number}-reviewers")
    return render(request, "grants/reviews/progress_reviewers.html", {
        "call": call, "page": paginate(request, review_progress_by_reviewer(call)),
        "tab": "reviewers",
    })


@capability_required("application.assign_reviewers")
@require_POST
def review_auto_assign(request, pk: int):
    call = get_call_for(request.user, pk)
    form = AutoAssignForm(request.POST)
    per = form.cleaned_data["per_application"] if form.is_valid() else MIN_REVIEWERS
    if done := run_action(request, lambda: reviewers_assign_auto(
            actor=request.user, call=call, per_application=per)):
        _auto_message(request, done.result)
    return redirect("grants:review-progress", pk=call.pk)


def _auto_message(request, result) -> None:
    assigned = sum(len(v) for v in result.assigned.values())
    messages.success(request, ngettext("%(n)s assignment made.", "%(n)s assignments made.",
                                       assigned) % {"n": assigned})
    if result.short:
        messages.warning(request, ngettext(
            "%(n)s application still lacks reviewers: the pool has too few reviewers "
            "without a conflict.",
            "%(n)s applications still lack reviewers: the pool has too few reviewers "
            "without a conflict.", len(result.short)) % {"n": len(result.short)})


@capability_required("review.manage")
@require_POST
def review_remind(request, pk: int):
    call = get_call_for(request.user, pk)
    sent = reviews_remind_pending(actor=request.user, call=call, force=True)
    messages.success(request, ngettext("%(n)s reminder sent.", "%(n)s reminders sent.", sent)
                     % {"n": sent})
    return redirect("grants:review-progress", pk=call.pk)


# ---------------------------------------------------------------- secretariat: assignment


def _assignment_context(app, form=None) -> dict:
    reviews = list(app.reviews.select_related("reviewer").order_by("assigned_at", "id"))
    assigned = {r.reviewer_id for r in reviews}
    excluded = conflict_reasons(app)
    loads = reviewer_loads(app.call)
    pool = list(reviewer_pool_with_profiles())
    candidates = [u for u in pool if u.pk not in assigned and u.pk not in excluded]
    rows = [{"user": u, "load": loads.get(u.pk, {}), "assigned": u.pk in assigned,
             "conflict": CONFLICT_LABELS.get(excluded.get(u.pk, ""), "")} for u in pool]
    rows.sort(key=lambda r: (r["assigned"] or bool(r["conflict"]),
                             r["load"].get("total", 0), r["user"].pk))
    return {"app": app, "call": app.call, "reviews": reviews, "rows": rows,
            "form": form or AssignForm(candidates=candidates),
            "can_assign": app.status in ASSIGNABLE, "min_reviewers": MIN_REVIEWERS}


@capability_required("application.assign_reviewers")
@require_http_methods(["GET", "POST"])
def review_assign(request, pk: int):
    app = get_application_for(request.user, pk)
    if request.method == "GET":
        return render(request, "grants/reviews/assign.html", _assignment_context(app))
    context = _assignment_context(app)
    form = AssignForm(request.POST, candidates=[r["user"] for r in context["rows"]])
    if done := form_submit(request, form, lambda data: reviewers_assign(
            actor=request.user, application=app,
            reviewers=User.objects.filter(pk__in=[int(v) for v in data["reviewers"]]))):
        messages.success(request, ngettext("%(n)s reviewer assigned and told.",
                                           "%(n)s reviewers assigned and told.",
                                           len(done.result)) % {"n": len(done.result)})
        return redirect("grants:review-assign", pk=app.pk)
    return render(request, "grants/reviews/assign.html", _assignment_context(app, form),
                  status=400)


@capability_required("application.assign_reviewers")
@require_POST
def review_assign_auto_one(request, pk: int):
    app = get_application_for(request.user, pk)
    if done := run_action(request, lambda: reviewers_assign_auto(
            actor=request.user, call=app.call, applications=[app])):
        _auto_message(request, done.result)
    return redirect("grants:review-assign", pk=app.pk)


@capability_required("application.assign_reviewers")
@require_POST
def review_unassign_view(request, pk: int):
    review = get_review_for(request.user, pk)
    run_action(request, lambda: review_unassign(actor=request.user, review=review),
               success=_("%(name)s no longer reviews this application.")
               % {"name": review.reviewer.display_name})
    return redirect("grants:review-assign", pk=review.application_id)


# ---------------------------------------------------------------- secretariat: pool


def _reviewer_search(qs, text):
    return qs.filter(Q(username__icontains=text) | Q(first_name__icontains=text)
                     | Q(last_name__icontains=text) | Q(email__icontains=text)
                     | Q(reviewer_profile__expertise__icontains=text))


def _reviewer_kind(qs, kind):
    if kind == "staff":
        return qs.filter(reviewer_profile__is_external=False)
    return qs.filter(Q(reviewer_profile__isnull=True) | Q(reviewer_profile__is_external=True))


def _with_pending(qs):
    return qs.annotate(pending_n=Count("reviews", filter=Q(
        reviews__status__in=(ReviewStatus.ASSIGNED, ReviewStatus.DRAFT)), distinct=True))


REVIEWER_FILTERS = [
    Filter("search", gettext_lazy("Search"), apply=_reviewer_search),
    Filter("kind", gettext_lazy("Kind"), apply=_reviewer_kind,
           choices=[("staff", gettext_lazy("Staff")), ("external", gettext_lazy("External"))]),
    Filter("pending", gettext_lazy("Pending reviews"),
           choices=[("1", gettext_lazy("With pending reviews")),
                    ("0", gettext_lazy("Without pending reviews"))],
           apply=lambda qs, v: qs.filter(pending_n__gt=0) if v == "1"
           else qs.filter(pending_n=0)),
]
REVIEWER_SORTS = [
    Sort("username", gettext_lazy("User name"), "username"),
    Sort("name", gettext_lazy("Name (A–Z)"), ("last_name", "first_name", "username")),
    Sort("-pending", gettext_lazy("Most pending reviews first"), ("-pending_n", "username")),
    Sort("pending", gettext_lazy("Fewest pending reviews first"), ("pending_n", "username")),
]


@capability_required("review.manage")
def reviewer_pool_view(request):
    loads = reviewer_loads(None)
    found = listing(request, _with_pending(reviewer_pool_with_profiles()),
                    filters=REVIEWER_FILTERS, sorts=REVIEWER_SORTS)
    if requested_format(request):
        return export_response(request, found.queryset, [
            Column(gettext_lazy("Reviewer"), "display_name"),
            Column(gettext_lazy("User name"), "username"),
            Column(gettext_lazy("Expertise"), lambda u: getattr(
                getattr(u, "reviewer_profile", None), "expertise", "")),
            Column(gettext_lazy("Reviews"), lambda u: loads.get(u.pk, {}).get("total", 0),
                   NUMBER),
            Column(gettext_lazy("Pending"), lambda u: loads.get(u.pk, {}).get("pending", 0),
                   NUMBER)], "reviewers")
    page = found.page
    for user in page:
        user.load = loads.get(user.pk, {})
        user.profile = getattr(user, "reviewer_profile", None) if hasattr(
            user, "reviewer_profile") else None
    return render(request, "grants/reviews/pool.html", {"listing": found, "page": page})


@capability_required("review.manage")
@require_http_methods(["GET", "POST"])
def reviewer_edit(request, pk: int):
    user = reviewer_pool_with_profiles().filter(pk=pk).first()
    if user is None:
        raise Http404
    profile = getattr(user, "reviewer_profile", None) if hasattr(user, "reviewer_profile") \
        else None
    initial = {"is_external": True} if profile is None else {
        "is_external": profile.is_external, "expertise": profile.expertise,
        "conflict_countries": [c.code for c in profile.conflict_countries],
        "conflict_organisations": list(profile.conflict_organisations.all())}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form_submit(request, form, lambda data: reviewer_profile_update(
                actor=request.user, user=user, values=dict(data))):
            messages.success(request, _("%(name)s's profile is saved.")
                             % {"name": user.display_name})
            return redirect("grants:reviewer-pool")
        return render(request, "grants/reviews/reviewer_form.html",
                      {"reviewer": user, "form": form}, status=400)
    return render(request, "grants/reviews/reviewer_form.html", {"reviewer": user, "form": form})


# ---------------------------------------------------------------- reviewers


@capability_required("review.score")
def my_reviews(request):
    """The reviewer's assignments; the home page links here with ``?status=`` and
    ``?overdue=1`` (grants.selectors.work.members: same selector, same definition)."""
    found = listing(request, my_reviews_list(request.user), filters=MY_REVIEW_FILTERS,
                    sorts=MY_REVIEW_SORTS)
    reviews = found.queryset
    if requested_format(request):
        return export_response(request, reviews.prefetch_related("scores__criterion"),
                               review_columns(request.user, criteria=review_criteria(reviews)),
                               "my-reviews")
    for review in found.page:
        review.hide_identity = hides_identity(request.user, review.application)
        review.due_at = review_due_at(review)
        review.is_overdue = review_is_overdue(review)
    return render(request, "grants/reviews/my_reviews.html", {
        "page": found.page, "listing": found, "review_days": MY_REVIEW_DAYS})


MY_REVIEW_FILTERS = [
    Filter("status", gettext_lazy("Status"), choices=ReviewStatus.choices),
    Filter("overdue", gettext_lazy("Overdue"), choices=[("1", gettext_lazy("Overdue only"))],
           apply=lambda qs, value: qs.filter(my_reviews_overdue_q())),
]
MY_REVIEW_SORTS = [
    Sort("todo", gettext_lazy("To do first"), ("status", "assigned_at")),
    Sort("newest", gettext_lazy("Assigned most recently first"), "-assigned_at"),
    Sort("oldest", gettext_lazy("Assigned longest ago first"), "assigned_at"),
]


def _own_review(request, pk: int):
    review = get_review_for(request.user, pk)
    if review.reviewer_id != request.user.pk:
        raise Http404
    return review


@capability_required("review.score")
@require_http_methods(["GET", "POST"])
def review_declare_view(request, pk: int):
    review = _own_review(request, pk)
    if review.status != ReviewStatus.ASSIGNED:
        return redirect("grants:review-detail", pk=review.pk)
    form = DeclareForm(request.POST or None)
    if request.method == "POST":
        if form_submit(request, form, lambda data: review_declare(actor=request.user,
                                                                   review=review, **data)):
            return _after_declaration(request, review, form.cleaned_data["conflict"])
        return _render_declare(request, review, form, status=400)
    return _render_declare(request, review, form)


def _render_declare(request, review, form, status=200):
    return render(request, "grants/reviews/declare.html", {
        "review": review, "app": review.application, "form": form,
        "hide_identity": hides_identity(request.user, review.application),
    }, status=status)


def _after_declaration(request, review, conflict: bool):
    if conflict:
        messages.info(request, _("Thank you. You no longer review this application; the "
                                 "secretariat will assign someone else."))
        return redirect("grants:my-reviews")
    messages.success(request, _("Thank you. The application is open for your review."))
    return redirect("grants:review-detail", pk=review.pk)


@capability_required("review.score")
@require_http_methods(["GET", "POST"])
def review_detail(request, pk: int):
    review = _own_review(request, pk)
    if review.status == ReviewStatus.ASSIGNED:
        return redirect("grants:review-declare", pk=review.pk)
    if review.status == ReviewStatus.CONFLICT:
        return render(request, "grants/reviews/conflict.html", {"review": review})
    criteria = call_rubric_ensure_defaults(call=review.application.call)
    if request.method == "GET" or review.is_locked:
        return _render_score(request, review, criteria, ScoreForm(criteria=criteria,
                                                                  review=review))
    form = ScoreForm(request.POST, criteria=criteria, review=review)
    if not form.is_valid():
        return _render_score(request, review, criteria, form, status=400)
    try:
        review_save(actor=request.user, review=review, **form.values())
        if "submit" in request.POST:
            review_submit(actor=request.user, review=review)
    except FundError as exc:
        apply_errors(form, exc)
        review = _own_review(request, pk)
        return _render_score(request, review, criteria, form, status=exc.status_code)
    messages.success(request, _("Your review is submitted. Thank you.") if "submit" in
                     request.POST else _("Your draft is saved."))
    return redirect("grants:review-detail", pk=review.pk)


def _render_score(request, review, criteria, form, status=200):
    app = get_application_for(request.user, review.application_id)
    peers = peer_reviews(review)
    own = {s.criterion.code: s.score for s in review.scores.all()}
    peer_scores = [{s.criterion.code: s.score for s in p.scores.all()} for p in peers]
    return render(request, "grants/reviews/score.html", {
        "review": review, "app": app, "call": app.call, "form": form, "criteria": criteria,
        "hide_identity": hides_identity(request.user, app),
        "budget_total": sum(line.amount for line in app.budget_lines.all()),
        "attachments": app.attachments.all(),
        "weighted": weighted_score(review, criteria),
        "peers": peers,
        "score_table": [(c, own.get(c.code), [p.get(c.code) for p in peer_scores])
                        for c in criteria],
        "peer_weighted": [weighted_score(p, criteria) for p in peers],
    }, status=status)
