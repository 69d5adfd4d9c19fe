"""Grants API: applications (NGO drafts, submission, withdrawal) and their attachments.

The list's query-string filters are parsed by ``ApplicationFilter`` and applied by the same
selector as the secretariat's list page (``grants.selectors.applications.filter_applications``).
"""

from decimal import Decimal

from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse

from django.db.models import Count
import django_filters

from fundapp.accounts.roles import user_can
from fundapp.core.api import capability
from fundapp.core.filters import IdFilter
from fundapp.core.renderers import is_export
from fundapp.core.upload_limits import max_upload_bytes, upload_limit
from grants.models import (
    Application,
    ApplicationStatus,
    BudgetCategory,
    BudgetLine,
    Decision,
    DocumentKind,
    ReviewStatus,
    Screening,
    Service,
)
from grants.selectors.applications import (
    application_list,
    application_missing_items,
    filter_applications,
    get_application_for,
    get_attachment_for,
    reads_as_applicant,
    status_seen_by,
)
from grants.exports import with_review_scores
from grants.selectors.board import decision_of
from grants.selectors.calls import get_call_for
from grants.selectors.reviews import hides_identity
from grants.services.applications import (
    application_create,
    application_submit,
    application_update,
    application_withdraw,
    attachment_add,
    attachment_remove,
)

from .common import (
    CONFLICT,
    INT_MAX,
    NOT_FOUND,
    SLUG,
    MoneyField,
    PermissionsByAction,
    country_code,
    country_list,
)

APPLY = capability("application.create")


# Serializers --------------------------------------------------------------------------------


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


class OpenInformationRequestSerializer(serializers.Serializer):
    message = serializers.CharField()
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()


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
    information_request = serializers.SerializerMethodField(
        help_text=_("The open request for information (secretariat and the organisation "
                    "only; null otherwise): what is needed, by when, and whether it is "
                    "overdue. See …/information-requests/ for all of them."))

    @extend_schema_field(OpenInformationRequestSerializer(allow_null=True))
    def get_information_request(self, app) -> dict | None:
        due = getattr(app, "open_info_due_on", None)
        request = self.context.get("request")
        if due is None or request is None or not (
                user_can(request.user, "application.screen")
                or reads_as_applicant(request.user, app)):
            return None
        return {"message": app.open_info_message, "due_on": due.isoformat(),
                "overdue": app.information_overdue}

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


class ApplicationExportSerializer(ApplicationSerializer):
    """The secretariat's file of applications (``?format=csv|xlsx``) adds the review scores."""

    reviews_submitted = serializers.IntegerField()
    review_score = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True,
        help_text=_("Weighted mean of the submitted reviews' scores (1-5)."))


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


# Filters ------------------------------------------------------------------------------------


class ApplicationFilter(django_filters.FilterSet):
    """Parses the list's query string; ``filter_applications`` applies it, as on the web list."""

    call = IdFilter(field_name="call_id", label=_("Call id"))
    status = django_filters.ChoiceFilter(
        choices=ApplicationStatus.choices,
        label=_("Status as the reader sees it: an applicant's own applications read as "
                "under_review until the Board's decision."))
    country = django_filters.CharFilter(
        validators=[country_code], label=_("A country of implementation (ISO alpha-2)"))
    priority = django_filters.CharFilter(
        field_name="priority_claims__priority__code", label=_("Code of a call priority"))
    search = django_filters.CharFilter(
        label=_("Words in the title, reference or organisation name"))

    class Meta:
        model = Application
        fields = ["call", "status", "country", "priority", "search"]

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return filter_applications(queryset, getattr(self.request, "user", None),
                                   **{name: data.get(name) for name in self.Meta.fields})


