import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_fsm import RETURN_VALUE, FSMField, transition
from simple_history.models import HistoricalRecords

from .calls import Call, CallPriority, DocumentKind
from .organisations import Organisation


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    INFORMATION_REQUESTED = "information_requested", _("Information requested")
    SCREENING = "screening", _("Screening")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    UNDER_REVIEW = "under_review", _("Under review")
    RANKED = "ranked", _("Ranked")
    RECOMMENDED = "recommended", _("Recommended")
    NOT_RECOMMENDED = "not_recommended", _("Not recommended")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Where a request for information may be made (grants.services.information): once submitted
# and until the reviews are in; not after ranking (scores and the portfolio would be stale).
INFORMATION_REQUESTABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.SCREENING,
                           ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW)
# A draft, or an application whose organisation is answering a request for information.
EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.INFORMATION_REQUESTED)

WITHDRAWABLE = [
    s for s in ApplicationStatus.values
    if s not in (ApplicationStatus.APPROVED, ApplicationStatus.DECLINED,
                 ApplicationStatus.WITHDRAWN)
]


class Service(models.TextChoices):
    IDENTIFICATION = "identification", _("Victim identification")
    LEGAL = "legal", _("Legal and administrative assistance")
    SHELTER = "shelter", _("Shelter")
    MEDICAL = "medical", _("Medical care")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    REINTEGRATION = "reintegration", _("Social reintegration")
    OTHER = "other", _("Other")


