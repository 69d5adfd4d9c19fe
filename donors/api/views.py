"""Donor API: donors, pledges, contributions, rates and targets (the public reports are in
``reports.py``).

Thin views: a serializer checks the shape, one service writes, one selector reads. Objects
the user may not see are 404 (the selectors' getters); domain errors become 400/403/409 in
``fundapp.core.api.exception_handler``.
"""

from django.db.models import Max
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from donors.models import AnnualTarget
from donors.pdf import receipt_pdf
from donors.selectors.contributions import contributions_visible_to, get_contribution_for
from donors.selectors.donors import donors_visible_to, get_donor_for
from donors.selectors.pledges import get_pledge_for, pledges_visible_to
from donors.selectors.rates import exchange_rate_list
from donors.services.contributions import ContributionInput, contribution_record
from donors.services.donors import donor_create, donor_update
from donors.services.imports import MAX_BYTES, contribution_import_or_start, preview_content
from donors.services.pledges import pledge_cancel, pledge_create
from donors.services.rates import exchange_rate_set
from donors.services.targets import annual_target_set
from fundapp.core.api import capability
from fundapp.core.errors import ValidationFailed
from fundapp.core.idempotency import idempotent
from fundapp.core.job_api import JobSerializer
from fundapp.core.parsers import JSONParser
from fundapp.core.pdf_api import PDF_RENDERERS, PDF_RESPONSE, pdf_file
from fundapp.core.upload_limits import upload_limit

from . import serializers as s
from .filters import ContributionFilter, DonorFilter, ExchangeRateFilter, PledgeFilter

MANAGE = capability("donor.manage")
READ = capability("donor.manage") | capability("donor.portal")
NOT_FOUND = OpenApiResponse(description=_("Not found, or not visible to you."))
CONFLICT = OpenApiResponse(description=_("Not allowed in the object's current state."))


class PermissionsByAction:
    """``permissions`` maps an action name to its permission classes; ``"*"`` is the rest."""

    permissions: dict[str, tuple] = {"*": (READ,)}

    def get_permissions(self):
        return [cls() for cls in self.permissions.get(self.action, self.permissions["*"])]


