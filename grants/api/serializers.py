"""Shapes of the grants API: types, lengths, decimals, choices.

Rules that depend on state (a call's limits, its deadline, who may edit) live in the services;
read serializers only touch what the selectors select or prefetch.
"""

import re
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from fundapp.accounts.roles import user_can
from fundapp.core.validators import single_line
from grants.models import (
    ApplicationStatus,
    BudgetCategory,
    CallStatus,
    Decision,
    DocumentKind,
    Organisation,
    ReviewStatus,
    Screening,
    Service,
)
from grants.selectors.applications import application_missing_items, status_seen_by
from grants.selectors.board import decision_of
from grants.selectors.reviews import hides_identity

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,40}")
SMALLINT_MAX = 32767
INT_MAX = 2147483647
ID_MAX = 2**63 - 1  # largest BigAutoField id; above it the database driver overflows


class MoneyField(serializers.DecimalField):
    """USD amounts: at most two decimals, rendered as a string with two places."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=14, decimal_places=2, **kwargs)


@extend_schema_field({"type": "string", "pattern": "^[A-Z]{2}$", "example": "NG"})
class CountryCodeField(serializers.CharField):
    """An ISO 3166-1 alpha-2 code, in any case on input, upper case on output."""

    default_error_messages = {"unknown": _("Unknown country code: {code}.")}

    def to_internal_value(self, data):
        code = super().to_internal_value(data).strip().upper()
        if code not in countries:
            self.fail("unknown", code=code[:12])
        return code

    def to_representation(self, value):
        return getattr(value, "code", value) or ""


def country_list(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=CountryCodeField(), max_length=250, **kwargs)


def id_field(**kwargs) -> serializers.IntegerField:
    """An object id sent by a client: a huge one is a 400, not a crash in the query."""
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


# Calls and their clarification Q&A ----------------------------------------------------------


class CallPrioritySerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(read_only=True)
    name_en = serializers.CharField(max_length=200)
    name_fr = serializers.CharField(max_length=200, required=False, allow_blank=True)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)


class CallSerializer(serializers.Serializer):
    """A call for proposals. Written by the secretariat; `status` changes through actions."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(min_value=1, max_value=SMALLINT_MAX)
    title = serializers.CharField(read_only=True, help_text=_("In the reader's language."))
    title_en = serializers.CharField(max_length=200, validators=[single_line])
    title_fr = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                     validators=[single_line])
    description = serializers.CharField(read_only=True)
    description_en = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    description_fr = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    status = serializers.ChoiceField(
        choices=CallStatus.choices, source="effective_status", read_only=True,
        help_text=_("A published call whose deadline has passed reads as closed."))
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    envelope_usd = MoneyField()
    min_grant_usd = MoneyField()
    max_grant_usd = MoneyField()
    max_duration_months = serializers.IntegerField(max_value=SMALLINT_MAX)
    required_documents = serializers.ListField(
        child=serializers.ChoiceField(choices=DocumentKind.choices), required=False,
        max_length=len(DocumentKind.values))
    eligible_countries = country_list(
        required=False, help_text=_("Empty: every country is eligible."))
    priorities = CallPrioritySerializer(many=True, required=False, max_length=50)
    is_open = serializers.SerializerMethodField(
        help_text=_("Published and inside its submission window right now."))
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_is_open(self, call) -> bool:
        return call.is_accepting_submissions()


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    call = serializers.IntegerField(source="call_id", read_only=True)
    question = serializers.CharField(max_length=4000)
    answer = serializers.CharField(read_only=True)
    is_published = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=8000)
    publish = serializers.BooleanField(
        default=True, help_text=_("Publish the answer to every applicant (default)."))


# Organisations ------------------------------------------------------------------------------


class OrganisationSerializer(serializers.ModelSerializer):
    country = CountryCodeField()
    verified = serializers.BooleanField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id", "name", "country", "registration_number", "verified", "status",
            "status_reason", "year_founded", "contact_name", "contact_email", "contact_phone",
            "website", "address", "annual_budget_usd", "un_partner_portal_id",
            "psea_declaration", "track_record", "verified_at", "created_at",
        ]
        read_only_fields = ["status", "status_reason", "verified_at", "created_at"]
        validators: list = []  # uniqueness is the service's rule, with a friendlier message
        extra_kwargs = {"name": {"validators": [single_line]},
                        "contact_name": {"validators": [single_line]}}


class ChecklistSerializer(serializers.Serializer):
    registration_certificate = serializers.BooleanField(default=False)
    safeguarding_policy = serializers.BooleanField(default=False)
    track_record = serializers.BooleanField(default=False)


