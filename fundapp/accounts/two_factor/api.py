"""``/api/v1/me/totp/``: the signed-in person's authenticator app (API.md, second part)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .services import totp_confirm, totp_disable, totp_secret, totp_start


class CodeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32, trim_whitespace=True)


class TotpStartSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="base32, for typing into an authenticator app")
    otpauth_uri = serializers.CharField()


class RecoveryCodesSerializer(serializers.Serializer):
    recovery_codes = serializers.ListField(child=serializers.CharField())


def _code(request) -> str:
    serializer = CodeSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data["code"]


class TotpView(APIView):
    """POST starts enrolment of an authenticator app; DELETE `{"code"}` turns it off."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={
        201: TotpStartSerializer,
        409: OpenApiResponse(description=_("An authenticator app is already set up.")),
    })
    def post(self, request):
        device = totp_start(actor=request.user)
        return Response({"secret": totp_secret(device), "otpauth_uri": device.config_url},
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=CodeSerializer, responses={
        204: None,
        400: OpenApiResponse(description=_("No code, or a wrong one.")),
        409: OpenApiResponse(description=_("No authenticator app is set up, or your roles "
                                           "require two-factor sign-in.")),
    })
    def delete(self, request):
        totp_disable(actor=request.user, code=_code(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TotpConfirmView(APIView):
    """`{"code"}` from the app confirms the enrolment; the answer holds the ten recovery
    codes, shown this once."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=CodeSerializer, responses={
        200: RecoveryCodesSerializer,
        409: OpenApiResponse(description=_("No set-up of an authenticator app is under way.")),
    })
    def post(self, request):
        codes = totp_confirm(actor=request.user, code=_code(request))
        return Response({"recovery_codes": codes})
