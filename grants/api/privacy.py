"""Grants API: a person's own data, to download (README, "Personal data": an addition to
the contract)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from grants.selectors.privacy import personal_data_of


class MyDataView(APIView):
    """Everything FundApp holds about the signed-in person (their own records only)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="me_data")
    def get(self, request):
        response = Response(personal_data_of(request.user))
        response["Content-Disposition"] = 'attachment; filename="fundapp-my-data.json"'
        response["Cache-Control"] = "no-store"
        return response
