from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fundapp.accounts.roles import user_can
from grants.models import Call, CallPriority, CallStatus, ClarificationQuestion


def calls_visible_to(user) -> QuerySet[Call]:
    """Every published call for everyone; drafts for the secretariat only."""
    qs = Call.objects.prefetch_related(
        Prefetch("priorities", queryset=CallPriority.objects.order_by("position", "id")))
    if not user_can(user, "call.view_drafts"):
        qs = qs.exclude(status=CallStatus.DRAFT)
    return qs


def filter_calls_by_status(qs: QuerySet[Call], status: str) -> QuerySet[Call]:
    """Filter by the status people see: a published call past its deadline counts as closed."""
    now = timezone.now()
    if status == CallStatus.PUBLISHED:
        return qs.filter(status=CallStatus.PUBLISHED, closes_at__gt=now)
    if status == CallStatus.CLOSED:
        return qs.filter(Q(status=CallStatus.CLOSED)
                         | Q(status=CallStatus.PUBLISHED, closes_at__lte=now))
    return qs.filter(status=status)


def calls_by_number(numbers) -> dict[int, Call]:
    """The calls with these numbers, by number (what other apps may know of calls)."""
    return {c.number: c for c in Call.objects.filter(number__in=sorted(set(numbers)))}


def open_calls() -> QuerySet[Call]:
    now = timezone.now()
    return (calls_visible_to(None)
            .filter(status=CallStatus.PUBLISHED, opens_at__lte=now, closes_at__gt=now)
            .order_by("closes_at"))


def get_call_for(user, pk) -> Call:
    call = calls_visible_to(user).filter(pk=pk).first()
    if call is None:
        raise Http404
    return call


def calls_with_counts() -> QuerySet[Call]:
    return Call.objects.annotate(
        submitted_count=Count("applications", filter=~Q(applications__status="draft")),
        draft_count=Count("applications", filter=Q(applications__status="draft")),
    )


def questions_for(call: Call, user) -> QuerySet[ClarificationQuestion]:
    """Published Q&A for all; unanswered questions for the secretariat and their askers."""
    qs = call.questions.select_related("organisation")
    if user_can(user, "clarification.answer"):
        return qs
    mine = Q(asked_by=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    return qs.filter(Q(published_at__isnull=False) | mine)


def get_question_for(user, pk) -> ClarificationQuestion:
    if not user_can(user, "clarification.answer"):
        raise Http404
    q = ClarificationQuestion.objects.select_related("call").filter(pk=pk).first()
    if q is None:
        raise Http404
    return q
