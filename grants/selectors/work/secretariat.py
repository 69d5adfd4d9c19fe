"""Work queue providers: the secretariat's cycle before the award (issue 15).

Each item counts a selector of this module (or of the list's own module) that the linked
list page filters with too, so the home page, the API and the list cannot disagree:

- applications to screen, and those of them with sanctions matches to clear
  (``grants:screening-queue?status=to_screen[&sanctions=pending]``);
- organisations awaiting verification (``grants:organisation-list?status=pending``);
- reviews overdue (``grants:review-list?overdue=1``; overdue means one thing for the
  reviewer and the secretariat: ``grants.selectors.work.members``' definition when present);
- reviews left pending by a reviewer whose account was deactivated, to reassign
  (``grants:review-list?reassign=1``);
- calls closing within 14 days (``grants:call-manage-list?closing=14``);
- rankings ready to finalise (``grants:ranking-calls?ready=1``) and finalised portfolios
  with no Board session yet (``grants:ranking-calls?board=none``);
- Board sessions to close (``grants:board-home?to_close=1``);
- message threads awaiting the secretariat's answer (``grants:messages-awaiting``).

Each item costs one or two queries whatever the number of rows.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fundapp.accounts.roles import Role, user_can
from fundapp.core import work
from grants.models import (
    AgendaItem,
    BoardSession,
    Call,
    CallStatus,
    OrganisationStatus,
    PortfolioRecommendation,
    Review,
    Vote,
)
from grants.models.board import SessionKind, SessionStatus
from grants.models.reviews import PENDING_REVIEW, ReviewStatus
from grants.selectors.board import sessions_visible_to, sitting_memberships
from grants.selectors.calls import calls_visible_to
from grants.selectors.messages import threads_awaiting_answer
from grants.selectors.organisations import organisations_visible_to
from grants.selectors.screening import screening_queue
from grants.selectors.work.members import REVIEW_DAYS, reviews_overdue_q  # one definition

CLOSING_DAYS = 14



# --- the lists' selectors ----------------------------------------------------------------


def applications_to_screen(user) -> QuerySet:
    return screening_queue(user)


def with_sanctions_pending(qs: QuerySet) -> QuerySet:
    """Applications (of ``screening_queue``) with a possible sanctions match not yet cleared."""
    return qs.filter(uncleared_matches__gt=0)


def organisations_to_verify(user) -> QuerySet:
    return organisations_visible_to(user).filter(status=OrganisationStatus.PENDING)


def reviews_for_secretariat(user) -> QuerySet[Review]:
    """Every review, for the people who manage reviews; nothing for anyone else."""
    if not user_can(user, "review.manage"):
        return Review.objects.none()
    return Review.objects.select_related("application__call", "application__organisation",
                                         "reviewer")


def overdue_reviews(qs: QuerySet[Review], now=None) -> QuerySet[Review]:
    return qs.filter(reviews_overdue_q(now))


def reviews_to_reassign(qs: QuerySet[Review]) -> QuerySet[Review]:
    """Reviews not submitted (nor declined for a conflict) whose reviewer's account is
    deactivated: nobody will finish them unless the secretariat reassigns them."""
    return qs.filter(reviewer__is_active=False, status__in=PENDING_REVIEW)


def closing_within(qs: QuerySet[Call], days: int, now=None) -> QuerySet[Call]:
    """Open calls whose deadline falls within ``days`` days from now."""
    now = now or timezone.now()
    return qs.filter(status=CallStatus.PUBLISHED, opens_at__lte=now, closes_at__gt=now,
                     closes_at__lte=now + timedelta(days=days))


def _closed(now) -> Q:
    return Q(status=CallStatus.CLOSED) | Q(status=CallStatus.PUBLISHED, closes_at__lte=now)


def ready_to_finalise(qs: QuerySet[Call], now=None) -> QuerySet[Call]:
    """Closed calls with no final recommendation yet, at least one application with a
    submitted review, and no review still awaited."""
    now = now or timezone.now()
    reviews = Review.objects.filter(application__call=OuterRef("pk"))
    return (qs.filter(_closed(now))
            .exclude(Exists(PortfolioRecommendation.objects.filter(call=OuterRef("pk"))))
            .filter(Exists(reviews.filter(status=ReviewStatus.SUBMITTED)))
            .exclude(Exists(reviews.filter(status__in=PENDING_REVIEW))))


def ranking_call_list(user) -> QuerySet[Call]:
    """The calls of the ranking pages: with applications to rank, or a final version."""
    from grants.selectors.ranking import RANKABLE
    return (calls_visible_to(user)
            .annotate(n_rankable=Count("applications", filter=Q(
                applications__status__in=RANKABLE), distinct=True),
                n_recommended=Count("applications", filter=Q(
                    applications__status="recommended"), distinct=True),
                n_versions=Count("recommendations", distinct=True))
            .filter(Q(n_rankable__gt=0) | Q(n_versions__gt=0)))


def finalised_without_session(qs: QuerySet[Call]) -> QuerySet[Call]:
    """Calls whose current recommendation is final but that have no Board session yet."""
    return (qs.filter(Exists(PortfolioRecommendation.objects.filter(call=OuterRef("pk"),
                                                                   is_current=True)))
            .exclude(Exists(BoardSession.objects.filter(call=OuterRef("pk")))))


def sessions_to_close(qs: QuerySet[BoardSession], now=None) -> QuerySet[BoardSession]:
    """Open sessions whose voting has ended (a written procedure past its window, a
    meeting whose day has come) or in which every sitting member has voted every item."""
    now = now or timezone.now()
    members = sitting_memberships(timezone.localdate(now)).count()
    n_items = Subquery(AgendaItem.objects.filter(session=OuterRef("pk")).order_by()
                       .values("session").annotate(n=Count("pk")).values("n"))
    n_votes = Subquery(Vote.objects.filter(session=OuterRef("pk")).order_by()
                       .values("session").annotate(n=Count("pk")).values("n"))
    ended = (Q(kind=SessionKind.WRITTEN, closes_at__lte=now)
             | Q(kind=SessionKind.MEETING, meeting_date__lte=timezone.localdate(now)))
    qs = qs.filter(status=SessionStatus.OPEN).annotate(
        ws_items=Coalesce(n_items, 0), ws_votes=Coalesce(n_votes, 0))
    all_in = (Q(ws_items__gt=0, ws_votes__gte=F("ws_items") * members) if members
              else Q(pk__in=[]))
    return qs.filter(ended | all_in)


# --- the provider ------------------------------------------------------------------------


def _url(name: str, query: str = "") -> str:
    return reverse(name) + (f"?{query}" if query else "")


def secretariat_items(user) -> list[work.WorkItem]:
    now = timezone.now()
    queue = applications_to_screen(user)
    reviews = reviews_for_secretariat(user)
    calls = calls_visible_to(user)
    awaiting = threads_awaiting_answer(user)
    ranked = ranking_call_list(user)
    n_late_reviews = overdue_reviews(reviews, now).count()
    return [
        work.WorkItem(code="applications_to_screen", label=_("Applications to screen"),
                      count=queue.count(), overdue=0,
                      url=_url("grants:screening-queue", "status=to_screen")),
        work.WorkItem(code="sanctions_matches_to_clear",
                      label=_("Applications with sanctions matches to clear"),
                      count=with_sanctions_pending(queue).count(), overdue=0,
                      url=_url("grants:screening-queue", "status=to_screen&sanctions=pending")),
        work.WorkItem(code="organisations_to_verify", label=_("Organisations to verify"),
                      count=organisations_to_verify(user).count(), overdue=0,
                      url=_url("grants:organisation-list", "status=pending")),
        work.WorkItem(code="reviews_overdue", label=_("Reviews overdue"),
                      count=n_late_reviews, overdue=n_late_reviews,
                      url=_url("grants:review-list", "overdue=1"),
                      detail=_("Not submitted %(days)s days after assignment")
                      % {"days": REVIEW_DAYS}),
        work.WorkItem(code="reviews_to_reassign",
                      label=_("Reviews to reassign (reviewer deactivated)"),
                      count=reviews_to_reassign(reviews).count(), overdue=0,
                      url=_url("grants:review-list", "reassign=1")),
        work.WorkItem(code="calls_closing_soon", label=_("Calls closing within 14 days"),
                      count=closing_within(calls, CLOSING_DAYS, now).count(), overdue=0,
                      url=_url("grants:call-manage-list", f"closing={CLOSING_DAYS}")),
        work.WorkItem(code="rankings_to_finalise", label=_("Rankings ready to finalise"),
                      count=ready_to_finalise(ranked, now).count(), overdue=0,
                      url=_url("grants:ranking-calls", "ready=1")),
        work.WorkItem(code="board_sessions_to_prepare",
                      label=_("Final portfolios awaiting a Board session"),
                      count=finalised_without_session(ranked).count(), overdue=0,
                      url=_url("grants:ranking-calls", "board=none")),
        work.WorkItem(code="board_sessions_to_close", label=_("Board sessions to close"),
                      count=sessions_to_close(sessions_visible_to(user), now).count(),
                      overdue=0, url=_url("grants:board-home", "to_close=1")),
        work.WorkItem(code="messages_awaiting_answer", label=_("Messages awaiting an answer"),
                      count=awaiting.count, overdue=0, url=_url("grants:messages-awaiting")),
    ]


work.register("grants.secretariat_cycle", roles={Role.SECRETARIAT}, provider=secretariat_items,
              order=10)
