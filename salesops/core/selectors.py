"""Read helpers the apps' selectors share."""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, QuerySet

from .errors import NotFound

if TYPE_CHECKING:
    from .models import Job

M = TypeVar("M", bound=Model)


def by_key(queryset: QuerySet[M]) -> M | None:
    """The one row a queryset filtered on a key selects, or None. Unlike ``first()``, no ORDER BY:
    to compose the model's ordering Django hashes every column the query reads, which for a
    document read with its relations costs more than the read itself."""
    return next(iter(queryset.order_by()[:1]), None)


def get_in_scope(queryset: QuerySet[M], pk: Any, *, missing: str) -> M:
    """Row ``pk`` of a queryset already scoped to the reader, or ``NotFound(missing)``: a row outside
    the scope is answered exactly like one that does not exist, so its existence is not revealed."""
    found = by_key(queryset.filter(pk=pk))
    if found is None:
        raise NotFound(missing)
    return found


# Background jobs (导入/导出任务), issue 7 item 4: see core.services for how a job runs.


def job_list(*, user: Any) -> "QuerySet[Job]":
    """The jobs a user may see: their own only (``Job.objects.visible_to``)."""
    from .models import Job

    return Job.objects.visible_to(user).select_related("user").order_by("-pk")


def job_get_for(*, user: Any, pk: Any, operation: str | None = None) -> "Job":
    """One job of ``job_list`` (of ``operation`` when given), or NotFound: another user's job
    answers like a missing one."""
    from django.utils.translation import gettext

    from .models import JobOperation

    jobs = job_list(user=user)
    if operation is not None:
        jobs = jobs.filter(operation=operation)
    missing = gettext("No such export.") if operation == JobOperation.EXPORT else gettext("No such import.")
    return get_in_scope(jobs, pk, missing=missing)


def job_not_ready_message() -> str:
    from django.utils.translation import gettext

    return gettext("This export has no file to download: it is not finished, or its file was removed.")


def progress_key(job_id: int) -> str:
    """Where a job's progress lives in Huey's store (outside an import's transaction)."""
    return f"salesops:job:{job_id}"


def stopped_message(operation: str = "import") -> str:
    """What a job whose worker died says: shown by its page at once, written by the sweep."""
    from django.utils.translation import gettext

    if operation == "export":
        return gettext(
            "The export stopped before it finished (its worker ended or stopped answering); no file was "
            "made. Export the list again."
        )
    return gettext(
        "The import stopped before it finished (its worker ended or stopped answering); nothing was "
        "imported. Upload the file again."
    )


def job_is_stale(last_seen: datetime.datetime, *, now: datetime.datetime) -> bool:
    """No sign of life for ``JOB_STALE_SECONDS``: its worker is gone (the page and the sweep)."""
    from django.conf import settings

    return now - last_seen >= datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)


def job_stored_progress(job: "Job") -> dict[str, Any] | None:
    """What the worker last put in Huey's store: ``{"done", "total", "at"}`` (epoch seconds)."""
    from huey.contrib.djhuey import HUEY

    try:
        found = HUEY.get(progress_key(job.pk), peek=True)
    except Exception:
        return None
    return found if isinstance(found, dict) else None


def job_last_seen(job: "Job", stored: dict[str, Any] | None = None) -> datetime.datetime:
    """The job's last sign of life: its latest progress, else when it started (or was queued)."""
    seen = job.started_at or job.created_at
    stored = stored if stored is not None else job_stored_progress(job)
    if stored and isinstance(stored.get("at"), int | float):
        seen = max(seen, datetime.datetime.fromtimestamp(stored["at"], tz=datetime.UTC))
    return seen


def job_expires_at(job: "Job") -> datetime.datetime | None:
    """When a finished export's file is removed (``EXPORT_JOB_KEEP_SECONDS`` after it was made)."""
    from django.conf import settings

    if job.operation != "export" or job.finished_at is None:
        return None
    return job.finished_at + datetime.timedelta(seconds=settings.EXPORT_JOB_KEEP_SECONDS)


@dataclass(frozen=True)
class JobStatus:
    """What the job page and the API show: ``state`` as the sweep will see it (a running job with no
    sign of life past the limit reads as failed at once, without writing on a GET), rows and percent."""

    job: "Job"
    state: str
    done: int
    total: int
    message: str

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        return min(100, (100 * self.done) // self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        from .models import FINISHED_STATES

        return self.state in FINISHED_STATES

    @property
    def can_download(self) -> bool:
        return self.state == "done" and self.job.operation == "export" and bool(self.job.file)


def job_status(job: "Job", *, now: datetime.datetime | None = None) -> JobStatus:
    from django.utils import timezone

    from .models import JobState

    if job.state != JobState.RUNNING:
        done = job.rows_done if job.state in (JobState.DONE, JobState.EXPIRED) else 0
        return JobStatus(job, job.state, done, job.rows_total, job.message)
    stored = job_stored_progress(job)
    if job_is_stale(job_last_seen(job, stored), now=now or timezone.now()):
        return JobStatus(job, JobState.FAILED, 0, job.rows_total, stopped_message(job.operation))
    done = int(stored.get("done", 0)) if stored else 0
    total = int(stored.get("total", 0)) if stored else job.rows_total
    return JobStatus(job, job.state, done, total or job.rows_total, "")
