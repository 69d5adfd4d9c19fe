"""The requester's pages of background jobs: "My exports and imports", one job's progress
(refreshed by htmx until it ends) and its file's download."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .jobs import get_job_for, jobs_visible_to, threshold
from .pagination import paginate


@login_required
@require_GET
def job_list(request):
    return render(request, "core/jobs/list.html", {
        "page": paginate(request, jobs_visible_to(request.user)), "threshold": threshold()})


@login_required
@require_GET
def job_detail(request, pk: int):
    return render(request, "core/jobs/detail.html", {"job": get_job_for(request.user, pk)})


@login_required
@require_GET
def job_progress(request, pk: int):
    """The progress box alone, for htmx polling; it stops polling once the job ended."""
    return render(request, "core/jobs/partials/progress.html",
                  {"job": get_job_for(request.user, pk)})


@login_required
@require_GET
def job_download(request, pk: int):
    job = get_job_for(request.user, pk)
    if job.expired or (job.finished and not job.file):
        return render(request, "core/jobs/gone.html", {"job": job}, status=410)
    if not job.downloadable:
        return redirect("jobs:detail", pk=job.pk)
    return file_of(job)


def file_of(job) -> FileResponse:
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
