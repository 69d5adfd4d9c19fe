from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fundapp.accounts.roles import Role, roles_of, user_can
from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import Errors
from fundapp.core.formatting import money
from grants.models import (
    Application,
    ApplicationPriority,
    ApplicationStatus,
    Attachment,
    BudgetLine,
    DocumentKind,
    InformationRequest,
    Membership,
    Review,
)
from grants.selectors.reviews import is_external_reviewer, sees_identity_always

BOARD_VISIBLE = (ApplicationStatus.RECOMMENDED, ApplicationStatus.APPROVED,
                 ApplicationStatus.DECLINED)


# --- what the applicant sees ------------------------------------------------------------
# Until the Board session that decides an application has closed, its own organisation's
# users see every stage between screening and the decision as "under review": no ranking,
# recommendation or score. "approved" and "declined" are only ever set when the deciding
# session closes (grants.services.board._session_close), so they are shown as they are.
# "ineligible" stays visible: the organisation is told so, with reasons, after screening.

HIDDEN_FROM_APPLICANT = (
    ApplicationStatus.SCREENING, ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.RANKED, ApplicationStatus.RECOMMENDED, ApplicationStatus.NOT_RECOMMENDED,
)
APPLICANT_STATUSES = tuple(s for s in ApplicationStatus.values
                           if s not in HIDDEN_FROM_APPLICANT or s == ApplicationStatus.UNDER_REVIEW)


def applicant_status(status: str) -> str:
    """The status an applicant may see for an application whose real status is ``status``."""
    return ApplicationStatus.UNDER_REVIEW if status in HIDDEN_FROM_APPLICANT else status


def _may_read_as_applicant(user) -> bool:
    """NGO users read their organisation's applications as the applicant.

    The secretariat and the Board read real statuses even if they also belong to an NGO.
    """
    roles = roles_of(user)
    return Role.NGO in roles and not (Role.SECRETARIAT in roles or Role.BOARD in roles)


def _applicant_organisation_id(user) -> int | None:
    if not _may_read_as_applicant(user):
        return None
    cached = getattr(user, "_applicant_organisation_id", False)
    if cached is False:
        cached = (Membership.objects.filter(user=user)
                  .values_list("organisation_id", flat=True).first())
        user._applicant_organisation_id = cached
    return cached


def reads_as_applicant(user, app: Application) -> bool:
    org_id = _applicant_organisation_id(user)
    return org_id is not None and org_id == app.organisation_id


def status_seen_by(user, app: Application) -> str:
    """``app.status`` as ``user`` may see it (applicants: see ``applicant_status``).

    Uses the ``seen_status`` annotation when the application comes from a selector.
    """
    seen = getattr(app, "seen_status", None)
    if seen is not None:
        return seen
    return applicant_status(app.status) if reads_as_applicant(user, app) else app.status


# What each recorded step of an application is called on its History table.
HISTORY_LABELS = {
    "application.create": gettext_lazy("Draft started"),
    "application.update": gettext_lazy("Draft changed"),
    "application.submit": gettext_lazy("Submitted"),
    "application.withdraw": gettext_lazy("Withdrawn"),
    "attachment.add": gettext_lazy("Document attached"),
    "attachment.remove": gettext_lazy("Document removed"),
    "application.screen": gettext_lazy("Eligibility decided"),
    "application.confirm_priorities": gettext_lazy("Priorities confirmed"),
    "application.recommend": gettext_lazy("Recommendation recorded"),
    "application.request_information": gettext_lazy("Information requested"),
    "application.answer_information": gettext_lazy("Information provided and resubmitted"),
    "message.post": gettext_lazy("Message sent"),
    "deadline.extend": gettext_lazy("Deadline extended"),
    "deadline.revoke": gettext_lazy("Deadline extension revoked"),
}


# Steps only the applicant's own members can take (the services require an editing role in
# the organisation): its members see them even when the person has left or closed their
# account since ("Former member"), so nobody vanishes from the organisation's own trail.
APPLICANT_OWN_STEPS = frozenset({
    "application.create", "application.update", "application.submit", "application.withdraw",
    "attachment.add", "attachment.remove", "application.answer_information",
})


