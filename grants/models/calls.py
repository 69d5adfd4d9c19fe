from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from .i18n import localized


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Open")
    CLOSED = "closed", _("Closed")
    DECIDED = "decided", _("Decided")
    ARCHIVED = "archived", _("Archived")


class DocumentKind(models.TextChoices):
    REGISTRATION_CERTIFICATE = "registration_certificate", _("Registration certificate")
    PROJECT_BUDGET = "project_budget", _("Detailed project budget")
    WORK_PLAN = "work_plan", _("Work plan")
    SAFEGUARDING_POLICY = "safeguarding_policy", _("Safeguarding / PSEA policy")
    AUDITED_ACCOUNTS = "audited_accounts", _("Audited financial statements")
    SUPPORT_LETTER = "support_letter", _("Letter of support")
    OTHER = "other", _("Other document")


class Call(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    envelope_usd = models.DecimalField(_("envelope (USD)"), max_digits=14, decimal_places=2)
    min_grant_usd = models.DecimalField(_("minimum grant (USD)"), max_digits=14, decimal_places=2)
    max_grant_usd = models.DecimalField(_("maximum grant (USD)"), max_digits=14, decimal_places=2)
    max_duration_months = models.PositiveSmallIntegerField(_("maximum duration (months)"))
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    eligible_countries = CountryField(
        _("eligible countries"), multiple=True, blank=True,
        help_text=_("Leave empty to accept every country."),
    )
    status = FSMField(_("status"), default=CallStatus.DRAFT, choices=CallStatus.choices)
    blind_review = models.BooleanField(
        _("blind review"), default=False,
        help_text=_("External reviewers do not see the organisation's name, people or "
                    "contacts."),
    )
    # Ranking and portfolio settings (DESIGN.md step 6).
    review_weight = models.DecimalField(
        _("weight of the review score"), max_digits=3, decimal_places=2, default=Decimal("0.70"),
        help_text=_("The combined score is this share of the review score plus the rest of "
                    "the priority score (0.70 = 70/30)."),
    )
    normalise_reviews = models.BooleanField(
        _("normalise scores per reviewer"), default=True,
        help_text=_("So that lenient and harsh reviewers count alike."),
    )
    max_projects_per_country = models.PositiveSmallIntegerField(
        _("at most N projects per country"), null=True, blank=True)
    min_women_girls_share = models.DecimalField(
        _("minimum share of the envelope for women-and-girls projects (%)"), max_digits=5,
        decimal_places=2, null=True, blank=True)
    min_countries = models.PositiveSmallIntegerField(
        _("minimum number of distinct countries"), null=True, blank=True)
    next_sequence = models.PositiveIntegerField(default=1, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        constraints = [
            models.CheckConstraint(condition=Q(envelope_usd__gt=0), name="call_envelope_positive"),
            models.CheckConstraint(
                condition=Q(min_grant_usd__gt=0), name="call_min_grant_positive"
            ),
            models.CheckConstraint(
                condition=Q(max_grant_usd__gte=F("min_grant_usd")), name="call_max_gte_min"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(max_duration_months__gt=0), name="call_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(review_weight__gte=0) & Q(review_weight__lte=1),
                name="call_review_weight_share",
            ),
            models.CheckConstraint(
                condition=Q(min_women_girls_share__isnull=True)
                | (Q(min_women_girls_share__gte=0) & Q(min_women_girls_share__lte=100)),
                name="call_women_girls_share_percent",
            ),
        ]

    def __str__(self) -> str:
        """``Call no. 6 — Call for proposals 2026``, as filters and lists name a call."""
        return gettext("Call no. %(n)s — %(title)s") % {"n": self.number, "title": self.title}

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")

    def is_accepting_submissions(self, now=None) -> bool:
        """Open for submissions: published and inside its window, to the second."""
        now = now or timezone.now()
        return self.status == CallStatus.PUBLISHED and self.opens_at <= now < self.closes_at

    @property
    def effective_status(self) -> str:
        """The status as people see it: a published call past its deadline is closed."""
        if self.status == CallStatus.PUBLISHED and timezone.now() >= self.closes_at:
            return CallStatus.CLOSED
        return self.status

    def get_effective_status_display(self) -> str:
        return CallStatus(self.effective_status).label

    @transition(field=status, source=CallStatus.DRAFT, target=CallStatus.PUBLISHED)
    def publish(self) -> None:
        self.published_at = timezone.now()

    @transition(field=status, source=CallStatus.PUBLISHED, target=CallStatus.CLOSED)
    def close(self) -> None:
        self.closed_at = timezone.now()

    @transition(field=status, source=CallStatus.CLOSED, target=CallStatus.DECIDED)
    def decide(self) -> None:
        pass

    @transition(field=status, source=CallStatus.DECIDED, target=CallStatus.ARCHIVED)
    def archive(self) -> None:
        pass


class WeightedItem(models.Model):
    """A call's weighted, bilingual list entry: a priority or a review criterion."""

    code = models.SlugField(_("code"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class CallPriority(WeightedItem):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="priorities")

    class Meta(WeightedItem.Meta):
        verbose_name = _("call priority")
        verbose_name_plural = _("call priorities")
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="priority_code_unique_per_call"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="priority_weight_positive"),
        ]


class ClarificationQuestion(models.Model):
    """A question an applicant asks about a call; the published answer is seen by all."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    organisation = models.ForeignKey(
        "grants.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.TextField(_("question"), max_length=4000)
    answer = models.TextField(_("answer"), blank=True, max_length=8000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("clarification question")
        verbose_name_plural = _("clarification questions")

    def __str__(self) -> str:
        return self.question[:60]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
