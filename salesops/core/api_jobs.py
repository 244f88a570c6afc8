"""REST API of background jobs (导入/导出任务), under ``/api/jobs`` (issue 7, item 4).

A job is its requester's only: another user's job, whatever their role, answers 404 like one that
does not exist. ``job_answer`` is also what an operation that queues a job answers (202).
"""

import datetime
from typing import Any, Literal

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status

from . import excel, selectors, services
from .api import Router
from .errors import InvalidInput, NotFound
from .models import JobOperation
from .policy import AUTHENTICATED, policy

router = Router(tags=["jobs"])

# JobState's and JobOperation's values (a test keeps them equal).
State = Literal["queued", "running", "done", "failed", "expired"]
Operation = Literal["import", "export", "batch"]


class JobErrorOut(Schema):
    """A problem with one cell of an import: Excel row number (the header is row 1), column, message."""

    row: int
    column: str
    message: str


class JobOut(Schema):
    """A job as its page shows it. ``message`` is the summary once done, why it failed, or why its
    file is gone; ``errors`` an import's problems by row and column; ``download_url`` a finished
    export's file (until it expires)."""

    id: int
    operation: Operation
    kind: str
    state: State
    rows_done: int
    rows_total: int
    percent: int
    message: str
    errors: list[JobErrorOut]
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    status_url: str
    download_url: str | None


def job_answer(job: Any) -> dict[str, Any]:
    status = selectors.job_status(job)
    return {
        "id": job.pk,
        "operation": job.operation,
        "kind": job.kind,
        "state": status.state,
        "rows_done": status.done,
        "rows_total": status.total,
        "percent": status.percent,
        "message": status.message,
        "errors": [error for error in job.errors if isinstance(error, dict)],
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "status_url": reverse("api:job_get", kwargs={"job_id": job.pk}),
        "download_url": reverse("api:job_download", kwargs={"job_id": job.pk}) if status.can_download else None,
    }


@router.get("/{int:job_id}", response=JobOut, operation_id="job_get", url_name="job_get")
@policy(AUTHENTICATED)
def job_get(request, job_id: int):
    """One of the caller's jobs: its state, progress, and then the rows' errors or the summary."""
    return job_answer(selectors.job_get_for(user=request.auth, pk=job_id))


@router.get(
    "/{int:job_id}/download",
    operation_id="job_download",
    url_name="job_download",
    openapi_extra={
        "responses": {
            "200": {
                "description": "Excel workbook",
                "content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}},
            }
        }
    },
)
@policy(AUTHENTICATED)
def job_download(request, job_id: int):
    """The workbook of one of the caller's finished exports; 404 before it is done and once it expired."""
    job = selectors.job_get_for(user=request.auth, pk=job_id, operation=JobOperation.EXPORT)
    if not selectors.job_status(job).can_download:
        raise NotFound(selectors.job_not_ready_message())
    try:
        handle = job.file.open("rb")
    except OSError as exc:  # removed by the sweep since the state was read
        raise NotFound(selectors.job_not_ready_message()) from exc
    filename = services.export_filename(job.kind, job.params)
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=excel.XLSX_MIME)
    response["Cache-Control"] = "no-store"
    return response


class ExportIn(Schema):
    """A list to export in the background: its ``kind`` (customers, products, expenses,
    contract-register), its search and filters as the list page's query string names them, and for
    the contract register its month."""

    kind: str = Field(..., min_length=1, max_length=40)
    query: dict[str, str] = Field(default_factory=dict, description='e.g. {"q": "济南", "kind": "dealer"}')
    period: str | None = Field(None, pattern=r"^\d{6}$", description="YYYYMM: the contract register's month")


@router.post("/exports", response={202: JobOut}, operation_id="export_job_start")
@policy(AUTHENTICATED)
def export_job_start(request, payload: ExportIn):
    """Export a list of any length as a background job: 202 with the job, whose status URL shows the
    progress and then the download (the caller's only). The rows are those the caller may see."""
    if not services.exporter_known(payload.kind):
        raise InvalidInput(_("This kind of export is not available."), fields={"kind": [_("Unknown export.")]})
    params: dict[str, Any] = {"query": dict(list(payload.query.items())[:30])}
    if payload.period:
        params["period"] = payload.period
    job = services.export_job_start(actor=request.auth, kind=payload.kind, params=params)
    return Status(202, job_answer(job))


def refuse_large_export(rows: Any) -> None:
    """For a GET export of the API: more than ``EXPORT_INLINE_ROWS`` rows are not written in the
    request (a 422 pointing to ``POST /api/jobs/exports``)."""
    count = services.export_count(rows)
    if services.export_is_large(count):
        raise InvalidInput(
            _("This list has %(count)s rows, more than are exported at once: ask for it with POST /api/jobs/exports.")
            % {"count": count},
            fields={"rows": [_("Too many rows for one request.")]},
        )
