"""The reviewer's home panel: progress per call (declared, scored, submitted) and the
reviews still to do with their due dates (``grants.selectors.work.members``)."""

from django.db.models import Count, Q

from grants.models import ReviewStatus
from grants.models.reviews import PENDING_REVIEW
from grants.selectors.work.members import my_reviews_list, review_due_at, review_is_overdue

PANEL_SIZE = 8


def panel(request) -> dict:
    """Two queries: the counts per call, and the next reviews to do."""
    mine = my_reviews_list(request.user).prefetch_related(None)
    calls = list(mine.order_by("-application__call__number")
                 .values("application__call__number")
                 .annotate(total=Count("pk"),
                           declared=Count("pk", filter=Q(declared_at__isnull=False)),
                           conflicts=Count("pk", filter=Q(status=ReviewStatus.CONFLICT)),
                           scoring=Count("pk", filter=Q(status=ReviewStatus.DRAFT)),
                           submitted=Count("pk", filter=Q(status=ReviewStatus.SUBMITTED))))
    todo = list(mine.filter(status__in=PENDING_REVIEW).order_by("assigned_at", "pk")
                .select_related("application")[:PANEL_SIZE])
    for review in todo:
        review.due_at = review_due_at(review)
        review.is_overdue = review_is_overdue(review)
    return {"calls": calls, "todo": todo}
