"""Grants API: calls, their Q&A, organisations, applications and attachments.

Thin views: a serializer checks the shape, one service writes, one selector reads. Objects the
user may not see are 404 (the selectors' getters); domain errors become 400/403/409 in
``fundapp.core.api.exception_handler``.
"""

from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from fundapp.core.api import capability
from fundapp.core.upload_limits import max_upload_bytes, upload_limit
from grants.models import BudgetLine
from grants.selectors.applications import (
    application_list,
    get_application_for,
    get_attachment_for,
)
from grants.selectors.calls import (
    calls_visible_to,
    get_call_for,
    get_question_for,
    questions_for,
)
from grants.selectors.organisations import get_organisation_for, organisations_visible_to
from grants.services.applications import (
    application_create,
    application_submit,
    application_update,
    application_withdraw,
    attachment_add,
    attachment_remove,
)
from grants.services.calls import (
    call_close,
    call_create,
    call_publish,
    call_update,
    clarification_answer,
    clarification_ask,
)
from grants.services.organisations import organisation_update, organisation_verify

from . import serializers as s
from .filters import ApplicationFilter, ApplicationOrdering, CallFilter, OrganisationFilter

MANAGE_CALLS = capability("call.manage")
APPLY = capability("application.create")
NOT_FOUND = OpenApiResponse(description=_("Not found, or not visible to you."))
CONFLICT = OpenApiResponse(description=_("Not allowed in the object's current state."))


class PermissionsByAction:
    """``permissions`` maps an action name to its permission classes; ``"*"`` is the rest."""

    permissions: dict[str, tuple] = {"*": (IsAuthenticated,)}

    def get_permissions(self):
        classes = self.permissions.get(self.action, self.permissions["*"])
        return [cls() for cls in classes]


