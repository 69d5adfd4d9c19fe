"""``/api/v1/me/totp/``: the signed-in person's authenticator app (API.md, second part)."""

from drf_spectacular.utils import extend_schema
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

    @extend_schema(request=None, responses={201: TotpStartSerializer})
    def post(self, request):
        device = totp_start(actor=request.user)
        return Response({"secret": totp_secret(device), "otpauth_uri": device.config_url},
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=CodeSerializer, responses={204: None})
    def delete(self, request):
        totp_disable(actor=request.user, code=_code(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TotpConfirmView(APIView):
    """`{"code"}` from the app confirms the enrolment; the answer holds the ten recovery
    codes, shown this once."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=CodeSerializer, responses=RecoveryCodesSerializer)
    def post(self, request):
        codes = totp_confirm(actor=request.user, code=_code(request))
        return Response({"recovery_codes": codes})
