"""Suspending, resuming and terminating a grant: ``POST /api/v1/grants/{id}/suspend/``,
``/resume/``, ``/terminate/`` (the secretariat; 409 from the wrong state). Each answers the
grant as ``GET /api/v1/grants/{id}/`` shows it (with ``suspended_at``, ``suspension_reason``,
``terminated_at``, ``termination_reason`` and ``unspent_at_termination_usd``)."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from fundapp.core.api import capability
from grants.models import Grant
from grants.selectors.awards import get_grant_details_for, grants_visible_to
from grants.selectors.implementation import with_progress
from grants.services import suspensions as svc

from .awards import GrantSerializer
from .common import CONFLICT, NOT_FOUND, PermissionsByAction

MANAGE = capability("grant.manage")


class SuspensionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


def _reason(serializer_class, data) -> str:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data["reason"]


class GrantSuspensionViewSet(PermissionsByAction, viewsets.GenericViewSet):
    """The secretariat suspends, resumes or terminates a signed grant."""

    serializer_class = GrantSerializer
    queryset = Grant.objects.none()
    lookup_value_regex = r"\d+"
    permissions = {"*": (MANAGE,)}

    def _change(self, request, pk, service) -> Response:
        """One state change: the grant the user may see (404), the reason (400), the
        service (409 from the wrong state), then the grant as ``GET`` shows it."""
        grant = get_grant_details_for(request.user, pk)
        service(actor=request.user, grant=grant,
                reason=_reason(SuspensionReasonSerializer, request.data))
        fresh = with_progress(grants_visible_to(request.user)).filter(pk=grant.pk).first()
        if fresh is None:
            raise Http404
        return Response(GrantSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(summary=_("Suspend an active grant: no payment until resumed "
                             "(secretariat)"),
                   request=SuspensionReasonSerializer,
                   responses={200: GrantSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._change(request, pk, svc.grant_suspend)

    @extend_schema(summary=_("Resume a suspended grant (secretariat)"),
                   request=SuspensionReasonSerializer,
                   responses={200: GrantSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._change(request, pk, svc.grant_resume)

    @extend_schema(summary=_("Terminate an active or suspended grant for good, storing its "
                             "unspent balance (secretariat)"),
                   request=SuspensionReasonSerializer,
                   responses={200: GrantSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        return self._change(request, pk, svc.grant_terminate)
