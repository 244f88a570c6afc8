"""The page of a background import (导入任务) and its HTMX progress partial (issue 7, item 4).

Both only read (``core.selectors``); a job outside the reader's scope answers 404. The partial
polls itself every second while the job is queued or running and stops once it is finished.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from . import selectors, services
from .errors import NotFound
from .policy import AUTHENTICATED, policy


def _status(request: HttpRequest, pk: int) -> selectors.ImportJobStatus:
    try:
        job = selectors.import_job_get_for(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return selectors.import_job_status(job)


def _context(status: selectors.ImportJobStatus) -> dict[str, Any]:
    job = status.job
    context: dict[str, Any] = {"status": status, "job": job, "title": "", "summary": "", "list_url": ""}
    try:
        importer = services.importer_for(job.kind)
    except KeyError:
        return context
    try:
        context["list_url"] = reverse(importer.list_url_name)
    except NoReverseMatch:
        pass
    if status.state == "done":
        context["summary"] = str(importer.done_message) % {"count": status.done}
    return context


@policy(AUTHENTICATED)
@require_GET
def import_job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "generic/import_job.html", _context(_status(request, pk)))


@policy(AUTHENTICATED)
@require_GET
def import_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "generic/partials/import_job_progress.html", _context(_status(request, pk)))
