"""Refunds of unspent funds: ``GET/POST /api/v1/grants/{id}/refunds/``.

Those who see the grant's details read (the grantee's members, the secretariat, the Board;
other NGOs and donors 404, reviewers 403); the secretariat records one, once per
``Idempotency-Key``.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from fundapp.core.api import capability
from fundapp.core.idempotency import idempotent
from grants.models import Grant
from grants.selectors.refunds import get_refunds_grant_for, grant_refunds
from grants.services.refunds import refund_record

from .awards import ReadsGrants
from .common import CONFLICT, NOT_FOUND, MoneyField, PermissionsByAction


class RefundSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    amount_usd = MoneyField()
    received_on = serializers.DateField()
    reference = serializers.CharField(max_length=64, help_text=_("The bank reference."))
    note = serializers.CharField(max_length=4000, allow_blank=True, default="")
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True,
                                        allow_null=True, default=None)
    recorded_at = serializers.DateTimeField(read_only=True)


class GrantRefundViewSet(PermissionsByAction, viewsets.GenericViewSet):
    """Unspent funds an organisation returned to the fund."""

    serializer_class = RefundSerializer
    queryset = Grant.objects.none()
    lookup_value_regex = r"\d+"
    permissions = {"*": (ReadsGrants,)}

    @extend_schema(summary=_("Refunds on a grant; record one (secretariat)"),
                   request=RefundSerializer,
                   responses={200: RefundSerializer(many=True), 201: RefundSerializer,
                              404: NOT_FOUND, 409: CONFLICT})
    @idempotent
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # a plain list
    def refunds(self, request, pk=None):
        if request.method == "POST" and not capability("grant.manage")().has_permission(
                request, self):
            self.permission_denied(request)
        grant = get_refunds_grant_for(request.user, pk)
        if request.method == "GET":
            return Response(RefundSerializer(grant_refunds(grant), many=True).data)
        serializer = RefundSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        refund = refund_record(actor=request.user, grant=grant, **serializer.validated_data)
        return Response(RefundSerializer(refund).data, status=status.HTTP_201_CREATED)
