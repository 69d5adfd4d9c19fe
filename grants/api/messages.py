"""Grants API: the message threads of applications and grants.

``/api/v1/applications/{id}/messages/`` and ``/api/v1/grants/{id}/messages/``: the
secretariat and the organisation's members read the thread (``read`` per reader) and post
to it (JSON ``{"body"}``, or multipart with ``files``); everyone else gets a 404. Reading
through the API does not move the reader's marker: ``POST …/messages/read/`` does (as the
web page does when it shows the thread).
"""

from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse

from fundapp.accounts.display import person_name
from fundapp.core.upload_limits import upload_limit
from grants.selectors.messages import (
    get_message_attachment_for,
    get_thread_application_for,
    get_thread_grant_for,
    thread_messages,
)
from grants.services.messages import (
    MAX_BODY,
    message_post,
    message_upload_bytes,
    thread_mark_read,
)

from .common import CONFLICT, NOT_FOUND, PermissionsByAction

# Serializers --------------------------------------------------------------------------------


class MessageFileSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    size = serializers.IntegerField(read_only=True)
    content_type = serializers.CharField(read_only=True)
    download = serializers.SerializerMethodField(help_text=_("URL that streams the file."))

    def get_download(self, attachment) -> str:
        view = self.context["view"]
        return reverse(f"{view.basename}-file",
                       kwargs={view.thread_kwarg: view.kwargs[view.thread_kwarg],
                               "file_pk": attachment.pk},
                       request=self.context.get("request"))


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    author = serializers.IntegerField(source="author_id", read_only=True, allow_null=True,
                                      help_text=_("The author's user id."))
    author_name = serializers.SerializerMethodField()
    from_secretariat = serializers.BooleanField(read_only=True)
    body = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    read = serializers.BooleanField(
        read_only=True, help_text=_("Whether you have read it (your own messages are read)."))
    attachments = MessageFileSerializer(many=True, read_only=True)

    def get_author_name(self, message) -> str:
        return person_name(message.author)


class MessagePostSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=MAX_BODY)
    files = serializers.ListField(
        child=serializers.FileField(max_length=255), required=False, default=list,
        help_text=_("Optional, multipart only: up to 5 files (PDF, DOCX, XLSX, ODT, PNG or "
                    "JPEG, judged by content; at most 10 MB each)."))


# Views --------------------------------------------------------------------------------------


class _ThreadViewSet(PermissionsByAction, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = MessageSerializer
    filter_backends: list = []
    permissions = {"*": (IsAuthenticated,)}
    thread_kwarg = ""  # the URL's id of the thread: "application_pk" or "grant_pk"
    thread_name = ""  # the service's keyword: "application" or "grant"

    def _owner(self):
        raise NotImplementedError

    def thread(self) -> dict:
        cached = getattr(self, "_thread", None)
        if cached is None:
            cached = self._thread = {self.thread_name: self._owner()}
        return cached

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            from grants.models import Message

            return Message.objects.none()
        return thread_messages(self.request.user, **self.thread())

    def perform_content_negotiation(self, request, force=False):
        # A download answers whatever the client accepts; its errors still come back as JSON.
        return super().perform_content_negotiation(request, force=force or self.action == "file")

    @upload_limit(message_upload_bytes)
    def create(self, request, **kwargs):
        serializer = MessagePostSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = message_post(actor=request.user, **self.thread(),
                               body=serializer.validated_data["body"],
                               files=serializer.validated_data["files"])
        fresh = self.get_queryset().get(pk=message.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("Mark the thread read up to its last message"), request=None,
                   responses={204: None, 404: NOT_FOUND})
    @action(detail=False, methods=["post"])
    def read(self, request, **kwargs):
        thread_mark_read(user=request.user, **self.thread())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary=_("Download a message's attached file"),
                   parameters=[OpenApiParameter("file_pk", int, OpenApiParameter.PATH)],
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY,
                              404: NOT_FOUND})
    @action(detail=False, methods=["get"], url_path=r"files/(?P<file_pk>\d+)")
    def file(self, request, file_pk=None, **kwargs):
        attachment = get_message_attachment_for(request.user, **self.thread(), pk=file_pk)
        try:
            stream = attachment.file.open("rb")
        except OSError:
            raise NotFound(_("The file is no longer available.")) from None
        response = FileResponse(stream, as_attachment=True, filename=attachment.original_name,
                                content_type=attachment.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


def _documented(owner: str):
    return extend_schema_view(
        list=extend_schema(
            summary=_("The %(owner)s's message thread") % {"owner": owner},
            description=_("Secretariat and the organisation's members only; oldest first.")),
        create=extend_schema(
            summary=_("Post a message on the %(owner)s's thread") % {"owner": owner},
            description=_("Notifies the other side. 409 on a draft application."),
            request={"application/json": MessagePostSerializer,
                     "multipart/form-data": MessagePostSerializer},
            responses={201: MessageSerializer, 404: NOT_FOUND, 409: CONFLICT}),
    )


@extend_schema(parameters=[OpenApiParameter("application_pk", int, OpenApiParameter.PATH)])
@_documented("application")
class ApplicationMessageViewSet(_ThreadViewSet):
    thread_kwarg, thread_name = "application_pk", "application"

    def _owner(self):
        return get_thread_application_for(self.request.user, self.kwargs["application_pk"])


@extend_schema(parameters=[OpenApiParameter("grant_pk", int, OpenApiParameter.PATH)])
@_documented("grant")
class GrantMessageViewSet(_ThreadViewSet):
    thread_kwarg, thread_name = "grant_pk", "grant"

    def _owner(self):
        return get_thread_grant_for(self.request.user, self.kwargs["grant_pk"])
