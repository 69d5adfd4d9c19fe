"""Reads on reviews: who sees which review, reviewer loads and conflicts, progress, scores."""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from fundapp.accounts.models import User
from fundapp.accounts.roles import Role, roles_of, user_can
from grants.models import (
    Application,
    ApplicationStatus,
    Call,
    Review,
    ReviewCriterion,
    ReviewerProfile,
    ReviewScore,
    ReviewStatus,
)
from grants.models.reviews import ACTIVE_REVIEW, PENDING_REVIEW

REVIEWABLE = (ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW,
              ApplicationStatus.RANKED)


# --- identity and blind review ---------------------------------------------------------


def is_external_reviewer(user) -> bool:
    """A reviewer counts as external unless their profile says staff (cached on the user)."""
    if Role.REVIEWER not in roles_of(user):
        return False
    cached = getattr(user, "_fund_external", None)
    if cached is None:
        profile = ReviewerProfile.objects.filter(user=user).values_list("is_external",
                                                                         flat=True).first()
        cached = True if profile is None else bool(profile)
        user._fund_external = cached
    return cached


def sees_identity_always(user) -> bool:
    roles = roles_of(user)
    return Role.SECRETARIAT in roles or Role.BOARD in roles or Role.NGO in roles


def hides_identity(user, application: Application) -> bool:
    """Blind review: an external reviewer does not see who applies."""
    return (application.call.blind_review and not sees_identity_always(user)
            and is_external_reviewer(user))


# --- visibility ------------------------------------------------------------------------


def reviews_visible_to(user) -> QuerySet[Review]:
    """The secretariat sees every review; a reviewer their own; nobody else any."""
    qs = Review.objects.select_related("application__call", "application__organisation",
                                       "reviewer")
    if user_can(user, "review.view_all"):
        return qs
    if Role.REVIEWER in roles_of(user):
        return qs.filter(reviewer=user)
    return qs.none()


def review_list(user, *, call=None, application=None, status=None,
                reviewer=None) -> QuerySet[Review]:
    qs = reviews_visible_to(user)
    if call:
        qs = qs.filter(application__call_id=call)
    if application:
        qs = qs.filter(application_id=application)
    if status:
        qs = qs.filter(status=status)
    if reviewer:
        qs = qs.filter(reviewer_id=reviewer)
    return qs.prefetch_related(
        Prefetch("scores", queryset=ReviewScore.objects.select_related("criterion")),
        Prefetch("application__call__review_criteria",
                 queryset=ReviewCriterion.objects.order_by("position", "id")),
    ).order_by("-assigned_at", "-id")


def get_review_for(user, pk) -> Review:
    review = review_list(user).filter(pk=pk).first()
    if review is None:
        raise Http404
    return review


# --- scores ----------------------------------------------------------------------------


def weighted_score(review: Review, criteria: list[ReviewCriterion]) -> Decimal | None:
    """The weighted average of a complete review's scores on the 1–5 scale (2 decimals)."""
    by_code = {s.criterion.code: s.score for s in review.scores.all()}
    if not criteria or any(by_code.get(c.code) is None for c in criteria):
        return None
    total = sum((c.weight * by_code[c.code] for c in criteria), Decimal("0"))
    weights = sum((c.weight for c in criteria), Decimal("0"))
    return (total / weights).quantize(Decimal("0.01"))


def peer_reviews(review: Review) -> list[Review]:
    """Other reviewers' submitted reviews of the same application, once this one is submitted.

    Reviewers never see others' scores before they have submitted their own.
    """
    if review.status != ReviewStatus.SUBMITTED:
        return []
    return list(Review.objects.filter(application_id=review.application_id,
                                      status=ReviewStatus.SUBMITTED)
                .exclude(pk=review.pk).order_by("submitted_at", "id")
                .prefetch_related(Prefetch("scores", queryset=ReviewScore.objects
                                           .select_related("criterion"))))


def call_has_scores(call: Call) -> bool:
    return ReviewScore.objects.filter(review__application__call=call,
                                      score__isnull=False).exists()


# --- pool, loads, conflicts ------------------------------------------------------------


