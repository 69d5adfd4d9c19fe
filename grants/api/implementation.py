"""Grants in implementation: agreement, bank details, disbursements, reports and closure.

Under ``/api/v1/grants/{id}/``. The grantee, the secretariat and the board read; donors and
other NGOs get 404, reviewers and anonymous visitors 403. The NGO signs, enters its bank
details and submits reports; the secretariat countersigns, confirms bank details, records
payments, reviews reports and closes the grant.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from fundapp.core.api import capability
from fundapp.core.renderers import is_export
from fundapp.core.idempotency import idempotent
from grants.models import (
    BudgetCategory,
    Grant,
    ReportKind,
    ReportStatus,
    Service,
    Tranche,
    UnspentTreatment,
    VictimGroup,
)
from grants.selectors.awards import get_grant_details_for
from grants.selectors.implementation import (
    get_report_for,
    grant_disbursements,
    grant_reports,
)
from grants.services import implementation as svc

from .awards import ReadsGrants
from .common import CONFLICT, NOT_FOUND, PermissionsByAction, MoneyField

MANAGE = capability("grant.manage")
IMPLEMENT = capability("grant.implement")


class DisbursementSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    tranche = serializers.IntegerField(source="tranche.position",
                                       help_text=_("The tranche's position (1, 2, …)."))
    paid_on = serializers.DateField()
    amount_usd = MoneyField(min_value=0)
    reference = serializers.CharField(max_length=64)
    recorded_at = serializers.DateTimeField(read_only=True)


class ExpenditureSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=BudgetCategory.choices)
    approved_usd = MoneyField()
    spent_usd = MoneyField()
    variance_usd = MoneyField(read_only=True)


def _counts(choices):
    return serializers.DictField(child=serializers.IntegerField(), required=False,
                                 help_text=", ".join(choices.values))


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=ReportKind.choices, read_only=True)
    number = serializers.IntegerField(source="report_due.number", read_only=True)
    version = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=ReportStatus.choices, read_only=True)
    achievements = serializers.CharField(max_length=20000)
    challenges = serializers.CharField(max_length=20000, allow_blank=True, required=False)
    lessons = serializers.CharField(max_length=20000, allow_blank=True, required=False)
    story = serializers.CharField(max_length=20000, allow_blank=True, required=False)
    consent_confirmed = serializers.BooleanField(required=False)
    victims_assisted = serializers.IntegerField(source="victims_total")
    expenditure = ExpenditureSerializer(many=True, source="expenditure.all", required=False)
    by_group = serializers.SerializerMethodField()
    by_service = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    review_comment = serializers.CharField(read_only=True)

    def _indicators(self, report, dimension) -> dict[str, int]:
        return {i.key: i.count for i in report.indicators.all() if i.dimension == dimension}

    def get_by_group(self, report) -> dict[str, int]:
        return self._indicators(report, "group")

    def get_by_service(self, report) -> dict[str, int]:
        return self._indicators(report, "service")


def _per_choice(name, choices, field, read):
    """A nested serializer with one typed field per choice (a column each in a file);
    ``read(report)`` gives ``{code: value}``."""

    def to_representation(self, report):
        values = read(report)
        return {code: values.get(code) for code in self.fields}

    fields = {code: field(label=label, read_only=True) for code, label in choices.choices}
    return type(name, (serializers.Serializer,), {**fields,
                                                  "to_representation": to_representation})


def _money(value):
    return None if value is None else f"{value:.2f}"


def _spent(report):
    return {line.category: _money(line.spent_usd) for line in report.expenditure.all()}


def _approved(report):
    return {line.category: _money(line.approved_usd) for line in report.expenditure.all()}


def _indicator_counts(dimension):
    return lambda report: {i.key: i.count for i in report.indicators.all()
                           if i.dimension == dimension}


class ReportExportSerializer(serializers.Serializer):
    """The file of a grant's reports (``?format=csv|xlsx``): one row per report version,
    labels in the reader's language, money and counts typed, a column per budget category
    and per indicator (no lists or codes packed into one cell)."""

    agreement_number = serializers.CharField(source="grant.agreement_number")
    organisation_name = serializers.CharField(source="grant.application.organisation.name")
    kind = serializers.CharField(source="get_kind_display", label=_("Kind"))
    number = serializers.IntegerField(source="report_due.number")
    version = serializers.IntegerField(label=_("Version"))
    status = serializers.CharField(source="get_status_display", label=_("Status"))
    due_date = serializers.DateField(source="report_due.due_date")
    submitted_at = serializers.DateTimeField()
    submitted_by = serializers.CharField(source="submitted_by.get_full_name", default="",
                                         label=_("Submitted by"))
    reviewed_at = serializers.DateTimeField(label=_("Reviewed"))
    victims_assisted = serializers.IntegerField(source="victims_total",
                                                label=_("Victims assisted"))
    approved_total_usd = serializers.SerializerMethodField(label=_("Total approved (USD)"))
    spent_total_usd = serializers.SerializerMethodField(label=_("Total spent (USD)"))
    by_group = _per_choice("ReportGroupsExport", VictimGroup, serializers.IntegerField,
                           _indicator_counts("group"))(source="*", label=_("Victims"))
    by_service = _per_choice("ReportServicesExport", Service, serializers.IntegerField,
                             _indicator_counts("service"))(source="*", label=_("Service"))
    approved = _per_choice("ReportApprovedExport", BudgetCategory, MoneyField, _approved)(
        source="*", label=_("Approved (USD)"))
    spent = _per_choice("ReportSpentExport", BudgetCategory, MoneyField, _spent)(
        source="*", label=_("Spent (USD)"))

    @extend_schema_field(MoneyField())
    def get_approved_total_usd(self, report) -> str:
        return _money(sum((line.approved_usd for line in report.expenditure.all()), 0))

    @extend_schema_field(MoneyField())
    def get_spent_total_usd(self, report) -> str:
        return _money(sum((line.spent_usd for line in report.expenditure.all()), 0))


class ReportSubmitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    number = serializers.IntegerField(min_value=1, default=1)
    achievements = serializers.CharField(max_length=20000)
    challenges = serializers.CharField(max_length=20000, allow_blank=True, default="")
    lessons = serializers.CharField(max_length=20000, allow_blank=True, default="")
    story = serializers.CharField(max_length=20000, allow_blank=True, default="")
    consent_confirmed = serializers.BooleanField(default=False)
    victims_assisted = serializers.IntegerField()
    expenditure = ExpenditureSerializer(many=True, default=list)
    by_group = _counts(VictimGroup)
    by_service = _counts(Service)


class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=8000, allow_blank=True, default="")


class SignSerializer(serializers.Serializer):
    signatory_name = serializers.CharField(max_length=200)
    signatory_title = serializers.CharField(max_length=200)


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class BankSerializer(serializers.Serializer):
    account_holder = serializers.CharField(max_length=200)
    account_number = serializers.CharField(max_length=64, write_only=True)
    account_masked = serializers.CharField(source="masked", read_only=True)
    bank_name = serializers.CharField(max_length=200)
    swift = serializers.CharField(max_length=11, allow_blank=True, default="")
    confirmed_at = serializers.DateTimeField(read_only=True, allow_null=True)


class CloseSerializer(serializers.Serializer):
    treatment = serializers.ChoiceField(choices=UnspentTreatment.choices, required=False,
                                        allow_blank=True, default="")
    reason = serializers.CharField(max_length=4000, allow_blank=True, default="")


class ClosureSerializer(serializers.Serializer):
    paid_usd = MoneyField()
    spent_usd = MoneyField()
    unspent_usd = MoneyField()
    treatment = serializers.ChoiceField(choices=UnspentTreatment.choices)
    reason = serializers.CharField()


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class GrantImplementationViewSet(PermissionsByAction, viewsets.GenericViewSet):
    """A grant's life after the board: agreement, bank details, payments, reports, closure."""

    serializer_class = DisbursementSerializer
    queryset = Grant.objects.none()
    lookup_value_regex = r"\d+"
    permissions = {"*": (ReadsGrants,), "sign": (IMPLEMENT,), "decline": (IMPLEMENT,),
                   "countersign": (MANAGE,), "bank_details_confirm": (MANAGE,),
                   "review": (MANAGE,), "close": (MANAGE,)}

    def get_serializer_class(self):
        # The file of ``reports`` is described by its own serializer (the viewset's default,
        # the payments', gave the reports' file the payments' columns).
        if self.action == "reports":
            return ReportExportSerializer if is_export(self.request) else ReportSerializer
        return super().get_serializer_class()

    def _grant(self):
        return get_grant_details_for(self.request.user, self.kwargs["pk"])

    @extend_schema(summary=_("Payments on a grant; record one (secretariat)"),
                   request=DisbursementSerializer,
                   responses={200: DisbursementSerializer(many=True),
                              201: DisbursementSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @idempotent
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # a plain list
    def disbursements(self, request, pk=None):
        if request.method == "POST":
            self.check_capability("grant.manage")
        grant = self._grant()
        if request.method == "GET":
            return Response(DisbursementSerializer(grant_disbursements(grant), many=True).data)
        data = _valid(DisbursementSerializer, request.data)
        tranche = get_object_or_404(Tranche, grant=grant, position=data["tranche"]["position"])
        payment = svc.disbursement_record(
            actor=request.user, grant=grant, tranche=tranche, paid_on=data["paid_on"],
            amount_usd=data["amount_usd"], reference=data["reference"])
        return Response(DisbursementSerializer(payment).data, status=status.HTTP_201_CREATED)

    def check_capability(self, name: str) -> None:
        if not capability(name)().has_permission(self.request, self):
            self.permission_denied(self.request)

    @extend_schema(summary=_("Reports on a grant; submit one (NGO)"),
                   request=ReportSubmitSerializer,
                   responses={200: ReportSerializer(many=True), 201: ReportSerializer,
                              404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # a plain list
    def reports(self, request, pk=None):
        if request.method == "POST":
            self.check_capability("grant.implement")
        grant = self._grant()
        if request.method == "GET":
            if is_export(request):
                rows = grant_reports(grant).select_related("grant__application__organisation")
                return Response(ReportExportSerializer(rows, many=True).data)
            return Response(ReportSerializer(grant_reports(grant), many=True).data)
        data = _valid(ReportSubmitSerializer, request.data)
        due = get_object_or_404(grant.reports_due, kind=data["kind"], number=data["number"])
        report = svc.report_submit(actor=request.user, grant=grant, report_due=due,
                                   data=report_input(data))
        fresh = get_report_for(request.user, grant.pk, report.pk)
        return Response(ReportSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("Accept a report or request changes (secretariat)"),
                   operation_id="grants_reports_review", request=ReviewSerializer,
                   responses={200: ReportSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"],
            url_path=r"reports/(?P<report_pk>\d+)/(?P<verdict>accept|request-changes)")
    def review(self, request, pk=None, report_pk=None, verdict=None):
        report = get_report_for(request.user, pk, report_pk)
        comment = _valid(ReviewSerializer, request.data)["comment"]
        if verdict == "accept":
            svc.report_accept(actor=request.user, report=report, comment=comment)
        else:
            svc.report_request_changes(actor=request.user, report=report, comment=comment)
        return Response(ReportSerializer(get_report_for(request.user, pk, report_pk)).data)

    @extend_schema(summary=_("Accept the agreement (NGO)"), request=SignSerializer,
                   responses={204: None, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="agreement/sign")
    def sign(self, request, pk=None):
        data = _valid(SignSerializer, request.data)
        svc.agreement_accept(actor=request.user, grant=self._grant(), **data)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary=_("Decline the agreement (NGO)"), request=DeclineSerializer,
                   responses={204: None, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="agreement/decline")
    def decline(self, request, pk=None):
        data = _valid(DeclineSerializer, request.data)
        svc.agreement_decline(actor=request.user, grant=self._grant(), reason=data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary=_("Countersign the agreement: the grant is active (secretariat)"),
                   request=None, responses={204: None, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="agreement/countersign")
    def countersign(self, request, pk=None):
        svc.agreement_countersign(actor=request.user, grant=self._grant())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary=_("Bank details, masked; enter or change them (NGO)"),
                   request=BankSerializer, responses={200: BankSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["get", "put"], url_path="bank-details")
    def bank_details(self, request, pk=None):
        if request.method == "PUT":
            self.check_capability("grant.implement")
        grant = self._grant()
        if request.method == "PUT":
            svc.bank_details_set(actor=request.user, grant=grant,
                                 **_valid(BankSerializer, request.data))
        bank = getattr(type(grant).objects.select_related("bank_details").get(pk=grant.pk),
                       "bank_details", None)
        if bank is None:
            return Response(status=status.HTTP_404_NOT_FOUND)
        return Response(BankSerializer(bank).data)

    @extend_schema(summary=_("Confirm the bank details (secretariat)"), request=None,
                   responses={204: None, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="bank-details/confirm")
    def bank_details_confirm(self, request, pk=None):
        svc.bank_details_confirm(actor=request.user, grant=self._grant())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary=_("Close the grant with its final figures (secretariat)"),
                   request=CloseSerializer,
                   responses={200: ClosureSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = _valid(CloseSerializer, request.data)
        closure = svc.grant_close(actor=request.user, grant=self._grant(), **data)
        return Response(ClosureSerializer(closure).data)


def report_input(data: dict) -> svc.ReportInput:
    return svc.ReportInput(
        achievements=data["achievements"], challenges=data["challenges"],
        lessons=data["lessons"], story=data["story"],
        consent_confirmed=data["consent_confirmed"], victims_total=data["victims_assisted"],
        expenditure=[dict(line) for line in data["expenditure"]],
        by_group=data.get("by_group") or {}, by_service=data.get("by_service") or {})
