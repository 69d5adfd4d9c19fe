"""Screening API (secretariat): the checklist, the decision, sanctions matches, priorities.

Routes hang under ``/api/v1/applications/{id}/``: ``screening/``, ``screening/run/``,
``screen/``, ``sanctions-matches/{match_pk}/clear/`` and ``confirm-priorities/``; the
sanctions list itself under ``/api/v1/sanctions-lists/``.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from fundapp.core.api import capability
from fundapp.core.upload_limits import upload_limit
from grants.models import Application, CheckCode, MatchSubject, SanctionsEntryKind
from grants.selectors.screening import get_screening_application_for, sanctions_lists
from grants.services.sanctions import (
    MAX_LIST_BYTES,
    sanctions_list_import,
    sanctions_match_clear,
)
from grants.services.screening import (
    application_priorities_confirm,
    application_screen,
    check_message,
    screening_run,
)

from .common import CONFLICT, NOT_FOUND, PermissionsByAction

SCREEN = capability("application.screen")


class CheckSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=CheckCode.choices)
    label = serializers.SerializerMethodField()
    ok = serializers.BooleanField()
    message = serializers.SerializerMethodField()

    def get_label(self, check) -> str:
        return str(CheckCode(check["code"]).label)

    def get_message(self, check) -> str:
        return str(check_message(check))


class SanctionsMatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.ChoiceField(choices=MatchSubject.choices,
                                      help_text=_("What of ours matched."))
    subject_value = serializers.CharField()
    entry_kind = serializers.ChoiceField(choices=SanctionsEntryKind.choices)
    entry_reference = serializers.CharField(help_text=_("The list's reference, e.g. QDe.001."))
    entry_name = serializers.CharField()
    matched_name = serializers.CharField(help_text=_("The listed name or alias that matched."))
    score = serializers.DecimalField(max_digits=5, decimal_places=2,
                                     help_text=_("RapidFuzz token set ratio, 0–100."))
    cleared = serializers.BooleanField(source="is_cleared")
    cleared_at = serializers.DateTimeField(allow_null=True)
    cleared_by = serializers.CharField(source="cleared_by.username", allow_null=True,
                                       default=None)
    clearance_reason = serializers.CharField()


class PriorityClaimSerializer(serializers.Serializer):
    code = serializers.CharField(source="priority.code")
    name = serializers.CharField(source="priority.name")
    weight = serializers.DecimalField(source="priority.weight", max_digits=5, decimal_places=2)
    justification = serializers.CharField()
    confirmed = serializers.BooleanField(allow_null=True)


class ScreeningSerializer(serializers.Serializer):
    """An application's screening: automatic checks, possible matches, decision, priorities."""

    application = serializers.IntegerField(source="pk")
    reference = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    checks = serializers.SerializerMethodField()
    checked_at = serializers.SerializerMethodField()
    sanctions_list = serializers.SerializerMethodField()
    sanctions_matches = SanctionsMatchSerializer(many=True)
    decision = serializers.SerializerMethodField()
    reasons = serializers.SerializerMethodField()
    overridden = serializers.SerializerMethodField()
    decided_at = serializers.SerializerMethodField()
    priorities = PriorityClaimSerializer(many=True, source="priority_claims")

    def _screening(self, app):
        return getattr(app, "screening", None) if hasattr(app, "screening") else None

    @extend_schema_field(CheckSerializer(many=True))
    def get_checks(self, app) -> list[dict]:
        screening = self._screening(app)
        return CheckSerializer(screening.checks if screening else [], many=True).data

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_checked_at(self, app) -> str | None:
        screening = self._screening(app)
        return serializers.DateTimeField().to_representation(screening.checked_at) if (
            screening and screening.checked_at) else None

    def get_sanctions_list(self, app) -> str | None:
        screening = self._screening(app)
        return screening.sanctions_list.source_name if (
            screening and screening.sanctions_list) else None

    def get_decision(self, app) -> str:
        screening = self._screening(app)
        return screening.decision if screening else ""

    def get_reasons(self, app) -> str:
        screening = self._screening(app)
        return screening.reasons if screening else ""

    def get_overridden(self, app) -> list[str]:
        screening = self._screening(app)
        return screening.overridden if screening else []

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_decided_at(self, app) -> str | None:
        screening = self._screening(app)
        return serializers.DateTimeField().to_representation(screening.decided_at) if (
            screening and screening.decided_at) else None


class ScreenSerializer(serializers.Serializer):
    eligible = serializers.BooleanField(help_text=_("true: eligible; false: ineligible."))
    reasons = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default="",
        help_text=_("Required when ineligible (sent to the organisation) and when overriding "
                    "a failed automatic check."))


class ClearMatchSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000,
                                   help_text=_("Why this is not the listed person or entity."))


