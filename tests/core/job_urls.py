"""A small list with exports of its own, mounted beside the real URLs for the job tests: the
rows depend on who asks (like every list: same filters, same permissions)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import include, path
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.views import APIView

from fundapp.core import exports

COLUMNS = [exports.Column("Number", "number", exports.NUMBER),
           exports.Column("Reader", "reader"), exports.Column("Note", "note")]


def rows_for(request) -> list[dict]:
    if request.GET.get("boom") and exports.capturing() is not None:  # breaks in the job only
        raise RuntimeError("the list broke")
    if request.GET.get("hidden") and exports.capturing() is not None:  # access lost meanwhile
        raise Http404
    count = int(request.GET.get("n") or 10)
    return [{"number": i, "reader": request.user.username, "note": "=1+1" if i == 0 else ""}
            for i in range(count)]


@login_required
def numbers(request):
    return exports.export_response(request, rows_for(request), COLUMNS, "numbers")


class _Csv(BaseRenderer):
    media_type, format = "text/csv", "csv"


class _Xlsx(BaseRenderer):
    media_type, format = exports.CONTENT_TYPES["xlsx"], "xlsx"


class NumbersApi(APIView):
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, _Csv, _Xlsx]

    def get(self, request):
        return exports.export_response(request, rows_for(request), COLUMNS, "numbers")


urlpatterns = [
    path("test-numbers/", numbers, name="test-numbers"),
    path("api/v1/test-numbers/", NumbersApi.as_view(), name="api-test-numbers"),
    path("", include("fundapp.urls")),
]
