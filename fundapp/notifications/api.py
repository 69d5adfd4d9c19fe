"""API: each person's own notifications. Anybody else's are 404."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, services
from .models import Notification
from .rendering import render_notification


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True)
    subject = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    read = serializers.BooleanField(read_only=True)
    read_at = serializers.DateTimeField(read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()

    def _rendered(self, n):
        cache = self.context.setdefault("_rendered", {})
        if n.pk not in cache:
            cache[n.pk] = render_notification(n, n.recipient.language or None)
        return cache[n.pk]

    def get_subject(self, n) -> str:
        return self._rendered(n).subject

    def get_message(self, n) -> str:
        return self._rendered(n).text

    def get_url(self, n) -> str:
        request = self.context.get("request")
        if not n.url or request is None:
            return n.url
        return request.build_absolute_uri(n.url)


class NotificationListView(generics.ListAPIView):
    """The signed-in user's notifications, newest first, in their language."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = [OrderingFilter]
    ordering_fields = ["created_at", "id"]

    @extend_schema(parameters=[
        OpenApiParameter("read", bool, description="true: only read; false: only unread"),
        OpenApiParameter("kind", str),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        params = self.request.query_params
        qs = selectors.notifications_for(self.request.user, kind=params.get("kind") or None)
        read = (params.get("read") or "").lower()
        if read in ("true", "1"):
            qs = qs.filter(read_at__isnull=False)
        elif read in ("false", "0"):
            qs = qs.filter(read_at__isnull=True)
        return qs


class NotificationReadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, pk: int):
        n = selectors.get_notification_for(request.user, pk)
        services.notification_mark_read(actor=request.user, notification=n)
        return Response(NotificationSerializer(n, context={"request": request}).data)


class NotificationReadAllView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=inline_serializer(
        "NotificationsMarkedRead", {"marked": serializers.IntegerField()}))
    def post(self, request):
        return Response({"marked": services.notifications_mark_all_read(actor=request.user)})
