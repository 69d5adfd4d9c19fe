"""Work queue providers: what awaits an NGO's members (``grants.applicants``).

Every count is the set the linked list shows to that user, read through the same
selectors as the list's filters (``my-applications`` and the grant portfolio), so the
home page, the API and the lists cannot drift:

- drafts (``?status=draft``), the nearest deadline of a still-open draft in ``detail``
  (``submission_deadline`` rules: an active extension of the application or of its
  organisation on the call pushes it back);
- drafts whose deadline is within ``DEADLINE_SOON_DAYS`` (``?deadline=soon``);
- requests for information waiting for an answer (``?status=information_requested``),
  overdue once their due date has passed;
- decisions received: applications decided (approved, declined, found ineligible) in the
  last ``DECISIONS_DAYS`` days (``?decided=recent``). Thirty days rather than "since the last
  sign-in": a sign-in updates the last sign-in, so the decision would vanish from the home
  page the moment the member came to read it;
- agreements awaiting the organisation's signature, reports due within
  ``REPORTS_SOON_DAYS`` days and reports overdue (the grant portfolio, filtered).

A viewer (an organisation role that may not edit or sign) sees the same counts under
labels that do not ask them to act.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fundapp.accounts.roles import Role
from fundapp.core import work
from fundapp.core.formatting import datetime as format_datetime
from grants.models import (
    Application,
    ApplicationStatus,
    ClarificationQuestion,
    DeadlineExtension,
    Grant,
    GrantStatus,
    InformationRequest,
    ProgressReport,
    ReportDue,
)
from grants.selectors.applications import application_list
from grants.selectors.awards import grants_visible_to
from grants.selectors.implementation import DONE, OPEN, overdue_dues
from grants.selectors.organisations import can_edit_applications, org_can, organisation_of

DEADLINE_SOON_DAYS = 14
DECISIONS_DAYS = 30
REPORTS_SOON_DAYS = 30
QUESTIONS_DAYS = 30
DECIDED = (ApplicationStatus.APPROVED, ApplicationStatus.DECLINED, ApplicationStatus.INELIGIBLE)


# --- the selectors behind the lists' filters --------------------------------------------


def with_deadline(qs: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate ``submit_by``: the call's closing time or a later active extension covering
    the application (its own, or its organisation's on the call), in the same query."""
    extension = (DeadlineExtension.objects
                 .filter(revoked_at__isnull=True, call_id=OuterRef("call_id"))
                 .filter(Q(application_id=OuterRef("pk"))
                         | Q(organisation_id=OuterRef("organisation_id")))
                 .order_by().values("call_id").annotate(latest=Max("until")).values("latest"))
    closes = F("call__closes_at")
    return qs.annotate(submit_by=Greatest(
        closes, Coalesce(Subquery(extension, output_field=DateTimeField()), closes)))


def drafts_due_soon(qs: QuerySet[Application], now=None) -> QuerySet[Application]:
    """Drafts still open for submission whose deadline is within ``DEADLINE_SOON_DAYS``."""
    now = now or timezone.now()
    return (with_deadline(qs.filter(status=ApplicationStatus.DRAFT))
            .filter(submit_by__gt=now, submit_by__lte=now + timedelta(days=DEADLINE_SOON_DAYS)))


def decided_recently(qs: QuerySet[Application], now=None) -> QuerySet[Application]:
    """Applications decided (approved, declined, ineligible) in the last ``DECISIONS_DAYS``."""
    now = now or timezone.now()
    return qs.filter(status__in=DECIDED, updated_at__gte=now - timedelta(days=DECISIONS_DAYS))


def grants_with_reports(qs: QuerySet[Grant], which: str,
                        today: date | None = None) -> QuerySet[Grant]:
    """Grants with a report ``due`` (within ``REPORTS_SOON_DAYS``, none submitted yet) or
    ``overdue`` (``overdue_dues``). Any other value raises ``ValueError``."""
    today = today or timezone.localdate()
    if which == "overdue":
        dues = overdue_dues(today)
    elif which == "due":
        done = ProgressReport.objects.filter(report_due=OuterRef("pk"), status__in=DONE)
        dues = (ReportDue.objects.filter(
            grant__status__in=OPEN, due_date__gte=today,
            due_date__lte=today + timedelta(days=REPORTS_SOON_DAYS)).exclude(Exists(done)))
    else:
        raise ValueError(which)
    return qs.filter(Exists(dues.filter(grant=OuterRef("pk"))))


def questions_answered_for(user, now=None, *, days: int | None = QUESTIONS_DAYS
                           ) -> QuerySet[ClarificationQuestion]:
    """Answers published (in the last ``days`` days; None: ever) on the calls the user's
    organisation has an application on: the answers every applicant of the call reads."""
    now = now or timezone.now()
    calls = my_applications_list(user).order_by().values("call_id")
    qs = (ClarificationQuestion.objects.filter(call_id__in=calls, published_at__isnull=False)
          .select_related("call"))
    if days is not None:
        qs = qs.filter(published_at__gte=now - timedelta(days=days))
    return qs