class BudgetCategory(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel")
    DIRECT_ASSISTANCE = "direct_assistance", _("Direct assistance to victims")
    SHELTER = "shelter", _("Shelter and accommodation")
    TRAVEL = "travel", _("Travel and transport")
    TRAINING = "training", _("Training and awareness")
    EQUIPMENT = "equipment", _("Equipment and supplies")
    MONITORING = "monitoring", _("Monitoring and evaluation")
    ADMINISTRATION = "administration", _("Administration")
    OTHER = "other", _("Other")


class Application(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reference = models.CharField(_("reference"), max_length=32, unique=True, null=True,
                                 blank=True, editable=False)
    title = models.CharField(_("title"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), max_length=5000, blank=True)
    countries = CountryField(_("countries of implementation"), multiple=True, blank=True)
    requested_usd = models.DecimalField(
        _("requested amount (USD)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"), null=True,
                                                       blank=True)
    start_date = models.DateField(_("planned start date"), null=True, blank=True)
    beneficiaries_women = models.PositiveIntegerField(_("women"), default=0)
    beneficiaries_girls = models.PositiveIntegerField(_("girls"), default=0)
    beneficiaries_men = models.PositiveIntegerField(_("men"), default=0)
    beneficiaries_boys = models.PositiveIntegerField(_("boys"), default=0)
    services = models.JSONField(_("services offered"), default=list, blank=True)
    status = FSMField(_("status"), default=ApplicationStatus.DRAFT,
                      choices=ApplicationStatus.choices, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["call", "status"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["-created_at", "-id"], name="application_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_usd__isnull=True) | Q(requested_usd__gt=0),
                name="application_request_positive",
            ),
            models.CheckConstraint(
                condition=Q(duration_months__isnull=True) | Q(duration_months__gt=0),
                name="application_duration_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or self.title or str(_("Untitled draft"))

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_answering_information_request(self) -> bool:
        return self.status == ApplicationStatus.INFORMATION_REQUESTED

    @property
    def information_overdue(self) -> bool:
        """The open request's due date has passed (``open_info_due_on``, annotated by
        ``grants.selectors.applications.with_information_request``)."""
        due = getattr(self, "open_info_due_on", None)
        return due is not None and due < timezone.localdate()

    @property
    def beneficiaries(self) -> dict[str, int]:
        return {
            "women": self.beneficiaries_women,
            "girls": self.beneficiaries_girls,
            "men": self.beneficiaries_men,
            "boys": self.beneficiaries_boys,
        }

    @property
    def total_beneficiaries(self) -> int:
        return sum(self.beneficiaries.values())

    def get_services_display(self) -> list[str]:
        return [Service(s).label for s in self.services if s in Service.values]

    @transition(field=status, source=ApplicationStatus.DRAFT, target=ApplicationStatus.SUBMITTED)
    def submit(self) -> None:
        self.submitted_at = timezone.now()

    @transition(field=status, source=INFORMATION_REQUESTABLE,
                target=ApplicationStatus.INFORMATION_REQUESTED)
    def request_information(self) -> None:
        pass

    @transition(field=status, source=ApplicationStatus.INFORMATION_REQUESTED,
                target=RETURN_VALUE(*INFORMATION_REQUESTABLE))
    def answer_information_request(self, returns_to: str) -> str:
        """Back to where the request found it (``InformationRequest.returns_to``)."""
        if returns_to not in INFORMATION_REQUESTABLE:
            raise ValueError(f"Cannot return to {returns_to!r}")
        return returns_to

    @transition(field=status, source=ApplicationStatus.SUBMITTED,
                target=ApplicationStatus.SCREENING)
    def start_screening(self) -> None:
        pass

    @transition(field=status, source=ApplicationStatus.SCREENING,
                target=ApplicationStatus.ELIGIBLE)
    def mark_eligible(self) -> None:
        pass

    @transition(field=status, source=ApplicationStatus.SCREENING,
                target=ApplicationStatus.INELIGIBLE)
    def mark_ineligible(self) -> None:
        pass

    @transition(field=status, source=ApplicationStatus.ELIGIBLE,
                target=ApplicationStatus.UNDER_REVIEW)
    def start_review(self) -> None:
        pass

    @transition(field=status, source=[ApplicationStatus.UNDER_REVIEW, ApplicationStatus.RANKED],
                target=ApplicationStatus.RANKED)
    def mark_ranked(self) -> None:
        pass

    @transition(field=status, source=[ApplicationStatus.RANKED, ApplicationStatus.RECOMMENDED,
                                      ApplicationStatus.NOT_RECOMMENDED],
                target=ApplicationStatus.RECOMMENDED)
    def recommend(self) -> None:
        pass

    @transition(field=status, source=[ApplicationStatus.RANKED, ApplicationStatus.RECOMMENDED,
                                      ApplicationStatus.NOT_RECOMMENDED],
                target=ApplicationStatus.NOT_RECOMMENDED)
    def not_recommend(self) -> None:
        pass

    @transition(field=status, source=[ApplicationStatus.RECOMMENDED,
                                      ApplicationStatus.NOT_RECOMMENDED],
                target=ApplicationStatus.APPROVED)
    def approve(self) -> None:
        pass

    @transition(field=status, source=[ApplicationStatus.RECOMMENDED,
                                      ApplicationStatus.NOT_RECOMMENDED],
                target=ApplicationStatus.DECLINED)
    def decline(self) -> None:
        pass

    @transition(field=status, source=WITHDRAWABLE, target=ApplicationStatus.WITHDRAWN)
    def withdraw(self) -> None:
        self.withdrawn_at = timezone.now()


class BudgetLine(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="budget_lines")
    category = models.CharField(_("category"), max_length=32, choices=BudgetCategory.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.DecimalField(_("amount (USD)"), max_digits=14, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.amount}"


class ApplicationPriority(models.Model):
    """A call priority the application claims to address, with its justification."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="priority_claims")
    priority = models.ForeignKey(CallPriority, on_delete=models.CASCADE, related_name="+")
    justification = models.TextField(_("justification"), max_length=3000, blank=True)
    confirmed = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = _("priority claim")
        verbose_name_plural = _("priority claims")
        ordering = ["priority__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "priority"],
                                    name="one_claim_per_priority"),
        ]

    def __str__(self) -> str:
        return self.priority.code


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"attachments/{instance.application_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="attachments")
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