class ApplicationOrdering(OrderingFilter):
    """``?ordering=status`` orders by the status as the reader sees it (``seen_status``)."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        return [term.replace("status", "seen_status") if term.lstrip("-") == "status" else term
                for term in ordering]


# Views --------------------------------------------------------------------------------------


BUDGET_LINES = Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("position", "id"))


@extend_schema_view(
    list=extend_schema(
        summary=_("Applications"),
        description=_("An NGO user sees its organisation's; the secretariat all; the board "
                      "those recommended or decided.")),
    retrieve=extend_schema(summary=_("An application"),
                           responses={200: ApplicationDetailSerializer, 404: NOT_FOUND}),
)
class ApplicationViewSet(PermissionsByAction, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         viewsets.GenericViewSet):
    filter_backends = [DjangoFilterBackend, ApplicationOrdering]
    filterset_class = ApplicationFilter
    ordering_fields = ["created_at", "updated_at", "submitted_at", "requested_usd", "title",
                       "reference", "status"]
    lookup_value_regex = r"\d+"
    permissions = {"*": (IsAuthenticated,), "create": (APPLY,), "partial_update": (APPLY,),
                   "submit": (APPLY,), "withdraw": (APPLY,)}

    def _scores(self) -> bool:
        """A file of the list, for the secretariat: with the review scores."""
        return (self.action == "list" and is_export(self.request)
                and user_can(self.request.user, "application.screen"))

    def get_serializer_class(self):
        if self._scores():
            return ApplicationExportSerializer
        return ApplicationSerializer if self.action == "list" else ApplicationDetailSerializer

    def get_queryset(self):
        # The selector's Sum() annotation makes Django drop Meta.ordering: order explicitly.
        qs = (application_list(self.request.user).prefetch_related(BUDGET_LINES)
              .order_by("-created_at", "-id"))
        return with_review_scores(qs) if self._scores() else qs

    def get_object(self):
        return get_application_for(self.request.user, self.kwargs["pk"])

    def _render(self, application, code=status.HTTP_200_OK) -> Response:
        fresh = get_application_for(self.request.user, application.pk)
        return Response(ApplicationDetailSerializer(
            fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(summary=_("Start a draft application (NGO)"),
                   request=ApplicationCreateSerializer,
                   responses={201: ApplicationDetailSerializer, 409: CONFLICT})
    def create(self, request):
        serializer = ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            call = get_call_for(request.user, serializer.validated_data["call"])
        except Http404:
            raise ValidationError({"call": [_("There is no such call.")]}) from None
        application = application_create(actor=request.user, call=call,
                                          values=serializer.service_values({}))
        return self._render(application, status.HTTP_201_CREATED)

    @extend_schema(summary=_("Save part or all of a draft (NGO)"),
                   request=ApplicationWriteSerializer,
                   responses={200: ApplicationDetailSerializer, 404: NOT_FOUND,
                              409: CONFLICT})
    def partial_update(self, request, pk=None):
        application = self.get_object()
        serializer = ApplicationWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        saved = {c.priority.code: c.justification for c in application.priority_claims.all()}
        application_update(actor=request.user, application=application,
                           values=serializer.service_values(saved))
        return self._render(application)

    @extend_schema(
        summary=_("Submit a complete draft before the deadline (NGO)"), request=None,
        description=_("400 lists every missing piece by field; 409 after the deadline."),
        responses={200: ApplicationDetailSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        application = application_submit(actor=request.user, application=self.get_object())
        return self._render(application)

    @extend_schema(summary=_("Withdraw an application before the decision (NGO)"),
                   request=WithdrawSerializer,
                   responses={200: ApplicationDetailSerializer, 404: NOT_FOUND,
                              409: CONFLICT})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self.get_object()
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application_withdraw(actor=request.user, application=application,
                             reason=serializer.validated_data["reason"])
        return self._render(application)


@extend_schema(parameters=[OpenApiParameter("application_pk", int, OpenApiParameter.PATH)])
@extend_schema_view(
    list=extend_schema(summary=_("An application's attachments")),
    retrieve=extend_schema(summary=_("An attachment's details"),
                           responses={200: AttachmentSerializer, 404: NOT_FOUND}),
    create=extend_schema(summary=_("Attach a document to a draft (NGO)"),
                         request={"multipart/form-data": AttachmentUploadSerializer},
                         responses={201: AttachmentSerializer, 404: NOT_FOUND,
                                    409: CONFLICT}),
    destroy=extend_schema(summary=_("Remove a document from a draft (NGO)"),
                          responses={204: None, 404: NOT_FOUND, 409: CONFLICT}),
)
class AttachmentViewSet(PermissionsByAction, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = AttachmentSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"
    permissions = {"*": (IsAuthenticated,), "create": (APPLY,), "destroy": (APPLY,)}

    def get_queryset(self):
        application = get_application_for(self.request.user, self.kwargs["application_pk"])
        return application.attachments.all()

    def perform_content_negotiation(self, request, force=False):
        # A download answers whatever the client accepts; its errors still come back as JSON.
        return super().perform_content_negotiation(
            request, force=force or self.action == "download")

    def get_attachment(self):
        return get_attachment_for(self.request.user, self.kwargs["application_pk"],
                                  self.kwargs["pk"])

    def retrieve(self, request, application_pk=None, pk=None):
        return Response(self.get_serializer(self.get_attachment()).data)

    @upload_limit(max_upload_bytes)
    def create(self, request, application_pk=None):
        application = get_application_for(request.user, application_pk)
        serializer = AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = attachment_add(actor=request.user, application=application,
                                    kind=serializer.validated_data["kind"],
                                    uploaded=serializer.validated_data["file"])
        return Response(self.get_serializer(attachment).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, application_pk=None, pk=None):
        attachment_remove(actor=request.user, attachment=self.get_attachment())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary=_("Download an attachment"),
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY,
                              404: NOT_FOUND})
    @action(detail=True, methods=["get"])
    def download(self, request, application_pk=None, pk=None):
        attachment = self.get_attachment()
        try:
            stream = attachment.file.open("rb")
        except OSError:
            raise NotFound(_("The file is no longer available.")) from None
        response = FileResponse(stream, as_attachment=True, filename=attachment.original_name,
                                content_type=attachment.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
