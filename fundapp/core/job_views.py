"""The requester's pages of background jobs: "My exports and imports", one job's progress
(refreshed by htmx until it ends) and its file's download."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from django.utils.translation import gettext_lazy as _

from .jobs import get_job_for, jobs_visible_to, threshold
from .listing import Filter, Sort, listing
from .models import JobKind, JobStatus

JOB_FILTERS = [
    Filter("status", _("Status"), choices=JobStatus.choices),
    Filter("kind", _("Kind"), choices=JobKind.choices),
    Filter("search", _("Search"), apply=lambda qs, text: qs.filter(label__icontains=text)),
]
JOB_SORTS = [
    Sort("-started", _("Newest first"), "-created_at"),
    Sort("started", _("Oldest first"), "created_at"),
    Sort("what", _("What (A–Z)"), ("label", "-created_at")),
]


@login_required
@require_GET
def job_list(request):
    found = listing(request, jobs_visible_to(request.user), filters=JOB_FILTERS, sorts=JOB_SORTS)
    return render(request, "core/jobs/list.html", {
        "listing": found, "page": found.page, "threshold": threshold()})


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