def reviewer_pool_with_profiles() -> QuerySet[User]:
    return (User.objects.filter(is_active=True, groups__name=Role.REVIEWER).distinct()
            .select_related("reviewer_profile").order_by("username", "pk"))


def reviewer_loads(call: Call | None) -> dict[int, dict[str, int]]:
    """Per reviewer: active reviews in ``call`` (total), pending ones anywhere, submitted."""
    in_call = Q(reviews__application__call=call) if call is not None else Q()
    rows = (User.objects.filter(groups__name=Role.REVIEWER)
            .annotate(total=Count("reviews", filter=in_call & Q(reviews__status__in=ACTIVE_REVIEW),
                                  distinct=True),
                      pending=Count("reviews", filter=Q(reviews__status__in=PENDING_REVIEW),
                                    distinct=True),
                      submitted=Count("reviews", filter=in_call & Q(
                          reviews__status=ReviewStatus.SUBMITTED), distinct=True))
            .values("pk", "total", "pending", "submitted"))
    return {r["pk"]: {"total": r["total"], "pending": r["pending"],
                      "submitted": r["submitted"]} for r in rows}


def conflict_reasons(application: Application) -> dict[int, str]:
    """Reviewers who may not review ``application``, with why (user id → reason code).

    ``declared``: they declared a conflict on an application of the same organisation;
    ``organisation`` / ``country``: their profile lists the organisation or its country.
    """
    org = application.organisation
    reasons: dict[int, str] = {}
    for pk in Review.objects.filter(application__organisation=org,
                                    status=ReviewStatus.CONFLICT).values_list("reviewer_id",
                                                                              flat=True):
        reasons[pk] = "declared"
    for pk in ReviewerProfile.objects.filter(conflict_organisations=org).values_list(
            "user_id", flat=True):
        reasons.setdefault(pk, "organisation")
    country = org.country.code
    for pk, codes in ReviewerProfile.objects.exclude(conflict_countries="").values_list(
            "user_id", "conflict_countries"):
        codes = codes.split(",") if isinstance(codes, str) else [getattr(c, "code", c)
                                                                  for c in codes]
        if country in codes:
            reasons.setdefault(pk, "country")
    return reasons


def conflicted_reviewer_ids(application: Application) -> set[int]:
    return set(conflict_reasons(application))


# --- progress --------------------------------------------------------------------------


def in_review_or_reviewed(prefix: str = "") -> Q:
    """Applications in review, and those that have moved on (ranked, recommended, decided)
    with their reviews: a ranked call's progress keeps showing its completed reviews."""
    if prefix:
        return Q(**{f"{prefix}status__in": REVIEWABLE}) | Q(**{f"{prefix}reviews__isnull": False})
    return Q(status__in=REVIEWABLE) | Exists(Review.objects.filter(application=OuterRef("pk")))


def review_progress_by_application(call: Call) -> QuerySet[Application]:
    def count(*statuses):
        return Count("reviews", filter=Q(reviews__status__in=statuses), distinct=True)

    return (Application.objects.filter(call=call).filter(in_review_or_reviewed())
            .select_related("organisation", "call")
            .annotate(n_assigned=count(ReviewStatus.ASSIGNED), n_draft=count(ReviewStatus.DRAFT),
                      n_submitted=count(ReviewStatus.SUBMITTED),
                      n_conflict=count(ReviewStatus.CONFLICT))
            .prefetch_related(Prefetch("reviews", queryset=Review.objects
                                       .select_related("reviewer").order_by("assigned_at", "id")))
            .order_by("reference", "pk"))


def review_progress_by_reviewer(call: Call) -> QuerySet[User]:
    def count(*statuses):
        return Count("reviews", filter=Q(reviews__application__call=call,
                                         reviews__status__in=statuses), distinct=True)

    return (reviewer_pool_with_profiles()
            .annotate(n_assigned=count(ReviewStatus.ASSIGNED), n_draft=count(ReviewStatus.DRAFT),
                      n_submitted=count(ReviewStatus.SUBMITTED),
                      n_conflict=count(ReviewStatus.CONFLICT)))
