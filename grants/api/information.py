"""Grants API: requests for information on an application (issue 14).

``POST /applications/{id}/request-information/`` (secretariat) moves a submitted application
to ``information_requested``; the organisation answers by changing it and calling
``POST /applications/{id}/submit/``. ``GET /applications/{id}/information-requests/`` lists
the requests with the changes each answer made: for the secretariat with the snapshot and
the state the application returns to, for the organisation's members without them. Anyone
else, reviewers and Board members included, gets a 404.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from fundapp.accounts.display import person_name
from fundapp.accounts.roles import user_can
from grants.models import Application
from grants.selectors.applications import get_application_for
from grants.selectors.information import (
    change_rows,
    get_information_application_for,
    information_requests_of,
)
from grants.services.information import information_request

from .applications import ApplicationDetailSerializer
from .common import CONFLICT, NOT_FOUND, PermissionsByAction


class InformationRequestWriteSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=8000,
                                    help_text=_("What the organisation must provide."))
    due_on = serializers.DateField(help_text=_("The answer's due date, in the future."))


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text=_("title, summary, countries, requested_usd, "
                                              "duration_months, start_date, services, "
                                              "beneficiaries, priorities, "
                                              "justification:<code>, budget_lines or "
                                              "attachments."))
    label = serializers.CharField(help_text=_("The field's name in the reader's language."))
    before = serializers.CharField(help_text=_("The value when the request was made, worded."))
    after = serializers.CharField(help_text=_("The value resubmitted, worded."))


class InformationRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    message = serializers.CharField()
    due_on = serializers.DateField()
    overdue = serializers.BooleanField(source="is_overdue")
    open = serializers.BooleanField(source="is_open")
    requested_by = serializers.SerializerMethodField()
    requested_at = serializers.DateTimeField()
    answered_by = serializers.SerializerMethodField()
    answered_at = serializers.DateTimeField(allow_null=True)
    changes = serializers.SerializerMethodField(
        help_text=_("Once answered: each change against the snapshot, worded (added and "
                    "removed budget lines and documents one per line)."))
    raw_changes = serializers.JSONField(
        source="changes", help_text=_("The same changes as stored: field, before and after "
                                      "values, or added and removed items."))
    returns_to = serializers.CharField(
        allow_null=True, help_text=_("Secretariat only: the state resubmitting returns to."))
    snapshot = serializers.JSONField(
        allow_null=True, help_text=_("Secretariat only: the application when it was asked."))

    def get_requested_by(self, request) -> str:
        return person_name(request.requested_by) if request.requested_by else ""

    def get_answered_by(self, request) -> str | None:
        return person_name(request.answered_by) if request.answered_by else None

    @extend_schema_field(ChangeSerializer(many=True))
    def get_changes(self, request) -> list[dict]:
        priorities = self.context.get("priorities", {})
        return [{k: row[k] for k in ("field", "label", "before", "after")}
                for row in change_rows(request, priorities)]

    def to_representation(self, request):
        data = super().to_representation(request)
        if not self.context.get("staff"):
            data["returns_to"] = data["snapshot"] = None
        return data


class ApplicationInformationViewSet(PermissionsByAction, viewsets.GenericViewSet):
    queryset = Application.objects.none()  # the path's id is an application's (schema)
    serializer_class = InformationRequestSerializer
    lookup_value_regex = r"\d+"
    filter_backends: list = []
    permissions = {"*": (IsAuthenticated,)}

    @extend_schema(
        summary=_("Ask the organisation for information (secretariat)"),
        request=InformationRequestWriteSerializer,
        description=_("From submitted, screening, eligible or under review (not after "
                      "ranking): the application moves to information_requested and its "
                      "organisation's editors and admins may change it again; resubmitting "
                      "returns it where it was. 400 for a missing message or a due date not "
                      "in the future; 403 for users who may see the application but not "
                      "ask; 409 in another state or with a request already open."),
        responses={200: ApplicationDetailSerializer, 400: OpenApiResponse(
            description=_("Field errors.")), 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="request-information")
    def request_information(self, request, pk=None):
        app = get_application_for(request.user, pk)
        serializer = InformationRequestWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        information_request(actor=request.user, application=app, **serializer.validated_data)
        fresh = get_application_for(request.user, app.pk)
        return self._detail(fresh)

    def _detail(self, app):
        return Response(ApplicationDetailSerializer(
            app, context=self.get_serializer_context()).data)

    @extend_schema(
        summary=_("An application's requests for information"),
        description=_("Newest first, with the changes each answer made. The secretariat "
                      "and the organisation's members only; the organisation sees neither "
                      "the snapshot nor the state the application returns to."),
        responses={200: InformationRequestSerializer(many=True), 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path="information-requests")
    def information_requests(self, request, pk=None):
        app = get_information_application_for(request.user, pk)
        page = self.paginate_queryset(information_requests_of(app))
        context = self.get_serializer_context() | {
            "staff": user_can(request.user, "application.screen"),
            "priorities": {p.code: p.name for p in app.call.priorities.all()}}
        serializer = InformationRequestSerializer(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)
