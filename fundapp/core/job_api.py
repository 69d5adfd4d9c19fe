"""API of background jobs: a person's own jobs, one job's progress, its file. Anybody else's
job is 404, whatever their role."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .errors import StateConflict
from .jobs import get_job_for, jobs_visible_to
from .models import Job, JobKind, JobStatus

NOT_FOUND = OpenApiResponse(description=_("Not found, or not yours."))
GONE = OpenApiResponse(description=_("The file was kept 7 days and is now deleted."))
CONFLICT = OpenApiResponse(description=_("The job has not finished, or failed."))
FILE = OpenApiResponse(OpenApiTypes.BINARY, description=_("The file (CSV or XLSX)."))


class JobSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=JobKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=JobStatus.choices, read_only=True)
    expired = serializers.BooleanField(read_only=True)
    url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = ["id", "kind", "label", "status", "rows_done", "rows_total", "file_format",
                  "file_name", "error", "result", "created_at", "started_at", "finished_at",
                  "expires_at", "expired", "url", "page_url", "download_url"]
        read_only_fields = fields

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_url(self, job) -> str:
        return self._absolute(reverse("api-job", args=[job.pk]))

    def get_page_url(self, job) -> str:
        return self._absolute(reverse("jobs:detail", args=[job.pk]))

    def get_download_url(self, job) -> str | None:
        if not job.downloadable:
            return None
        return self._absolute(reverse("api-job-download", args=[job.pk]))


class JobListView(generics.ListAPIView):
    """The signed-in person's background exports and imports, newest first."""

    serializer_class = JobSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self):
        return jobs_visible_to(self.request.user)


class JobDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary=_("A background job's progress"),
                   responses={200: JobSerializer, 404: NOT_FOUND})
    def get(self, request, pk: int):
        job = _job(request, pk)
        return Response(JobSerializer(job, context={"request": request}).data)


class AnyFileRenderer(BaseRenderer):
    """Lets content negotiation accept whatever the client asks of a file download; errors
    stay JSON."""

    media_type = "*/*"
    format = "file"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return JSONRenderer().render(data, "application/json", renderer_context)


class JobDownloadView(APIView):
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, AnyFileRenderer]

    @extend_schema(summary=_("Download a background job's file (its requester only)"),
                   responses={(200, "application/octet-stream"): FILE, 404: NOT_FOUND,
                              409: CONFLICT, 410: GONE})
    def get(self, request, pk: int):
        from .job_views import file_of

        job = _job(request, pk)
        if job.expired or (job.finished and not job.file):
            return Response({"detail": str(_("This file was kept 7 days and is now deleted: "
                                             "export the list again."))}, status=410)
        if not job.downloadable:
            raise StateConflict(_("This job has no file to download (yet)."))
        return file_of(job)


def _job(request, pk) -> Job:
    from django.http import Http404

    try:
        return get_job_for(request.user, pk)
    except Http404:
        raise NotFound() from None
