"""Grants API: a person's own data, to download, and closing one's own account (README,
"Personal data": additions to the contract)."""

from drf_spectacular.types import OpenApiTypes
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from fundapp.core.errors import ValidationFailed
from grants.selectors.privacy import personal_data_of
from grants.services.privacy import account_close


class MyDataView(APIView):
    """Everything FundApp holds about the signed-in person (their own records only)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="me_data")
    def get(self, request):
        response = Response(personal_data_of(request.user))
        response["Content-Disposition"] = 'attachment; filename="fundapp-my-data.json"'
        response["Cache-Control"] = "no-store"
        return response


class AccountCloseSerializer(serializers.Serializer):
    password = serializers.CharField(write_only=True, max_length=4096,
                                     style={"input_type": "password"})
    confirm = serializers.BooleanField(help_text=_(
        "true: I understand that my name, e-mail address and sign-in are erased for good "
        "and that I can no longer sign in."))


class AccountCloseView(APIView):
    """Close the signed-in person's own account, as the "My data" page does: refused (409)
    where it would break the fund's work (last admin of an organisation with other members,
    last secretariat user, a Board member in an open session); otherwise a last e-mail is
    sent and the person is anonymised. Their sessions and tokens stop working."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=AccountCloseSerializer, operation_id="me_close", responses={
        200: OpenApiResponse(description=_("The account is closed.")),
        400: OpenApiResponse(description=_("Wrong password, or not confirmed.")),
        409: OpenApiResponse(description=_("Closing it now would break the fund's work."))})
    def post(self, request):
        data = AccountCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data["confirm"]:
            raise ValidationFailed.on("confirm", _(
                "Nothing has been done yet: confirm that you understand what will happen."))
        account_close(actor=request.user, password=data.validated_data["password"])
        return Response({"closed": True})
