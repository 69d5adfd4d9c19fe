"""Grants API: amendments to a signed grant and the stored versions of its agreement.

``/api/v1/grants/{id}/amendments/``: the grantee's members and the secretariat read; the
organisation's admins and editors request (as the secretariat may), the secretariat
approves or declines (``…/{amendment_id}/approve/``, ``…/decline/``).
``/api/v1/grants/{id}/agreement-versions/`` lists the stored versions and
``…/{number}/pdf/`` downloads one. Everyone else gets a 404 (reviewers, the Board, donors,
other organisations), anonymous visitors a 401.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse

from fundapp.core.pdf_api import PDF_RENDERERS, PDF_RESPONSE, pdf_file
from grants.models import AgreementVersion, Amendment, AmendmentKind, AmendmentStatus
from grants.models.applications import BudgetCategory
from grants.selectors.amendments import (
    agreement_versions,
    amendment_differences,
    get_amendment_for,
    get_amendments_grant_for,
    grant_amendments,
)
from grants.services.amendments import amendment_approve, amendment_decline, amendment_request

from .common import CONFLICT, NOT_FOUND, MoneyField, PermissionsByAction

BAD_REQUEST = OpenApiResponse(description=_("Field errors."))
NOT_ALLOWED = OpenApiResponse(description=_("Your role does not allow this."))


class AmendmentLineSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=BudgetCategory.choices)
    description = serializers.CharField(max_length=300, allow_blank=True, required=False,
                                        default="")
    amount_usd = MoneyField(min_value=0)


class DifferenceSerializer(serializers.Serializer):
    category = serializers.CharField()
    previous_usd = MoneyField()
    new_usd = MoneyField()
    difference_usd = MoneyField()
    above_threshold = serializers.BooleanField(help_text=_(
        "More than AMENDMENT_APPROVAL_THRESHOLD of the line's previous amount, or a line "
        "added or removed: the revision then needs the secretariat's approval."))


class AmendmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=AmendmentKind.choices)
    reason = serializers.CharField(max_length=8000)
    details = serializers.CharField(max_length=8000, allow_blank=True, required=False,
                                    default="", help_text=_("The change (kind `other`)."))
    new_end_date = serializers.DateField(required=False, allow_null=True, default=None,
                                         help_text=_("Kind `no_cost_extension`."))
    previous_end_date = serializers.DateField(read_only=True, allow_null=True)
    budget_lines = AmendmentLineSerializer(many=True, required=False, default=list,
                                           max_length=50, help_text=_(
                                               "Kind `budget_revision`: the grant's whole new "
                                               "budget, with the same total."))
    previous_lines = AmendmentLineSerializer(many=True, read_only=True)
    differences = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=AmendmentStatus.choices, read_only=True)
    recorded_only = serializers.BooleanField(read_only=True, help_text=_(
        "A budget revision within the threshold: recorded, approved at once."))
    requested_by = serializers.IntegerField(source="requested_by_id", read_only=True,
                                            allow_null=True)
    requested_at = serializers.DateTimeField(read_only=True)
    decided_by = serializers.IntegerField(source="decided_by_id", read_only=True,
                                          allow_null=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decision_reason = serializers.CharField(read_only=True)
    agreement_version = serializers.SerializerMethodField(help_text=_(
        "The number of the agreement version it produced, once in effect."))

    @extend_schema_field(DifferenceSerializer(many=True))
    def get_differences(self, amendment) -> list[dict]:
        return [d.as_dict() for d in amendment_differences(amendment)]

    def get_agreement_version(self, amendment) -> int | None:
        version = getattr(amendment, "agreement_version", None)
        return version.number if version else None


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, allow_blank=True, required=False,
                                   default="", help_text=_("Required to decline."))


class _GrantScoped(PermissionsByAction):
    permissions = {"*": (IsAuthenticated,)}
    filter_backends: list = []

    def grant(self):
        cached = getattr(self, "_grant", None)
        if cached is None:
            cached = self._grant = get_amendments_grant_for(self.request.user,
                                                            self.kwargs["grant_pk"])
        return cached


@extend_schema_view(
    list=extend_schema(summary=_("A grant's amendments, newest first"),
                       responses={200: AmendmentSerializer(many=True), 404: NOT_FOUND}),
    retrieve=extend_schema(summary=_("One amendment"),
                           responses={200: AmendmentSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary=_("Request an amendment (organisation's admins and editors, secretariat)"),
        request=AmendmentSerializer,
        responses={201: AmendmentSerializer, 400: BAD_REQUEST, 403: NOT_ALLOWED,
                   404: NOT_FOUND, 409: CONFLICT}),
)
class AmendmentViewSet(_GrantScoped, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    serializer_class = AmendmentSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Amendment.objects.none()
        return grant_amendments(self.grant())

    def create(self, request, grant_pk=None):
        serializer = AmendmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        amendment = amendment_request(
            actor=request.user, grant=self.grant(), kind=data["kind"], reason=data["reason"],
            new_end_date=data.get("new_end_date"), details=data.get("details", ""),
            budget_lines=[dict(line) for line in data.get("budget_lines") or []] or None)
        fresh = self.get_queryset().get(pk=amendment.pk)
        return Response(AmendmentSerializer(fresh).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, service, pk):
        amendment = get_amendment_for(request.user, grant_pk=self.kwargs["grant_pk"], pk=pk)
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service(actor=request.user, amendment=amendment,
                reason=serializer.validated_data["reason"])
        fresh = self.get_queryset().get(pk=amendment.pk)
        return Response(AmendmentSerializer(fresh).data)

    @extend_schema(summary=_("Approve an amendment (secretariat)"), request=DecisionSerializer,
                   description=_("Approving a no-cost extension moves the grant's end date "
                                 "and its later report due dates; a budget revision's lines "
                                 "become the grant's budget. A new agreement version is "
                                 "stored."),
                   responses={200: AmendmentSerializer, 403: NOT_ALLOWED, 404: NOT_FOUND,
                              409: CONFLICT})
    @action(detail=True, methods=["post"])
    def approve(self, request, grant_pk=None, pk=None):
        return self._decide(request, amendment_approve, pk)

    @extend_schema(summary=_("Decline an amendment, with a reason (secretariat)"),
                   request=DecisionSerializer,
                   responses={200: AmendmentSerializer, 400: BAD_REQUEST, 403: NOT_ALLOWED,
                              404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def decline(self, request, grant_pk=None, pk=None):
        return self._decide(request, amendment_decline, pk)


class AgreementVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField(read_only=True)
    amendment = serializers.IntegerField(source="amendment_id", read_only=True,
                                         allow_null=True, help_text=_(
                                             "The amendment it follows (none for version 1, "
                                             "the agreement as first signed)."))
    created_at = serializers.DateTimeField(read_only=True)
    download = serializers.SerializerMethodField(help_text=_("URL of the PDF."))

    def get_download(self, version) -> str:
        return reverse("grant-agreement-version-pdf",
                       kwargs={"grant_pk": version.grant_id, "number": version.number},
                       request=self.context.get("request"))


@extend_schema_view(
    list=extend_schema(summary=_("The stored versions of a grant's agreement"),
                       responses={200: AgreementVersionSerializer(many=True),
                                  404: NOT_FOUND}),
)
class AgreementVersionViewSet(_GrantScoped, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = AgreementVersionSerializer
    lookup_field = "number"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AgreementVersion.objects.none()
        return agreement_versions(self.grant())

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=force or self.action == "pdf")

    @extend_schema(summary=_("Download one version of the agreement (PDF)"),
                   responses={(200, "application/pdf"): PDF_RESPONSE, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], renderer_classes=PDF_RENDERERS)
    def pdf(self, request, grant_pk=None, number=None):
        version = self.get_queryset().filter(number=number).first()
        if version is None:
            raise NotFound()
        try:
            with version.file.open("rb") as handle:
                content = handle.read()
        except OSError:
            raise NotFound(_("The file is no longer available.")) from None
        return pdf_file(content, f"agreement-{version.grant.agreement_number}-v{number}.pdf")
