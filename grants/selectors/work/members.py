"""Work queue providers: reviewers (``grants.reviewers``) and Board members (``grants.board``).

Reviewers: a review has no due date of its own; it is due ``REVIEW_DAYS`` days after its
assignment and overdue after that while it is still to declare or to score on an
application under review (``reviews_overdue_q``; the secretariat's "reviews overdue"
counts the same). Items: conflict declarations due (``?status=assigned``), reviews to
score (``?status=draft``), overdue (``?overdue=1``), on ``grants:my-reviews``.

Board members: open sessions with at least one agenda item still waiting for this
member's vote (``grants:board-home?vote=needed``), the number of such items in ``detail``.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fundapp.accounts.roles import Role
from fundapp.core import work
from fundapp.core.formatting import date as format_date
from grants.models import (
    AgendaItem,
    ApplicationStatus,
    BoardSession,
    Decision,
    Review,
    ReviewStatus,
    SessionStatus,
    Vote,
)
from grants.models.reviews import PENDING_REVIEW
from grants.selectors.board import session_list
from grants.selectors.reviews import review_list

REVIEW_DAYS = 21


# --- reviewers ---------------------------------------------------------------------------


def reviews_overdue_q(now=None) -> Q:
    """Reviews still to declare or score on an application under review, assigned more than
    ``REVIEW_DAYS`` days ago."""
    now = now or timezone.now()
    return Q(status__in=PENDING_REVIEW, application__status=ApplicationStatus.UNDER_REVIEW,
             assigned_at__lt=now - timedelta(days=REVIEW_DAYS))


def review_due_at(review: Review):
    return review.assigned_at + timedelta(days=REVIEW_DAYS)


def review_is_overdue(review: Review, now=None) -> bool:
    """``reviews_overdue_q`` for one review (its application loaded)."""
    now = now or timezone.now()
    return (review.status in PENDING_REVIEW and review_due_at(review) < now
            and review.application.status == ApplicationStatus.UNDER_REVIEW)


def my_reviews_list(user) -> QuerySet[Review]:
    """The reviews assigned to ``user`` (``grants:my-reviews`` lists and the home page counts
    these)."""
    return review_list(user).filter(reviewer=user)


def reviewer_items(user) -> list[work.WorkItem]:
    now = timezone.now()
    late = reviews_overdue_q(now)
    counts = my_reviews_list(user).prefetch_related(None).order_by().aggregate(
        declare=Count("pk", filter=Q(status=ReviewStatus.ASSIGNED)),
        declare_late=Count("pk", filter=Q(status=ReviewStatus.ASSIGNED) & late),
        score=Count("pk", filter=Q(status=ReviewStatus.DRAFT)),
        score_late=Count("pk", filter=Q(status=ReviewStatus.DRAFT) & late),
        late=Count("pk", filter=late),
        first_declare=Min("assigned_at", filter=Q(status=ReviewStatus.ASSIGNED)),
        first_score=Min("assigned_at", filter=Q(status=ReviewStatus.DRAFT)),
    )
    url = reverse("grants:my-reviews")
    def due(first):
        return first + timedelta(days=REVIEW_DAYS) if first else None

    def next_due(day):
        return _("next due %(day)s") % {"day": format_date(day)} if day else ""

    declare_by, score_by = due(counts["first_declare"]), due(counts["first_score"])
    return [
        work.WorkItem(
            code="reviews_to_declare", label=_("Conflict declarations due"),
            count=counts["declare"], overdue=counts["declare_late"],
            url=f"{url}?status={ReviewStatus.ASSIGNED}", detail=next_due(declare_by),
            due=declare_by),
        work.WorkItem(
            code="reviews_to_score", label=_("Reviews to score and submit"),
            count=counts["score"], overdue=counts["score_late"],
            url=f"{url}?status={ReviewStatus.DRAFT}",
            detail=next_due(score_by), due=score_by),
        work.WorkItem(
            code="reviews_overdue", label=_("Reviews overdue"), count=counts["late"],
            overdue=counts["late"], url=f"{url}?overdue=1",
            detail=_("due %(n)s days after assignment") % {"n": REVIEW_DAYS}),
    ]


work.register("grants.reviewers", roles={Role.REVIEWER}, provider=reviewer_items, order=10)


# --- Board members -----------------------------------------------------------------------


def items_awaiting_vote(user) -> QuerySet[AgendaItem]:
    """Undecided agenda items of open sessions without ``user``'s vote."""
    mine = Vote.objects.filter(item=OuterRef("pk"), member=user)
    return AgendaItem.objects.filter(session__status=SessionStatus.OPEN,
                                     decision=Decision.PENDING).exclude(Exists(mine))


def sessions_awaiting_vote(qs: QuerySet[BoardSession], user) -> QuerySet[BoardSession]:
    """Open sessions of ``qs`` with at least one item still needing ``user``'s vote."""
    return qs.filter(Exists(items_awaiting_vote(user).filter(session=OuterRef("pk"))))


def board_items(user) -> list[work.WorkItem]:
    now = timezone.now()
    sessions = sessions_awaiting_vote(session_list(user).prefetch_related(None).order_by(),
                                      user)
    counts = sessions.aggregate(n=Count("pk"),
                                late=Count("pk", filter=Q(closes_at__lt=now)),
                                first=Min("closes_at", filter=Q(closes_at__gte=now)))
    items = items_awaiting_vote(user).filter(session__in=sessions.values("pk")).count()
    detail = ngettext("%(n)s item still needs your vote", "%(n)s items still need your vote",
                      items) % {"n": items} if items else ""
    return [work.WorkItem(
        code="board_votes_needed", label=_("Board sessions awaiting your vote"),
        count=counts["n"], overdue=counts["late"],
        url=reverse("grants:board-home") + "?vote=needed", detail=detail,
        due=counts["first"])]


work.register("grants.board", roles={Role.BOARD}, provider=board_items, order=10)
