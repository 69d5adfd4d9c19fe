"""Expert review: the reviewer pool, each call's rubric, reviews and their scores."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_fsm import FSMField, transition

from .applications import Application
from .calls import Call, WeightedItem
from .organisations import Organisation

SCORE_MIN, SCORE_MAX = 1, 5


class ReviewerProfile(models.Model):
    """What the secretariat knows of a reviewer. A reviewer without one counts as external."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="reviewer_profile")
    is_external = models.BooleanField(
        _("external expert"), default=True,
        help_text=_("External experts do not see the applicant's identity in blind reviews."))
    expertise = models.TextField(_("expertise"), blank=True, max_length=2000)
    conflict_countries = CountryField(
        _("countries of conflict"), multiple=True, blank=True,
        help_text=_("Never assigned applications from organisations of these countries."))
    conflict_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("organisations of conflict"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reviewer profile")
        verbose_name_plural = _("reviewer profiles")

    def __str__(self) -> str:
        return str(self.user)


class ReviewCriterion(WeightedItem):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="review_criteria")

    class Meta(WeightedItem.Meta):
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")
        constraints = [
            models.UniqueConstraint(fields=["call", "code"],
                                    name="criterion_code_unique_per_call"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]


class ReviewStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned: conflict declaration due")
    CONFLICT = "conflict", _("Conflict of interest declared")
    DRAFT = "draft", _("Scoring in progress")
    SUBMITTED = "submitted", _("Submitted")


ACTIVE_REVIEW = (ReviewStatus.ASSIGNED, ReviewStatus.DRAFT, ReviewStatus.SUBMITTED)
PENDING_REVIEW = (ReviewStatus.ASSIGNED, ReviewStatus.DRAFT)


class Review(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="reviews")
    status = FSMField(_("status"), default=ReviewStatus.ASSIGNED,
                      choices=ReviewStatus.choices, db_index=True)
    conflict_declared = models.BooleanField(_("conflict of interest"), null=True, blank=True)
    conflict_note = models.TextField(_("conflict note"), blank=True, max_length=3000)
    declared_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("overall comment"), blank=True, max_length=10000)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application_id", "assigned_at", "id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"],
                                    name="one_review_per_reviewer_per_application"),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.CONFLICT) | Q(conflict_declared=True),
                name="conflict_status_needs_declaration"),
        ]
        indexes = [models.Index(fields=["reviewer", "status"])]

    def __str__(self) -> str:
        return f"{self.application} / {self.reviewer}"

    @property
    def is_locked(self) -> bool:
        return self.status == ReviewStatus.SUBMITTED

    @transition(field=status, source=ReviewStatus.ASSIGNED, target=ReviewStatus.CONFLICT)
    def declare_conflict(self) -> None:
        self.conflict_declared, self.declared_at = True, timezone.now()

    @transition(field=status, source=ReviewStatus.ASSIGNED, target=ReviewStatus.DRAFT)
    def declare_no_conflict(self) -> None:
        self.conflict_declared, self.declared_at = False, timezone.now()

    @transition(field=status, source=ReviewStatus.DRAFT, target=ReviewStatus.SUBMITTED)
    def submit(self) -> None:
        self.submitted_at = timezone.now()


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=5000)

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"],
                                    name="one_score_per_criterion"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="review_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"