class VerifySerializer(serializers.Serializer):
    approve = serializers.BooleanField(
        default=True, help_text=_("true to verify, false to reject (reasons required)."))
    checklist = ChecklistSerializer(required=False)
    reasons = serializers.CharField(max_length=5000, required=False, allow_blank=True,
                                    default="")


# Applications -------------------------------------------------------------------------------


class BeneficiariesSerializer(serializers.Serializer):
    women = serializers.IntegerField(min_value=0, max_value=INT_MAX, required=False)
    girls = serializers.IntegerField(min_value=0, max_value=INT_MAX, required=False)
    men = serializers.IntegerField(min_value=0, max_value=INT_MAX, required=False)
    boys = serializers.IntegerField(min_value=0, max_value=INT_MAX, required=False)


class BudgetLineSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=BudgetCategory.choices)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    amount = MoneyField()


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, read_only=True)
    original_name = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)
    content_type = serializers.CharField(read_only=True)
    uploaded_at = serializers.DateTimeField(read_only=True)
    download = serializers.SerializerMethodField(help_text=_("URL that streams the file."))

    def get_download(self, attachment) -> str:
        return reverse("application-attachment-download",
                       kwargs={"application_pk": attachment.application_id, "pk": attachment.pk},
                       request=self.context.get("request"))


class AttachmentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField(
        help_text=_("PDF, DOCX, XLSX, ODT, PNG or JPEG, judged by content; at most 10 MB."))


class ApplicationSerializer(serializers.Serializer):
    """An application as listed; the detail adds attachments and what is still missing."""

    id = serializers.IntegerField()
    reference = serializers.CharField(allow_null=True)
    call = serializers.IntegerField(source="call_id")
    call_number = serializers.IntegerField(source="call.number")
    organisation = serializers.IntegerField(
        source="organisation_id", allow_null=True,
        help_text=_("Null for external reviewers when the call's review is blind."))
    organisation_name = serializers.CharField(source="organisation.name", allow_null=True)
    title = serializers.CharField()
    summary = serializers.CharField()
    countries = country_list()
    requested_usd = MoneyField(allow_null=True)
    duration_months = serializers.IntegerField(allow_null=True)
    start_date = serializers.DateField(allow_null=True)
    priorities = serializers.SerializerMethodField(help_text=_("Codes of the call priorities."))
    priority_justifications = serializers.SerializerMethodField()
    beneficiaries = BeneficiariesSerializer()
    services = serializers.ListField(child=serializers.ChoiceField(choices=Service.choices))
    budget_lines = BudgetLineSerializer(many=True)
    budget_total = serializers.SerializerMethodField()
    status = serializers.ChoiceField(
        choices=ApplicationStatus.choices,
        help_text=_("For the applicant organisation's users, every stage between submission "
                    "and the Board's decision reads as under_review (no ranking or "
                    "recommendation), and ?status= filters on that value."))
    submitted_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_priorities(self, app) -> list[str]:
        return [claim.priority.code for claim in app.priority_claims.all()]

    def get_priority_justifications(self, app) -> dict[str, str]:
        return {claim.priority.code: claim.justification for claim in app.priority_claims.all()}

    @extend_schema_field(MoneyField())
    def get_budget_total(self, app) -> str:
        total = sum((line.amount for line in app.budget_lines.all()), Decimal("0"))
        return f"{total:.2f}"

    def to_representation(self, app):
        data = super().to_representation(app)
        request = self.context.get("request")
        if request is not None and hides_identity(request.user, app):
            data["organisation"] = data["organisation_name"] = None
        if request is not None:
            data["status"] = status_seen_by(request.user, app)
        return data


class BoardDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices,
                                       help_text=_("approved or declined."))
    approved_usd = MoneyField(allow_null=True)
    conditions = serializers.CharField(help_text=_("With an approval: the Board's conditions."))
    feedback = serializers.CharField(help_text=_("With a decline: the Board's feedback."))
    decided_at = serializers.DateTimeField(source="session.closed_at", allow_null=True)