# --- the provider ---------------------------------------------------------------------


def my_applications_list(user) -> QuerySet[Application]:
    """The applications of the user's organisation: ``my-applications`` lists these and the
    home page counts them (one selector, so the counts and the list agree)."""
    org_id = getattr(organisation_of(user), "pk", None)
    return application_list(user).filter(organisation_id=org_id)


def _applications(user, now) -> dict:
    """Every application count in one aggregate query (plus one for the nearest deadline)."""
    mine = my_applications_list(user).prefetch_related(None).order_by()
    today = timezone.localdate()
    late = InformationRequest.objects.filter(application=OuterRef("pk"), answered_at__isnull=True,
                                             due_on__lt=today)
    info = Q(status=ApplicationStatus.INFORMATION_REQUESTED)
    counts = mine.aggregate(
        drafts=Count("pk", filter=Q(status=ApplicationStatus.DRAFT)),
        decided=Count("pk", filter=Q(pk__in=decided_recently(mine, now).values("pk"))),
        soon=Count("pk", filter=Q(pk__in=drafts_due_soon(mine, now).values("pk"))),
        info=Count("pk", filter=info),
        info_late=Count("pk", filter=info & Q(Exists(late))),
    )
    counts["next_deadline"] = (with_deadline(mine.filter(status=ApplicationStatus.DRAFT))
                               .filter(submit_by__gt=now)
                               .aggregate(first=Min("submit_by"))["first"])
    return counts


def _grants(user) -> dict:
    qs = grants_visible_to(user).prefetch_related(None).order_by()
    return qs.aggregate(
        to_sign=Count("pk", filter=Q(status=GrantStatus.PENDING_SIGNATURE), distinct=True),
        due=Count("pk", filter=Q(pk__in=grants_with_reports(qs, "due").values("pk")),
                  distinct=True),
        overdue=Count("pk", filter=Q(pk__in=grants_with_reports(qs, "overdue").values("pk")),
                      distinct=True),
    )


def applicant_items(user) -> list[work.WorkItem]:
    org = organisation_of(user)
    if org is None:
        return []
    now = timezone.now()
    apps, grants = _applications(user, now), _grants(user)
    questions = questions_answered_for(user, now).count()
    edits = can_edit_applications(user)
    signs = org_can(user, org, "agreement.sign")
    reports = org_can(user, org, "report.submit")
    mine = reverse("grants:my-applications")
    portfolio = reverse("grants:grant-portfolio")
    nearest = apps["next_deadline"]
    return [
        work.WorkItem(
            code="drafts", label=_("Drafts to finish") if edits else _("Drafts"),
            count=apps["drafts"], overdue=0, url=f"{mine}?status=draft",
            detail=(_("nearest deadline: %(when)s")
                    % {"when": format_datetime(nearest, "medium")} if nearest else ""),
            due=nearest),
        work.WorkItem(
            code="drafts_deadline_soon",
            label=(_("Drafts to submit within %(n)s days") if edits
                   else _("Drafts whose deadline is within %(n)s days"))
            % {"n": DEADLINE_SOON_DAYS},
            count=apps["soon"], overdue=0, url=f"{mine}?deadline=soon"),
        work.WorkItem(
            code="information_requests",
            label=(_("Requests for information to answer") if edits
                   else _("Requests for information")),
            count=apps["info"], overdue=apps["info_late"],
            url=f"{mine}?status={ApplicationStatus.INFORMATION_REQUESTED}"),
        work.WorkItem(
            code="questions_answered", label=_("Questions answered on your calls"),
            count=questions, overdue=0, url=reverse("grants:my-questions") + "?answered=recent",
            detail=_("last %(n)s days") % {"n": QUESTIONS_DAYS}),
        work.WorkItem(
            code="agreements_to_sign",
            label=_("Agreements to sign") if signs else _("Agreements awaiting signature"),
            count=grants["to_sign"], overdue=0,
            url=f"{portfolio}?status={GrantStatus.PENDING_SIGNATURE}"),
        work.WorkItem(
            code="reports_due",
            label=(_("Reports to submit within %(n)s days") if reports
                   else _("Reports due within %(n)s days")) % {"n": REPORTS_SOON_DAYS},
            count=grants["due"], overdue=0, url=f"{portfolio}?reports=due"),
        work.WorkItem(
            code="reports_overdue", label=_("Reports overdue"), count=grants["overdue"],
            overdue=grants["overdue"], url=f"{portfolio}?reports=overdue"),
        work.WorkItem(
            code="decisions_received", label=_("Decisions received"),
            count=apps["decided"], overdue=0, url=f"{mine}?decided=recent",
            detail=_("last %(n)s days") % {"n": DECISIONS_DAYS}),
    ]


work.register("grants.applicants", roles={Role.NGO}, provider=applicant_items, order=10)
