"""Grants API: deadline extensions (secretariat only).

``POST /applications/{id}/extend-deadline/`` extends one application's deadline;
``/calls/{id}/extensions/`` lists a call's extensions and, posted with an organisation,
extends that organisation's deadline on the call; ``…/extensions/{id}/revoke/`` ends one.
Like the calls' other write endpoints, a non-secretariat user is refused (401/403) before
any object is looked up; an unknown object is a 404.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from fundapp.accounts.display import person_name
from fundapp.core.api import capability
from grants.models import Application, DeadlineExtension, Organisation
from grants.selectors.applications import get_application_for
from grants.selectors.calls import get_call_for
from grants.selectors.extensions import call_extensions, get_extension_for
from grants.services.extensions import deadline_extend, deadline_extension_revoke

from .common import CONFLICT, NOT_FOUND, PermissionsByAction

EXTEND = capability("call.manage")


# Serializers --------------------------------------------------------------------------------


class ExtensionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    call = serializers.IntegerField(source="call_id", read_only=True)
    application = serializers.IntegerField(source="application_id", read_only=True,
                                           allow_null=True)
    organisation = serializers.SerializerMethodField(
        help_text=_("The organisation extended, or the application's organisation."))
    whole_organisation = serializers.SerializerMethodField(
        help_text=_("True when every application of the organisation on the call is "
                    "covered."))
    until = serializers.DateTimeField(read_only=True)
    reason = serializers.CharField(read_only=True)
    granted_by = serializers.SerializerMethodField()
    granted_at = serializers.DateTimeField(read_only=True)
    revoked_at = serializers.DateTimeField(read_only=True, allow_null=True)
    active = serializers.SerializerMethodField()

    def get_organisation(self, extension) -> int:
        if extension.organisation_id:
            return extension.organisation_id
        return extension.application.organisation_id

    def get_whole_organisation(self, extension) -> bool:
        return extension.application_id is None

    def get_granted_by(self, extension) -> str:
        return person_name(extension.granted_by) if extension.granted_by else ""

    def get_active(self, extension) -> bool:
        return extension.revoked_at is None


class ExtendDeadlineSerializer(serializers.Serializer):
    until = serializers.DateTimeField(
        help_text=_("After the call's closing time and in the future."))
    reason = serializers.CharField(max_length=4000)


class OrganisationExtensionSerializer(ExtendDeadlineSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())


# Views --------------------------------------------------------------------------------------


class ApplicationExtensionViewSet(PermissionsByAction, viewsets.GenericViewSet):
    queryset = Application.objects.none()  # the path's id is an application's (schema)
    serializer_class = ExtensionSerializer
    lookup_value_regex = r"\d+"
    permissions = {"*": (EXTEND,)}

    @extend_schema(
        summary=_("Extend one application's deadline (secretariat)"),
        request=ExtendDeadlineSerializer,
        description=_("The application may still be submitted until `until` though its "
                      "call has closed; a later extension replaces this one. 400 when "
                      "`until` is not after the call's closing time or not in the future, "
                      "or the reason is missing; 409 when the application is already "
                      "submitted or the call is a draft or decided."),
        responses={200: ExtensionSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="extend-deadline")
    def extend_deadline(self, request, pk=None):
        app = get_application_for(request.user, pk)
        serializer = ExtendDeadlineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        extension = deadline_extend(actor=request.user, call=app.call, application=app,
                                    **serializer.validated_data)
        return Response(ExtensionSerializer(extension).data)


@extend_schema(parameters=[OpenApiParameter("call_pk", int, OpenApiParameter.PATH)])
@extend_schema_view(
    list=extend_schema(
        summary=_("A call's deadline extensions (secretariat)"),
        description=_("Active extensions, newest first; `?revoked=true` adds the revoked "
                      "and replaced ones."),
        parameters=[OpenApiParameter("revoked", bool, description=_(
            "Include revoked and replaced extensions."))],
        responses={200: ExtensionSerializer(many=True), 404: NOT_FOUND}),
    create=extend_schema(
        summary=_("Extend one organisation's deadline on a call (secretariat)"),
        request=OrganisationExtensionSerializer,
        description=_("Every application of the organisation to the call, drafts included, "
                      "may be submitted until `until`, and it may start one; a later "
                      "extension replaces this one."),
        responses={201: ExtensionSerializer, 404: NOT_FOUND, 409: CONFLICT}),
)
class CallExtensionViewSet(PermissionsByAction, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ExtensionSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"
    permissions = {"*": (EXTEND,)}

    def call(self):
        return get_call_for(self.request.user, self.kwargs["call_pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DeadlineExtension.objects.none()
        revoked = self.request.query_params.get("revoked", "").lower() in ("1", "true", "yes")
        return call_extensions(self.call(), include_revoked=revoked)

    def create(self, request, call_pk=None):
        call = self.call()
        serializer = OrganisationExtensionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        extension = deadline_extend(actor=request.user, call=call, **serializer.validated_data)
        return Response(ExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("Revoke a deadline extension (secretariat)"), request=None,
                   responses={200: ExtensionSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def revoke(self, request, call_pk=None, pk=None):
        call = self.call()
        extension = get_extension_for(request.user, pk)
        if extension.call_id != call.pk:
            raise Http404
        return Response(ExtensionSerializer(
            deadline_extension_revoke(actor=request.user, extension=extension)).data)