def application_history_for(user, app: Application, *, limit: int = 50) -> list:
    """Who did what to ``app``, by name, newest first, with a ``label`` on each step.

    The secretariat sees every step. The applicant's members see only what their own
    organisation's people did (``APPLICANT_OWN_STEPS``, whoever took them, and any step of
    a current member): screening, review and recommendation steps would reveal the
    reviewers and the decision before it is announced. Everyone else sees nothing.
    """
    trail = audit_trail_for(app).order_by("-created_at", "-id")
    if user_can(user, "application.view_all"):
        pass
    elif reads_as_applicant(user, app):
        trail = trail.filter(Q(verb__in=APPLICANT_OWN_STEPS)
                             | Q(actor__membership__organisation_id=app.organisation_id))
    else:
        return []
    events = list(trail[:limit])
    for event in events:
        event.label = HISTORY_LABELS.get(event.verb, event.verb)
    return events


def status_label(status: str) -> str:
    return str(ApplicationStatus(status).label) if status in ApplicationStatus.values else status


def with_seen_status(qs: QuerySet[Application], user) -> QuerySet[Application]:
    """Annotate ``seen_status``: the status the user may see, to show, filter and order on."""
    if not _may_read_as_applicant(user):
        return qs.annotate(seen_status=F("status"))
    own = Exists(Membership.objects.filter(user=user, organisation_id=OuterRef("organisation_id")))
    return qs.annotate(seen_status=Case(
        When(own & Q(status__in=HIDDEN_FROM_APPLICANT),
             then=Value(ApplicationStatus.UNDER_REVIEW.value)),
        default=F("status"), output_field=CharField()))


def filter_by_seen_status(qs: QuerySet[Application], user, status: str) -> QuerySet[Application]:
    """Applications whose status, as the user may see it, is ``status``.

    An applicant asking for a hidden status ("recommended", …) gets none of its own.
    """
    if not _may_read_as_applicant(user):
        return qs.filter(status=status)
    if "seen_status" not in qs.query.annotations:
        qs = with_seen_status(qs, user)
    return qs.filter(seen_status=status)


# --- visibility --------------------------------------------------------------------------


def _visibility(user) -> Q | None:
    """None: everything. An empty Q match: nothing."""
    roles = roles_of(user)
    if Role.SECRETARIAT in roles:
        return None
    clauses = Q(pk__in=[])
    if Role.NGO in roles:
        clauses |= Q(organisation__memberships__user=user)
    if Role.BOARD in roles:
        clauses |= Q(status__in=BOARD_VISIBLE)
    if Role.REVIEWER in roles:
        # Assigned, and declared no conflict: details open only after the declaration.
        clauses |= Q(pk__in=Review.objects.filter(reviewer=user, conflict_declared=False)
                     .values("application_id"))
    return clauses


def applications_visible_to(user) -> QuerySet[Application]:
    qs = Application.objects.select_related("call", "organisation")
    rule = _visibility(user)
    if rule is not None:
        qs = qs.filter(rule)
    return qs


def search_clause(user, value: str) -> Q:
    """Words in the title, reference or organisation name; blind review keeps names unsearchable."""
    names = Q(organisation__name__icontains=value)
    if not sees_identity_always(user) and is_external_reviewer(user):
        names &= Q(call__blind_review=False)
    return Q(title__icontains=value) | Q(reference__icontains=value) | names


def filter_applications(qs: QuerySet[Application], user, *, call=None, status=None,
                        country=None, priority=None, search=None) -> QuerySet[Application]:
    """The application filter of every list, web and API, from already cleaned values.

    ``status`` is the status as ``user`` sees it (an applicant's ``under_review`` covers the
    hidden stages); ``country`` an ISO alpha-2 code in any case; ``search`` words in the
    title, reference or organisation name (never names under blind review). Empty values
    filter nothing.
    """
    if call:
        qs = qs.filter(call_id=call)
    if status:
        qs = filter_by_seen_status(qs, user, status)
    if country:
        qs = qs.filter(countries__contains=country.upper())
    if priority:
        qs = qs.filter(priority_claims__priority__code=priority)
    search = (search or "").strip()
    if search:
        if not sees_identity_always(user) and is_external_reviewer(user):
            qs = qs.filter(search_clause(user, search))   # blind review: no names
        else:
            from grants.selectors.search import applications_matching

            qs = applications_matching(qs, search)
    return qs


