"""API: each person's own notifications (anybody else's are 404) and notification
preferences; the secretariat's delivery monitor and resend."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics, serializers
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from fundapp.core.api import capability

from . import selectors, services
from .kinds import KINDS, optional_kinds
from .models import DeliveryState, EmailMode, EmailStatus, Notification
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


# --- each person's preferences ------------------------------------------------------------


class NotificationKindPreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    email = serializers.BooleanField(help_text=_("Whether this kind is e-mailed (immediately "
                                                 "or in the digest, per `email_mode`)."))


class NotificationPreferencesSerializer(serializers.Serializer):
    """The preferences page's choices: how e-mails come, and which kinds are turned off.
    Essential kinds (receipts, decisions, verification) are always e-mailed at once and are
    not listed."""

    email_mode = serializers.ChoiceField(choices=EmailMode.choices, required=False)
    muted_kinds = serializers.ListField(
        child=serializers.CharField(max_length=64), max_length=500, required=False,
        help_text=_("The kinds not to e-mail (they still appear among the notifications). "
                    "PATCH replaces the whole list."))
    kinds = NotificationKindPreferenceSerializer(many=True, read_only=True,
                                                 help_text=_("Every kind that may be turned "
                                                             "off, and whether it is on."))


def _preferences_data(preference) -> dict:
    muted = set(preference.muted_kinds)
    return {"email_mode": preference.email_mode, "muted_kinds": sorted(muted),
            "kinds": [{"kind": name, "label": str(k.label), "email": name not in muted}
                      for name, k in optional_kinds()]}


class NotificationPreferencesView(APIView):
    """The signed-in person's notification preferences (the web page's choices)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary=_("My notification preferences"),
                   responses=NotificationPreferencesSerializer,
                   operation_id="me_notification_preferences_retrieve")
    def get(self, request):
        return Response(_preferences_data(selectors.preference_for(request.user)))

    @extend_schema(summary=_("Change my notification preferences"),
                   request=NotificationPreferencesSerializer,
                   responses={200: NotificationPreferencesSerializer,
                              400: OpenApiResponse(description=_(
                                  "An unknown e-mail mode, an unknown kind, or an essential "
                                  "kind among `muted_kinds`."))},
                   operation_id="me_notification_preferences_partial_update")
    def patch(self, request):
        serializer = NotificationPreferencesSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        current = selectors.preference_for(request.user)
        data = serializer.validated_data
        preference = services.notification_preferences_update(
            actor=request.user, email_mode=data.get("email_mode", current.email_mode),
            muted_kinds=data.get("muted_kinds", current.muted_kinds))
        return Response(_preferences_data(preference))


# --- the secretariat's delivery monitor -----------------------------------------------------


MONITOR = capability("notification.monitor")
STATUS_CHOICES = [*DeliveryState.choices, ("retrying", _("Pending, retrying after an error"))]


class DeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.SerializerMethodField()
    recipient = serializers.IntegerField(source="recipient_id", allow_null=True,
                                         help_text=_("The user; null for a bare address."))
    recipient_username = serializers.SerializerMethodField()
    address = serializers.CharField(help_text=_("Where the e-mail goes."))
    status = serializers.ChoiceField(source="state", choices=DeliveryState.choices)
    email_status = serializers.ChoiceField(choices=EmailStatus.choices)
    attempts = serializers.IntegerField()
    last_error = serializers.CharField()
    created_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    resendable = serializers.BooleanField()

    def get_kind_label(self, n) -> str:
        definition = KINDS.get(n.kind)
        return str(definition.label) if definition else n.kind

    def get_recipient_username(self, n) -> str | None:
        return n.recipient.username if n.recipient_id else None


class DeliveryFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUS_CHOICES, required=False, help_text=_(
        "pending, sent or failed; retrying: pending after a failed attempt."))
    kind = serializers.CharField(max_length=64, required=False)
    recipient = serializers.CharField(max_length=254, required=False, help_text=_(
        "A username or an e-mail address, in any case."))

    def validate_kind(self, value: str) -> str:
        if value not in KINDS:
            raise serializers.ValidationError(_("Unknown notification kind."))
        return value


class DeliveryListView(generics.ListAPIView):
    """The delivery page's list: notifications of the last 30 days, newest first."""

    serializer_class = DeliverySerializer
    permission_classes = [MONITOR]
    filter_backends = [OrderingFilter]
    ordering_fields = ["created_at", "id", "attempts", "sent_at"]

    @extend_schema(summary=_("Notification deliveries (secretariat)"),
                   parameters=[DeliveryFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        params = DeliveryFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return selectors.notifications_monitor(state=data.get("status"), kind=data.get("kind"),
                                               recipient=data.get("recipient"))


class DeliveryResendView(APIView):
    permission_classes = [MONITOR]

    @extend_schema(summary=_("Send a notification again (secretariat)"), request=None,
                   responses={200: DeliverySerializer, 404: OpenApiResponse(
                       description=_("No such notification.")),
                       409: OpenApiResponse(description=_(
                           "Not resendable: still pending, or e-mailed to a bare address "
                           "whose one-time link is not kept."))})
    def post(self, request, pk: int):
        n = selectors.get_notification_for_monitor(pk)
        n = services.notification_resend(actor=request.user, notification=n)
        return Response(DeliverySerializer(n).data)
