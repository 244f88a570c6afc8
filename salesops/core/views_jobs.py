"""The page of a background job (导入/导出任务), its HTMX progress partial and an export's download
(issue 7, item 4).

All only read (``core.selectors``); a job that is not the reader's own answers 404, whatever the
reader's role. The partial polls itself every second while the job is queued or running and stops
once it is finished; a finished export offers its file, to its requester alone.
"""

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from . import excel, selectors, services
from .errors import NotFound
from .models import JobOperation
from .policy import AUTHENTICATED, policy


def _status(request: HttpRequest, pk: int, operation: str) -> selectors.JobStatus:
    try:
        job = selectors.job_get_for(user=request.user, pk=pk, operation=operation)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return selectors.job_status(job)


def _list_url(job: Any) -> str:
    try:
        if job.operation == JobOperation.EXPORT:
            return services.exporter_for(job.kind).list_url(job.params)
        return reverse(services.importer_for(job.kind).list_url_name)
    except (KeyError, NoReverseMatch):
        return ""


def _summary(status: selectors.JobStatus) -> str:
    if status.state != "done":
        return ""
    if status.message or status.job.operation == JobOperation.EXPORT:
        return status.message
    try:  # an import finished before jobs kept their summary
        return str(services.importer_for(status.job.kind).done_message) % {"count": status.done}
    except KeyError:
        return ""


def _context(status: selectors.JobStatus) -> dict[str, Any]:
    job = status.job
    return {
        "status": status,
        "job": job,
        "summary": _summary(status),
        "list_url": _list_url(job),
        "progress_url": reverse(f"jobs:{job.operation}-job-progress", args=[job.pk]),
        "download_url": reverse("jobs:export-job-download", args=[job.pk]) if status.can_download else "",
        "expires_at": selectors.job_expires_at(job),
    }


def _page(request: HttpRequest, pk: int, operation: str) -> HttpResponse:
    return render(request, "generic/job.html", _context(_status(request, pk, operation)))


def _progress(request: HttpRequest, pk: int, operation: str) -> HttpResponse:
    return render(request, "generic/partials/job_progress.html", _context(_status(request, pk, operation)))


@policy(AUTHENTICATED)
@require_GET
def import_job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, pk, JobOperation.IMPORT)


@policy(AUTHENTICATED)
@require_GET
def import_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _progress(request, pk, JobOperation.IMPORT)


@policy(AUTHENTICATED)
@require_GET
def export_job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, pk, JobOperation.EXPORT)


@policy(AUTHENTICATED)
@require_GET
def export_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _progress(request, pk, JobOperation.EXPORT)


@policy(AUTHENTICATED)
@require_GET
def export_job_download(request: HttpRequest, pk: int) -> FileResponse:
    """The finished export's workbook, to its requester only; 404 before it is done and once expired."""
    status = _status(request, pk, JobOperation.EXPORT)
    if not status.can_download:
        raise Http404
    try:
        handle = status.job.file.open("rb")
    except OSError as exc:  # removed by the sweep since the state was read
        raise Http404 from exc
    filename = services.export_filename(status.job.kind, status.job.params)
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=excel.XLSX_MIME)
    response["Cache-Control"] = "no-store"
    return response
