"""Grants API: grants with their tranche and report schedules.

The secretariat and the board see every grant; an NGO user its organisation's; a donor every
grant's public fields only (agreement, project, organisation, amount, status, period);
nobody else any (403). The secretariat edits the tranches before signature and cancels.
"""

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from fundapp.core.api import capability
from fundapp.core.renderers import is_export
from grants.models import GrantStatus, ReportKind, ReportStatus, TrancheCondition
from grants.selectors.awards import (
    can_list_grants,
    get_grant_for,
    grant_list,
    grants_visible_to,
    sees_grant_details,
)
from grants.selectors.implementation import overdue_dues, with_progress
from grants.services.awards import grant_cancel, grant_tranches_update

from .common import CONFLICT, NOT_FOUND, PermissionsByAction, MoneyField, country_list, id_field

MANAGE = capability("grant.manage")


class ReadsGrants(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return can_list_grants(request.user)


class GrantTrancheSerializer(serializers.Serializer):
    position = serializers.IntegerField(read_only=True)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    amount_usd = MoneyField(read_only=True)
    condition = serializers.ChoiceField(choices=TrancheCondition.choices)
    report_number = serializers.IntegerField(min_value=1, max_value=50, required=False,
                                             allow_null=True,
                                             help_text=_("For `after_report_n` only."))
    planned_date = serializers.DateField(required=False, allow_null=True)
    paid_usd = MoneyField(read_only=True, help_text=_("Sum of the tranche's disbursements."))
    remaining_usd = MoneyField(read_only=True)


class GrantReportDueSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    number = serializers.IntegerField()
    due_date = serializers.DateField()
    status = serializers.ChoiceField(choices=ReportStatus.choices, source="latest_status",
                                     allow_null=True, read_only=True,
                                     help_text=_("The latest version's status, if any."))
    version = serializers.IntegerField(source="latest_version", allow_null=True,
                                       read_only=True)
    overdue = serializers.BooleanField(read_only=True)


class GrantPublicSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agreement_number = serializers.CharField()
    call = serializers.IntegerField(source="call_id")
    call_number = serializers.IntegerField(source="call.number")
    title = serializers.CharField(source="application.title")
    organisation_name = serializers.CharField(source="application.organisation.name")
    countries = country_list(source="application.countries")
    approved_usd = MoneyField()
    status = serializers.ChoiceField(choices=GrantStatus.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField()


class GrantSerializer(GrantPublicSerializer):
    """Donors get the public fields only (``GrantPublicSerializer``)."""

    application = serializers.IntegerField(source="application_id")
    reference = serializers.CharField(source="application.reference", allow_null=True)
    organisation = serializers.IntegerField(source="application.organisation_id")
    conditions = serializers.CharField()
    paid_usd = MoneyField(read_only=True, help_text=_("Sum of the grant's disbursements."))
    refunded_usd = MoneyField(read_only=True,
                              help_text=_("Sum of the unspent funds refunded to the fund."))
    suspended_at = serializers.DateTimeField(read_only=True, allow_null=True)
    suspension_reason = serializers.CharField(read_only=True)
    terminated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    termination_reason = serializers.CharField(read_only=True)
    unspent_at_termination_usd = MoneyField(
        read_only=True, allow_null=True,
        help_text=_("Paid less spent as last reported, stored at termination."))
    tranches = GrantTrancheSerializer(many=True, source="tranches.all")
    reports = GrantReportDueSerializer(many=True, source="reports_due.all",
                                  help_text=_("The report schedule."))
    created_at = serializers.DateTimeField()

    def to_representation(self, grant):
        request = self.context.get("request")
        if request is not None and not sees_grant_details(request.user, grant):
            return GrantPublicSerializer(grant, context=self.context).data
        return super().to_representation(grant)


class GrantExportSerializer(GrantSerializer):
    """The file of grants (``?format=csv|xlsx``) adds what remains to be paid."""

    remaining_usd = serializers.SerializerMethodField()

    @extend_schema_field(MoneyField())
    def get_remaining_usd(self, grant) -> str | None:
        paid = getattr(grant, "paid_usd", None)
        return f"{grant.approved_usd - (paid or 0):.2f}"


class GrantTranchesWriteSerializer(serializers.Serializer):
    tranches = GrantTrancheSerializer(many=True, min_length=1, max_length=10)


class GrantCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class GrantFilterSerializer(serializers.Serializer):
    call = id_field(required=False)
    status = serializers.ChoiceField(choices=GrantStatus.choices, required=False)
    organisation = id_field(required=False)
    search = serializers.CharField(
        required=False, max_length=100, allow_blank=True,
        help_text=_("An agreement number or application reference (exact, beginning or part), "
                    "or words of the project's title or organisation's name."))
    country = serializers.CharField(
        required=False, min_length=2, max_length=2,
        help_text=_("A country of implementation, ISO 3166 alpha-2 code in any case (KE)."))
    overdue = serializers.BooleanField(
        required=False, default=False,
        help_text=_("true: only grants with a report past its due date and not submitted."))

    def validate_country(self, value: str) -> str:
        from django_countries import countries

        if value.upper() not in dict(countries):
            raise serializers.ValidationError(_("Not a country code."))
        return value.upper()


class GrantViewSet(PermissionsByAction, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                   viewsets.GenericViewSet):
    """Grants awarded by the board."""

    serializer_class = GrantSerializer
    filter_backends = [OrderingFilter]
    ordering_fields = ["agreement_number", "approved_usd", "start_date", "created_at"]
    lookup_value_regex = r"\d+"
    permissions = {"*": (ReadsGrants,), "tranches": (MANAGE,), "cancel": (MANAGE,)}

    def get_serializer_class(self):
        if self.action == "list" and is_export(self.request):
            return GrantExportSerializer  # the file adds what remains to be paid
        return super().get_serializer_class()

    def get_queryset(self):
        params = GrantFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        filters = dict(params.validated_data)
        overdue = filters.pop("overdue", False)
        grants = grant_list(self.request.user, **filters)
        if overdue:
            grants = grants.filter(Exists(overdue_dues().filter(grant=OuterRef("pk"))))
        return with_progress(grants)

    def get_object(self):
        return get_grant_for(self.request.user, self.kwargs["pk"])

    def _detail(self, pk):
        """The grant with its money paid and report progress (404 if not visible)."""
        grant = with_progress(grants_visible_to(self.request.user)).filter(pk=pk).first()
        if grant is None:
            raise Http404
        return grant

    def _render(self, grant) -> Response:
        fresh = self._detail(grant.pk)
        return Response(GrantSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(summary=_("Grants"), parameters=[GrantFilterSerializer],
                   description=_("NGO: its own; secretariat and board: all; donors: every "
                                 "grant's public fields only."))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("A grant"), responses={200: GrantSerializer, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return Response(GrantSerializer(self._detail(self.kwargs["pk"]),
                                        context=self.get_serializer_context()).data)

    @extend_schema(summary=_("Replace the tranche schedule before signature (secretariat)"),
                   request=GrantTranchesWriteSerializer,
                   description=_("Shares add up to 100 %; amounts are computed to the cent, "
                                 "the last tranche taking the remainder."),
                   responses={200: GrantSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["put"])
    def tranches(self, request, pk=None):
        grant = self.get_object()
        serializer = GrantTranchesWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        grant_tranches_update(actor=request.user, grant=grant,
                              tranches=[dict(t) for t in serializer.validated_data["tranches"]])
        return self._render(grant)

    @extend_schema(summary=_("Cancel a grant; its amount is freed for the reserve list "
                             "(secretariat)"),
                   request=GrantCancelSerializer,
                   responses={200: GrantSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        grant = self.get_object()
        serializer = GrantCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        grant_cancel(actor=request.user, grant=grant, reason=serializer.validated_data["reason"])
        return self._render(grant)
