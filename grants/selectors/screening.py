"""Reads on screening: the secretariat's queue, an application's checklist, sanctions lists."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from fundapp.accounts.roles import user_can
from grants.models import (
    Application,
    ApplicationPriority,
    ApplicationStatus,
    Attachment,
    BudgetLine,
    SanctionsList,
    SanctionsMatch,
)
from grants.selectors.applications import filter_applications

QUEUE_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.SCREENING)
SCREENED_STATUSES = (ApplicationStatus.ELIGIBLE, ApplicationStatus.INELIGIBLE)


def screening_queue(user, *, call=None, status=None) -> QuerySet[Application]:
    """Applications to screen (or, with ``status``, screened ones), oldest submission first."""
    if not user_can(user, "application.screen"):
        return Application.objects.none()
    statuses = [status] if status else list(QUEUE_STATUSES)
    qs = (Application.objects.filter(status__in=statuses)
          .select_related("call", "organisation", "screening")
          .annotate(uncleared_matches=Count(
              "sanctions_matches", filter=Q(sanctions_matches__cleared_at__isnull=True),
              distinct=True)))
    return filter_applications(qs, user, call=call).order_by("submitted_at", "pk")


def get_screening_application_for(user, pk) -> Application:
    """An application with everything its checklist reads; 404 for anyone but screeners."""
    if not user_can(user, "application.screen"):
        raise Http404
    app = (Application.objects.select_related("call", "organisation", "screening__sanctions_list")
           .prefetch_related(
               Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("position", "id")),
               Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")),
               Prefetch("priority_claims", queryset=ApplicationPriority.objects
                        .select_related("priority").order_by("priority__position", "id")),
               Prefetch("sanctions_matches", queryset=SanctionsMatch.objects
                        .select_related("cleared_by").order_by("-score", "id")))
           .filter(pk=pk).first())
    if app is None:
        raise Http404
    return app


def sanctions_lists() -> QuerySet[SanctionsList]:
    return SanctionsList.objects.select_related("imported_by").order_by("-imported_at", "-id")