# Calls --------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("Calls for proposals"),
                       description=_("Every published call; drafts for the secretariat only.")),
    retrieve=extend_schema(summary=_("A call for proposals"), responses={200: s.CallSerializer,
                                                                         404: NOT_FOUND}),
)
class CallViewSet(PermissionsByAction, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  viewsets.GenericViewSet):
    serializer_class = s.CallSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = CallFilter
    ordering_fields = ["number", "opens_at", "closes_at"]
    lookup_value_regex = r"\d+"
    permissions = {"*": (AllowAny,), "create": (MANAGE_CALLS,),
                   "partial_update": (MANAGE_CALLS,), "publish": (MANAGE_CALLS,),
                   "close": (MANAGE_CALLS,)}

    def get_queryset(self):
        return calls_visible_to(self.request.user)

    def get_object(self):
        return get_call_for(self.request.user, self.kwargs["pk"])

    def _render(self, call, code=status.HTTP_200_OK) -> Response:
        fresh = get_call_for(self.request.user, call.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(summary=_("Create a draft call"), responses={201: s.CallSerializer})
    def create(self, request):
        serializer = s.CallSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        priorities = values.pop("priorities", None)
        call = call_create(actor=request.user, values=values, priorities=priorities)
        return self._render(call, status.HTTP_201_CREATED)

    @extend_schema(summary=_("Change a draft or open call"),
                   responses={200: s.CallSerializer, 404: NOT_FOUND, 409: CONFLICT})
    def partial_update(self, request, pk=None):
        call = self.get_object()
        serializer = s.CallSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        priorities = values.pop("priorities", None)
        call_update(actor=request.user, call=call, values=values, priorities=priorities)
        return self._render(call)

    @extend_schema(summary=_("Publish a draft call"), request=None,
                   responses={200: s.CallSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._render(call_publish(actor=request.user, call=self.get_object()))

    @extend_schema(summary=_("Close an open call"), request=None,
                   responses={200: s.CallSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._render(call_close(actor=request.user, call=self.get_object()))


@extend_schema(parameters=[OpenApiParameter("call_pk", int, OpenApiParameter.PATH)])
@extend_schema_view(
    list=extend_schema(
        summary=_("Clarification questions on a call"),
        description=_("Published answers for everyone; the secretariat also sees unanswered "
                      "questions, and an applicant its own.")),
    create=extend_schema(summary=_("Ask a question about an open call (NGO)"),
                         responses={201: s.QuestionSerializer, 409: CONFLICT}),
)
class CallQuestionViewSet(PermissionsByAction, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.QuestionSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"
    permissions = {"*": (AllowAny,), "create": (capability("clarification.ask"),),
                   "answer": (capability("clarification.answer"),)}

    def call(self):
        return get_call_for(self.request.user, self.kwargs["call_pk"])

    def get_queryset(self):
        return questions_for(self.call(), self.request.user)

    def create(self, request, call_pk=None):
        call = self.call()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question = clarification_ask(actor=request.user, call=call,
                                     question=serializer.validated_data["question"])
        return Response(self.get_serializer(question).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("Answer a question (secretariat)"), request=s.AnswerSerializer,
                   responses={200: s.QuestionSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def answer(self, request, call_pk=None, pk=None):
        call = self.call()
        question = get_question_for(request.user, pk)
        if question.call_id != call.pk:
            raise Http404
        serializer = s.AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question = clarification_answer(actor=request.user, question=question,
                                        **serializer.validated_data)
        return Response(self.get_serializer(question).data)


# Organisations ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("Organisations"),
                       description=_("An NGO user sees its own; the secretariat sees all.")),
    retrieve=extend_schema(summary=_("An organisation"),
                           responses={200: s.OrganisationSerializer, 404: NOT_FOUND}),
)
class OrganisationViewSet(PermissionsByAction, mixins.ListModelMixin,
                          mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.OrganisationSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = OrganisationFilter
    ordering_fields = ["name", "country", "status", "created_at"]
    lookup_value_regex = r"\d+"
    permissions = {"*": (IsAuthenticated,), "verify": (capability("organisation.verify"),)}

    def get_queryset(self):
        return organisations_visible_to(self.request.user)

    def get_object(self):
        return get_organisation_for(self.request.user, self.kwargs["pk"])

    def _render(self, organisation) -> Response:
        fresh = get_organisation_for(self.request.user, organisation.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(summary=_("Update an organisation's profile (its members, the secretariat)"),
                   responses={200: s.OrganisationSerializer, 404: NOT_FOUND})
    def partial_update(self, request, pk=None):
        organisation = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        organisation_update(actor=request.user, organisation=organisation,
                            values=dict(serializer.validated_data))
        return self._render(organisation)

    @extend_schema(summary=_("Verify or reject an organisation (secretariat)"),
                   request=s.VerifySerializer,
                   responses={200: s.OrganisationSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        organisation = self.get_object()
        serializer = s.VerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation_verify(actor=request.user, organisation=organisation,
                            approve=data["approve"], checklist=data.get("checklist"),
                            reason=data["reasons"])
        return self._render(organisation)


# Applications -------------------------------------------------------------------------------


BUDGET_LINES = Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("position", "id"))


@extend_schema_view(
    list=extend_schema(
        summary=_("Applications"),
        description=_("An NGO user sees its organisation's; the secretariat all; the board "
                      "those recommended or decided.")),
    retrieve=extend_schema(summary=_("An application"),
                           responses={200: s.ApplicationDetailSerializer, 404: NOT_FOUND}),
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

    def get_serializer_class(self):
        return s.ApplicationSerializer if self.action == "list" else s.ApplicationDetailSerializer

    def get_queryset(self):
        # The selector's Sum() annotation makes Django drop Meta.ordering: order explicitly.
        return (application_list(self.request.user).prefetch_related(BUDGET_LINES)
                .order_by("-created_at", "-id"))

    def get_object(self):
        return get_application_for(self.request.user, self.kwargs["pk"])

    def _render(self, application, code=status.HTTP_200_OK) -> Response:
        fresh = get_application_for(self.request.user, application.pk)
        return Response(s.ApplicationDetailSerializer(
            fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(summary=_("Start a draft application (NGO)"),
                   request=s.ApplicationCreateSerializer,
                   responses={201: s.ApplicationDetailSerializer, 409: CONFLICT})
    def create(self, request):
        serializer = s.ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            call = get_call_for(request.user, serializer.validated_data["call"])
        except Http404:
            raise ValidationError({"call": [_("There is no such call.")]}) from None
        application = application_create(actor=request.user, call=call,
                                          values=serializer.service_values({}))
        return self._render(application, status.HTTP_201_CREATED)

    @extend_schema(summary=_("Save part or all of a draft (NGO)"),
                   request=s.ApplicationWriteSerializer,
                   responses={200: s.ApplicationDetailSerializer, 404: NOT_FOUND,
                              409: CONFLICT})
    def partial_update(self, request, pk=None):
        application = self.get_object()
        serializer = s.ApplicationWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        saved = {c.priority.code: c.justification for c in application.priority_claims.all()}
        application_update(actor=request.user, application=application,
                           values=serializer.service_values(saved))
        return self._render(application)

    @extend_schema(
        summary=_("Submit a complete draft before the deadline (NGO)"), request=None,
        description=_("400 lists every missing piece by field; 409 after the deadline."),
        responses={200: s.ApplicationDetailSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        application = application_submit(actor=request.user, application=self.get_object())
        return self._render(application)

    @extend_schema(summary=_("Withdraw an application before the decision (NGO)"),
                   request=s.WithdrawSerializer,
                   responses={200: s.ApplicationDetailSerializer, 404: NOT_FOUND,
                              409: CONFLICT})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self.get_object()
        serializer = s.WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application_withdraw(actor=request.user, application=application,
                             reason=serializer.validated_data["reason"])
        return self._render(application)


@extend_schema(parameters=[OpenApiParameter("application_pk", int, OpenApiParameter.PATH)])
@extend_schema_view(
    list=extend_schema(summary=_("An application's attachments")),
    retrieve=extend_schema(summary=_("An attachment's details"),
                           responses={200: s.AttachmentSerializer, 404: NOT_FOUND}),
    create=extend_schema(summary=_("Attach a document to a draft (NGO)"),
                         request={"multipart/form-data": s.AttachmentUploadSerializer},
                         responses={201: s.AttachmentSerializer, 404: NOT_FOUND,
                                    409: CONFLICT}),
    destroy=extend_schema(summary=_("Remove a document from a draft (NGO)"),
                          responses={204: None, 404: NOT_FOUND, 409: CONFLICT}),
)
class AttachmentViewSet(PermissionsByAction, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.AttachmentSerializer
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
        serializer = s.AttachmentUploadSerializer(data=request.data)
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