class ApplicationDetailSerializer(ApplicationSerializer):
    attachments = AttachmentSerializer(many=True)
    missing = serializers.SerializerMethodField(
        help_text=_("While a draft: every piece still needed before it can be submitted, "
                    "by field."))

    screening = serializers.SerializerMethodField(
        help_text=_("Secretariat only: the screening decision and failed automatic checks."))
    reviews_summary = serializers.SerializerMethodField(
        help_text=_("Secretariat only: the number of reviews by status."))
    board_decision = serializers.SerializerMethodField(
        help_text=_("Once the Board session that decided it has closed: the decision, the "
                    "approved amount and conditions, or the feedback. Null before."))

    @extend_schema_field(BoardDecisionSerializer(allow_null=True))
    def get_board_decision(self, app) -> dict | None:
        request = self.context.get("request")
        if request is None or app.status not in (ApplicationStatus.APPROVED,
                                                 ApplicationStatus.DECLINED):
            return None
        item = decision_of(request.user, app)
        return BoardDecisionSerializer(item).data if item else None

    def get_missing(self, app) -> dict[str, list[str]]:
        return application_missing_items(app) if app.is_editable else {}

    def _for_secretariat(self) -> bool:
        request = self.context.get("request")
        return request is not None and user_can(request.user, "application.screen")

    @extend_schema_field({"type": "object", "nullable": True, "properties": {
        "decision": {"type": "string"}, "failed_checks": {"type": "array",
                                                          "items": {"type": "string"}},
        "uncleared_sanctions_matches": {"type": "integer"},
        "priorities_confirmed": {"type": "array", "items": {"type": "string"}}}})
    def get_screening(self, app) -> dict | None:
        if not self._for_secretariat():
            return None
        screening = Screening.objects.filter(application=app).first()
        return {
            "decision": screening.decision if screening else "",
            "failed_checks": screening.failed_codes if screening else [],
            "uncleared_sanctions_matches": app.sanctions_matches.filter(
                cleared_at__isnull=True).count(),
            "priorities_confirmed": [c.priority.code for c in app.priority_claims.all()
                                     if c.confirmed],
        }

    @extend_schema_field({"type": "object", "nullable": True,
                          "additionalProperties": {"type": "integer"}})
    def get_reviews_summary(self, app) -> dict | None:
        if not self._for_secretariat():
            return None
        counts = dict(app.reviews.values_list("status").annotate(n=Count("id")))
        return {status: counts.get(status, 0) for status in ReviewStatus.values}


class ApplicationWriteSerializer(serializers.Serializer):
    """A draft's fields; a PATCH sends only those it changes."""

    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    summary = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    countries = country_list(required=False)
    requested_usd = MoneyField(required=False, allow_null=True)
    duration_months = serializers.IntegerField(required=False, allow_null=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    services = serializers.ListField(
        child=serializers.ChoiceField(choices=Service.choices), required=False,
        max_length=len(Service.values))
    beneficiaries = BeneficiariesSerializer(required=False)
    budget_lines = BudgetLineSerializer(many=True, required=False, max_length=100)
    priorities = serializers.ListField(
        child=serializers.SlugField(max_length=40), required=False, max_length=50,
        help_text=_("Codes of the call priorities the project addresses."))
    priority_justifications = serializers.DictField(
        child=serializers.CharField(max_length=3000, allow_blank=True), required=False,
        help_text=_("Priority code → how the project addresses it."))

    def validate_priority_justifications(self, value: dict) -> dict:
        for code in value:
            if not SLUG.fullmatch(code):
                raise serializers.ValidationError(
                    _("Not a priority code: {code}.").format(code=code[:40]))
        return value

    def validate(self, data):
        codes, texts = data.get("priorities"), data.get("priority_justifications")
        if codes is not None and texts is not None:
            stray = sorted(set(texts) - set(codes))
            if stray:
                raise serializers.ValidationError({"priority_justifications": [
                    _("These priorities are justified but not selected: {codes}.").format(
                        codes=", ".join(stray))]})
        return data

    def service_values(self, existing_claims: dict[str, str]) -> dict:
        """The dict the application services take: priorities become {code: justification}."""
        values = dict(self.validated_data)
        values.pop("call", None)
        codes = values.pop("priorities", None)
        texts = values.pop("priority_justifications", None)
        if codes is not None or texts is not None:
            values["priorities"] = _claims(codes, texts or {}, existing_claims)
        if "beneficiaries" in values:
            values["beneficiaries"] = dict(values["beneficiaries"])
        if "budget_lines" in values:
            values["budget_lines"] = [dict(line) for line in values["budget_lines"]]
        return values


def _claims(codes: list[str] | None, texts: dict[str, str],
            existing: dict[str, str]) -> dict[str, str]:
    """Sent codes (or the saved ones plus newly justified ones) with their justification."""
    if codes is None:
        codes = [*existing, *(code for code in texts if code not in existing)]
    return {code: texts.get(code, existing.get(code, "")) for code in codes}


class ApplicationCreateSerializer(ApplicationWriteSerializer):
    call = serializers.IntegerField(min_value=1, help_text=_("Id of an open call."))


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