def with_information_request(qs: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate the open request for information (``open_info_message``,
    ``open_info_due_on``; None without one), in the same query."""
    open_request = InformationRequest.objects.filter(application=OuterRef("pk"),
                                                     answered_at__isnull=True)
    return qs.annotate(open_info_message=Subquery(open_request.values("message")[:1]),
                       open_info_due_on=Subquery(open_request.values("due_on")[:1]))


def application_list(user, *, call=None, status=None, country=None, priority=None,
                     search=None) -> QuerySet[Application]:
    # A per-row subquery, not a JOIN + GROUP BY: the page is cut before the sums are taken.
    budget_total = (BudgetLine.objects.filter(application=OuterRef("pk"))
                    .order_by().values("application").annotate(total=Sum("amount"))
                    .values("total"))
    qs = with_information_request(with_seen_status(applications_visible_to(user), user)).annotate(
        budget_total=Subquery(budget_total))
    qs = filter_applications(qs, user, call=call, status=status, country=country,
                             priority=priority, search=search)
    # Explicit ordering so pages are stable whatever annotations are added.
    return qs.order_by("-created_at", "-id").prefetch_related(
        Prefetch("priority_claims",
                 queryset=ApplicationPriority.objects.select_related("priority")))


def _attachments_for(user) -> QuerySet[Attachment]:
    """Blind review: documents name the organisation, so external reviewers get none."""
    qs = Attachment.objects.order_by("uploaded_at", "id")
    if not sees_identity_always(user) and is_external_reviewer(user):
        qs = qs.exclude(application__call__blind_review=True)
    return qs


def application_detail_queryset(user) -> QuerySet[Application]:
    qs = with_information_request(with_seen_status(applications_visible_to(user), user))
    return qs.prefetch_related(
        Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("position", "id")),
        Prefetch("priority_claims",
                 queryset=ApplicationPriority.objects.select_related("priority")),
        Prefetch("attachments", queryset=_attachments_for(user)),
        "call__priorities",
    )


def get_application_for(user, pk) -> Application:
    app = application_detail_queryset(user).filter(pk=pk).first()
    if app is None:
        raise Http404
    return app


def get_attachment_for(user, application_pk, pk) -> Attachment:
    app = get_application_for(user, application_pk)
    attachment = next((a for a in app.attachments.all() if str(a.pk) == str(pk)), None)
    if attachment is None:
        raise Http404
    return attachment


def application_missing_items(app: Application) -> Errors:
    """Every piece a draft still lacks before it can be submitted, by field."""
    missing = Errors()
    need = missing.add

    if not app.title.strip():
        need("title", _("Give the project a title."))
    if not app.summary.strip():
        need("summary", _("Write a summary of the project."))
    if not app.countries:
        need("countries", _("Choose at least one country of implementation."))
    if app.requested_usd is None:
        need("requested_usd", _("Enter the amount requested."))
    if app.duration_months is None:
        need("duration_months", _("Enter the project's duration."))
    if app.start_date is None:
        need("start_date", _("Enter the planned start date."))
    if app.total_beneficiaries == 0:
        need("beneficiaries", _("Estimate the number of victims the project will assist."))
    if not app.services:
        need("services", _("Choose at least one service offered."))
    _missing_budget(app, need)
    _missing_priorities_and_documents(app, need)
    return missing


def _missing_budget(app: Application, need) -> None:
    lines = list(app.budget_lines.all())
    if not lines:
        need("budget_lines", _("Add the budget lines."))
    elif app.requested_usd is not None:
        total = sum((line.amount for line in lines), Decimal("0"))
        if total != app.requested_usd:
            need("budget_lines", _("The budget lines add up to %(total)s, not the %(requested)s "
                                   "requested.")
                 % {"total": money(total), "requested": money(app.requested_usd)})


def _missing_priorities_and_documents(app: Application, need) -> None:
    claims = list(app.priority_claims.all())
    if not claims:
        need("priorities", _("Say which of the call's priorities the project addresses."))
    for claim in claims:
        if not claim.justification.strip():
            need("priorities", _("Justify how the project addresses \"%(p)s\".")
                 % {"p": claim.priority.name})
    present = {a.kind for a in app.attachments.all()}
    for kind in app.call.required_documents:
        if kind not in present:
            need("attachments", _("Attach the required document: %(doc)s")
                 % {"doc": DocumentKind(kind).label if kind in DocumentKind.values else kind})