class ConfirmPrioritiesSerializer(serializers.Serializer):
    confirmed = serializers.ListField(
        child=serializers.SlugField(max_length=40), max_length=50, allow_empty=True,
        help_text=_("Codes of the claimed priorities the application truly addresses; the "
                    "other claims are marked not confirmed."))


class ApplicationScreeningViewSet(PermissionsByAction, viewsets.GenericViewSet):
    queryset = Application.objects.none()  # the path's id is an application's (schema)
    serializer_class = ScreeningSerializer
    lookup_value_regex = r"\d+"
    permissions = {"*": (SCREEN,), "confirm_priorities": (
        capability("application.confirm_priorities"),)}

    def get_object(self):
        return get_screening_application_for(self.request.user, self.kwargs["pk"])

    def _render(self, app) -> Response:
        fresh = get_screening_application_for(self.request.user, app.pk)
        return Response(ScreeningSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(summary=_("An application's screening checklist (secretariat)"),
                   responses={200: ScreeningSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["get"])
    def screening(self, request, pk=None):
        return Response(ScreeningSerializer(self.get_object(),
                                            context=self.get_serializer_context()).data)

    @extend_schema(summary=_("Run the automatic checks (secretariat)"), request=None,
                   description=_("A submitted application moves to screening."),
                   responses={200: ScreeningSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="screening/run")
    def run_checks(self, request, pk=None):
        app = self.get_object()
        screening_run(actor=request.user, application=app)
        return self._render(app)

    @extend_schema(
        summary=_("Declare an application eligible or ineligible (secretariat)"),
        request=ScreenSerializer,
        description=_("400 when reasons are missing or a possible sanctions match is not "
                      "cleared; 409 when the application is not being screened."),
        responses={200: ScreeningSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def screen(self, request, pk=None):
        app = self.get_object()
        serializer = ScreenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application_screen(actor=request.user, application=app, **serializer.validated_data)
        return self._render(app)

    @extend_schema(summary=_("Clear a possible sanctions match, with a reason (secretariat)"),
                   request=ClearMatchSerializer,
                   parameters=[OpenApiParameter("match_pk", int, OpenApiParameter.PATH)],
                   responses={200: ScreeningSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"],
            url_path=r"sanctions-matches/(?P<match_pk>\d+)/clear")
    def clear_sanctions_match(self, request, pk=None, match_pk=None):
        app = self.get_object()
        match = next((m for m in app.sanctions_matches.all() if str(m.pk) == match_pk), None)
        if match is None:
            raise Http404
        serializer = ClearMatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sanctions_match_clear(actor=request.user, match=match,
                              reason=serializer.validated_data["reason"])
        return self._render(app)

    @extend_schema(summary=_("Confirm which claimed priorities the application addresses "
                             "(secretariat)"),
                   request=ConfirmPrioritiesSerializer,
                   responses={200: ScreeningSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="confirm-priorities")
    def confirm_priorities(self, request, pk=None):
        app = self.get_object()
        serializer = ConfirmPrioritiesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application_priorities_confirm(actor=request.user, application=app,
                                       confirmed=serializer.validated_data["confirmed"])
        return self._render(app)


# Sanctions lists ----------------------------------------------------------------------------


class SanctionsListSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    source_name = serializers.CharField(read_only=True)
    generated_on = serializers.DateTimeField(read_only=True, allow_null=True)
    individuals = serializers.IntegerField(read_only=True)
    entities = serializers.IntegerField(read_only=True)
    sha256 = serializers.CharField(read_only=True)
    imported_at = serializers.DateTimeField(read_only=True)
    imported_by = serializers.CharField(source="imported_by.username", read_only=True,
                                        allow_null=True, default=None)


class SanctionsUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("The Consolidated List XML, at most 50 MB."))


class SanctionsListViewSet(PermissionsByAction, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Imports of the UN Security Council Consolidated List; the latest is in force."""

    serializer_class = SanctionsListSerializer
    filter_backends: list = []
    parser_classes = [MultiPartParser, FormParser]
    permissions = {"*": (capability("sanctions.manage"),)}

    def get_queryset(self):
        return sanctions_lists()

    @upload_limit(MAX_LIST_BYTES)
    @extend_schema(summary=_("Import a new Consolidated List (secretariat)"),
                   request={"multipart/form-data": SanctionsUploadSerializer},
                   responses={201: SanctionsListSerializer,
                              400: OpenApiResponse(description=_("Not a readable list."))})
    def create(self, request):
        serializer = SanctionsUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        imported = sanctions_list_import(actor=request.user, data=upload.read(),
                                         source_name=str(upload.name))
        return Response(SanctionsListSerializer(imported).data, status=status.HTTP_201_CREATED)
