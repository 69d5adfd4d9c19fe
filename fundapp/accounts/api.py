from django.contrib.auth import authenticate, update_session_auth_hash
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from fundapp.core import work
from fundapp.core.api import capability
from fundapp.core.authentication import TokenAuthentication
from fundapp.core.throttling import AnonRateThrottle

from . import services
from .models import TIMEZONE_CHOICES, ApiToken, User
from .roles import Role, roles_of
from .selectors import tokens_of, users_list
from .two_factor.failures import require_token_otp


class TokenThrottle(AnonRateThrottle):
    scope = "token"


class PasswordResetThrottle(AnonRateThrottle):
    scope = "password_reset"


class PasswordResetConfirmThrottle(AnonRateThrottle):
    scope = "password_reset_confirm"


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    otp = serializers.CharField(max_length=32, required=False, help_text=(
        "Once the user has two-factor sign-in: a current 6-digit code or a recovery code."))


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class ObtainTokenView(APIView):
    """POST: exchange a username and password for a new API token (each call a new one).
    DELETE: revoke the token the request is authenticated with (the API's sign-out)."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes = [TokenThrottle]

    @staticmethod
    def check_credentials(request, data: dict) -> User:
        """The one place a token's credentials are checked (django-axes counts failures)."""
        user = authenticate(request=request._request, username=data["username"],
                            password=data["password"])
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to sign in with these credentials.")]})
        return user

    @extend_schema(request=CredentialsSerializer, responses=TokenResponseSerializer)
    def post(self, request):
        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = self.check_credentials(request, serializer.validated_data)
        require_token_otp(request, user, request.data.get("otp"))  # two-factor (mfa)
        _token, key = services.token_create(user=user, name=_token_name(request))
        return Response({"token": key}, status=status.HTTP_200_OK)

    def get_authenticate_header(self, request) -> str:
        return TokenAuthentication.keyword  # a DELETE without a valid token: 401, not 403

    @extend_schema(request=None, responses={204: OpenApiResponse(description="Revoked")})
    def delete(self, request):
        result = TokenAuthentication().authenticate(request)
        if result is None:
            raise NotAuthenticated()
        result[1].delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


def _token_name(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:100]


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "prefix", "name", "created_at", "last_used_at", "expires_at"]


class MyTokensView(generics.ListAPIView):
    """The caller's API tokens (only their first characters: keys are never stored)."""

    serializer_class = ApiTokenSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self):
        return tokens_of(self.request.user)


class MyTokenView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: OpenApiResponse(description="Revoked")})
    def delete(self, request, pk: int):
        services.token_revoke(actor=request.user, token_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    time_zone = serializers.ChoiceField(source="timezone", choices=TIMEZONE_CHOICES)
    organisation = serializers.SerializerMethodField()
    organisation_role = serializers.SerializerMethodField()
    mfa_enabled = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "email", "roles", "language", "time_zone",
                  "organisation", "organisation_role", "mfa_enabled"]
        read_only_fields = ["id", "username", "email"]

    def get_roles(self, user) -> list[str]:
        return sorted(roles_of(user))

    def get_organisation(self, user) -> int | None:
        membership = getattr(user, "membership", None)
        return getattr(membership, "organisation_id", None)

    def get_organisation_role(self, user) -> str | None:
        membership = getattr(user, "membership", None)
        return getattr(membership, "role", None) if membership is not None else None

    def get_mfa_enabled(self, user) -> bool:
        try:
            from fundapp.accounts.mfa import mfa_enabled
        except ImportError:
            return False
        return bool(mfa_enabled(user))


class MeView(APIView):
    """The signed-in user; PATCH ``language`` and ``time_zone``."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSerializer, responses=MeSerializer)
    def patch(self, request):
        serializer = MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = {k: v for k, v in serializer.validated_data.items()
                  if k in ("language", "timezone")}
        user = services.profile_update(actor=request.user, **values)
        return Response(MeSerializer(user).data)


class WorkItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    overdue = serializers.IntegerField()
    url = serializers.CharField(help_text="The web page listing exactly these objects.")
    role = serializers.CharField()
    detail = serializers.CharField()


class WorkQueueSerializer(serializers.Serializer):
    items = WorkItemSerializer(many=True)


class WorkQueueView(APIView):
    """What awaits the signed-in user now: the same items, counts and links as the home page."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=WorkQueueSerializer)
    def get(self, request):
        items = [item.as_dict() for item in work.work_queue_for(request.user)]
        return Response({"items": items})


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


def _web_session_key(request) -> str | None:
    """The session the request came with, when it is a browser's (kept signed in)."""
    if request.auth is not None:  # token: every token ends, no session to keep
        return None
    return getattr(getattr(request._request, "session", None), "session_key", None)


class PasswordChangeView(APIView):
    """Change one's password; the other sessions and every API token stop working."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=PasswordChangeSerializer,
                   responses={204: OpenApiResponse(description="Changed")})
    def post(self, request):
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        keep = _web_session_key(request)
        services.password_change(actor=request.user, keep_session_key=keep,
                                 **serializer.validated_data)
        if keep:
            update_session_auth_hash(request._request, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetView(APIView):
    """E-mail a reset link; the same 202 whether or not the address has an account."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes = [PasswordResetThrottle]

    @extend_schema(request=PasswordResetSerializer,
                   responses={202: OpenApiResponse(description="Accepted")})
    def post(self, request):
        serializer = PasswordResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_request(email=serializer.validated_data["email"])
        return Response({"detail": _("If an account has this address, we e-mailed it a "
                                     "link to choose a new password.")},
                        status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class PasswordResetConfirmView(APIView):
    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes = [PasswordResetConfirmThrottle]

    @extend_schema(request=PasswordResetConfirmSerializer,
                   responses={200: OpenApiResponse(description="Password set")})
    def post(self, request):
        serializer = PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.password_reset_confirm(uidb64=data["uid"], token=data["token"],
                                        new_password=data["new_password"])
        return Response({"detail": _("Your password is changed. You can sign in with it.")})


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "roles"]

    def get_roles(self, user) -> list[str]:
        return sorted(g.name for g in user.groups.all() if g.name in Role.values)


class UserListView(generics.ListAPIView):
    """Users with their roles (`?role=reviewer`), to pick reviewers and board members."""

    serializer_class = UserSerializer
    permission_classes = [capability("user.list")]
    filterset_fields: list = []

    def get_queryset(self):
        return users_list(role=self.request.query_params.get("role"))