# Donors -------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("Donors"),
                       description=_("The secretariat sees every donor; a donor's portal "
                                     "users see theirs.")),
    retrieve=extend_schema(summary=_("A donor"),
                           responses={200: s.DonorSerializer, 404: NOT_FOUND}),
)
class DonorViewSet(PermissionsByAction, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                   viewsets.GenericViewSet):
    serializer_class = s.DonorSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = DonorFilter
    ordering_fields = ["name", "donor_type", "created_at"]
    ordering = ["name", "id"]
    lookup_value_regex = r"\d+"
    permissions = {"*": (READ,), "create": (MANAGE,), "partial_update": (MANAGE,)}

    def get_queryset(self):
        return donors_visible_to(self.request.user).prefetch_related("users")

    def get_object(self):
        return get_donor_for(self.request.user, self.kwargs["pk"])

    @extend_schema(summary=_("Add a donor (secretariat)"), responses={201: s.DonorSerializer})
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        donor = donor_create(actor=request.user, values=dict(serializer.validated_data))
        return Response(self.get_serializer(get_donor_for(request.user, donor.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("Change a donor (secretariat)"),
                   responses={200: s.DonorSerializer, 404: NOT_FOUND})
    def partial_update(self, request, pk=None):
        donor = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        donor_update(actor=request.user, donor=donor, values=dict(serializer.validated_data))
        return Response(self.get_serializer(self.get_object()).data)


# Pledges ------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("Pledges"),
                       description=_("The secretariat sees every pledge; a donor its own.")),
    retrieve=extend_schema(summary=_("A pledge"),
                           responses={200: s.PledgeSerializer, 404: NOT_FOUND}),
)
class PledgeViewSet(PermissionsByAction, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    serializer_class = s.PledgeSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = PledgeFilter
    ordering_fields = ["pledged_on", "expected_on", "amount", "amount_usd", "year_from"]
    ordering = ["-pledged_on", "-id"]
    lookup_value_regex = r"\d+"
    permissions = {"*": (READ,), "create": (MANAGE,), "cancel": (MANAGE,)}

    def get_queryset(self):
        return pledges_visible_to(self.request.user).annotate(
            last_received_on=Max("contributions__received_on"))

    def get_object(self):
        get_pledge_for(self.request.user, self.kwargs["pk"])
        return self.get_queryset().get(pk=self.kwargs["pk"])

    @extend_schema(summary=_("Record a pledge (secretariat)"),
                   responses={201: s.PledgeSerializer})
    @idempotent
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        donor = _field_object(get_donor_for, request, data.pop("donor_id"), "donor")
        pledge = pledge_create(actor=request.user, donor=donor, **data)
        fresh = self.get_queryset().get(pk=pledge.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("Cancel what is left of a pledge (secretariat)"),
                   request=s.CancelSerializer,
                   responses={200: s.PledgeSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        pledge = get_pledge_for(request.user, pk)
        serializer = s.CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pledge_cancel(actor=request.user, pledge=pledge, **serializer.validated_data)
        return Response(self.get_serializer(self.get_object()).data)


def _field_object(getter, request, pk, field: str):
    """The object a write refers to, or a 400 naming the field (never revealing others')."""
    try:
        return getter(request.user, pk)
    except Http404 as exc:
        raise ValidationFailed.on(
            field, _("Unknown %(f)s: %(id)s.") % {"f": field, "id": pk}) from exc


# Contributions ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("Contributions"), description=_(
        "The secretariat sees every contribution; a donor its own. `amount_usd` = `amount` × "
        "`exchange_rate`, rounded half up to the cent.")),
    retrieve=extend_schema(summary=_("A contribution"),
                           responses={200: s.ContributionSerializer, 404: NOT_FOUND}),
)
class ContributionViewSet(PermissionsByAction, mixins.ListModelMixin,
                          mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ContributionSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = ContributionFilter
    ordering_fields = ["received_on", "amount", "amount_usd", "receipt_number", "created_at"]
    ordering = ["-received_on", "-id"]
    lookup_value_regex = r"\d+"
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    permissions = {"*": (READ,), "create": (MANAGE,), "import_file": (MANAGE,)}

    def get_queryset(self):
        return contributions_visible_to(self.request.user)

    def get_object(self):
        return get_contribution_for(self.request.user, self.kwargs["pk"])

    @extend_schema(summary=_("Record a contribution (secretariat)"),
                   responses={201: s.ContributionSerializer, 409: CONFLICT})
    @idempotent
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contribution = contribution_record(actor=request.user,
                                           values=self._input(serializer.validated_data))
        return Response(self.get_serializer(self.get_object_for(contribution.pk)).data,
                        status=status.HTTP_201_CREATED)

    def get_object_for(self, pk):
        return get_contribution_for(self.request.user, pk)

    def _input(self, data: dict) -> ContributionInput:
        from grants.selectors.calls import get_call_for

        request = self.request
        pledge_id, call_id = data.get("pledge_id"), data.get("earmark_call_id")
        return ContributionInput(
            donor=_field_object(get_donor_for, request, data["donor_id"], "donor"),
            amount=data["amount"], currency=data["currency"], received_on=data["received_on"],
            exchange_rate=data.get("exchange_rate"), bank_reference=data.get("bank_reference"),
            pledge=_field_object(get_pledge_for, request, pledge_id, "pledge")
            if pledge_id else None,
            earmarking=data.get("earmarking") or "unearmarked",
            earmark_call=_field_object(get_call_for, request, call_id, "earmark_call")
            if call_id else None,
            earmark_theme=data.get("earmark_theme") or "", note=data.get("note") or "",
            confirm_duplicate=data.get("confirm_duplicate", False))

    @extend_schema(summary=_("The contribution's receipt (PDF)"),
                   responses={(200, "application/pdf"): PDF_RESPONSE, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], renderer_classes=PDF_RENDERERS)
    def receipt(self, request, pk=None):
        contribution = self.get_object()
        return pdf_file(receipt_pdf(contribution),
                        f"receipt-{contribution.receipt_number}.pdf")

    @extend_schema(
        summary=_("Import contributions from a CSV or XLSX file (secretariat)"),
        description=_("All or nothing; rows whose bank reference is already recorded with the "
                      "same details are skipped. With `dry_run`, only the preview. A file of "
                      "more rows than the asynchronous threshold (5,000 by default) is "
                      "imported in the background: the answer is 202 with the job, whose "
                      "`url` (`/api/v1/jobs/{id}/`, also the `Location` header) gives its "
                      "progress (`rows_done` of `rows_total`) and, when done, its result or "
                      "the rows refused."),
        request={"multipart/form-data": s.ImportSerializer},
        responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT,
                   202: OpenApiResponse(JobSerializer, description=_(
                       "A large file: its import job, queued.")),
                   400: OpenApiTypes.OBJECT})
    @upload_limit(MAX_BYTES)
    @idempotent
    @action(detail=False, methods=["post"], url_path="import", url_name="import")
    def import_file(self, request):
        serializer = s.ImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        uploaded = serializer.validated_data["file"]
        if serializer.validated_data["dry_run"]:
            uploaded.seek(0)
            preview = preview_content(uploaded.read(), uploaded.name)
            return Response(_preview_data(preview))
        _batch, preview, job = contribution_import_or_start(actor=request.user,
                                                            uploaded=uploaded)
        if job is not None:
            data = JobSerializer(job, context={"request": request}).data
            return Response(data, status=status.HTTP_202_ACCEPTED,
                            headers={"Location": data["url"]})
        return Response(_preview_data(preview), status=status.HTTP_201_CREATED)


def _preview_data(preview) -> dict:
    return {
        "file_name": preview.file_name, "format": preview.file_format, "ok": preview.ok,
        "file_errors": preview.file_errors, "counts": preview.counts,
        "total_usd": f"{preview.total_usd:.2f}",
        "rows": s.ImportRowSerializer(preview.listed(), many=True).data,
        "rows_listed": min(len(preview.rows), 1000), "rows_total": len(preview.rows),
    }


# Rates and targets --------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(summary=_("Exchange rates (secretariat)")),
                    create=extend_schema(summary=_("Add or correct a rate (secretariat)")))
class ExchangeRateViewSet(PermissionsByAction, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ExchangeRateSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ExchangeRateFilter
    permissions = {"*": (MANAGE,)}

    def get_queryset(self):
        return exchange_rate_list()

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rate = exchange_rate_set(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(rate).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary=_("Annual targets that differ from the default"),
                       description=_("Years not listed have the default target, USD "
                                     "1,500,000.00.")),
    create=extend_schema(summary=_("Set a year's target (secretariat)")))
class AnnualTargetViewSet(PermissionsByAction, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.AnnualTargetSerializer
    filter_backends: list = []
    permissions = {"*": (AllowAny,), "create": (MANAGE,)}

    def get_queryset(self):
        return AnnualTarget.objects.order_by("-year")

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target = annual_target_set(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(target).data, status=status.HTTP_201_CREATED)
