"""Read helpers the apps' selectors share."""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, QuerySet

from .errors import NotFound

if TYPE_CHECKING:
    from .models import ImportJob

M = TypeVar("M", bound=Model)


def get_in_scope(queryset: QuerySet[M], pk: Any, *, missing: str) -> M:
    """Row ``pk`` of a queryset already scoped to the reader, or ``NotFound(missing)``: a row outside
    the scope is answered exactly like one that does not exist, so its existence is not revealed."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound(missing)
    return found


# Background imports (导入任务), issue 7 item 4: see core.services for how a job runs.


def import_job_list(*, user: Any) -> "QuerySet[ImportJob]":
    """The import jobs a user may see: their own; every job for the admin role."""
    from .models import ImportJob

    return ImportJob.objects.visible_to(user).select_related("user").order_by("-pk")


def import_job_get_for(*, user: Any, pk: Any) -> "ImportJob":
    """One job of ``import_job_list``, or NotFound (another user's job answers like a missing one)."""
    from django.utils.translation import gettext

    return get_in_scope(import_job_list(user=user), pk, missing=gettext("No such import."))


def progress_key(job_id: int) -> str:
    """Where a job's progress lives in Huey's store (outside the import's transaction)."""
    return f"salesops:import-job:{job_id}"


def stopped_message() -> str:
    """What a job whose worker died says: shown by its page at once, written by the sweep."""
    from django.utils.translation import gettext

    return gettext(
        "The import stopped before it finished (its worker ended or stopped answering); nothing was "
        "imported. Upload the file again."
    )


def import_job_is_stale(last_seen: datetime.datetime, *, now: datetime.datetime) -> bool:
    """No sign of life for ``IMPORT_JOB_STALE_SECONDS``: its worker is gone (the page and the sweep)."""
    from django.conf import settings

    return now - last_seen >= datetime.timedelta(seconds=settings.IMPORT_JOB_STALE_SECONDS)


def import_job_stored_progress(job: "ImportJob") -> dict[str, Any] | None:
    """What the worker last put in Huey's store: ``{"done", "total", "at"}`` (epoch seconds)."""
    from huey.contrib.djhuey import HUEY

    try:
        found = HUEY.get(progress_key(job.pk), peek=True)
    except Exception:
        return None
    return found if isinstance(found, dict) else None


def import_job_last_seen(job: "ImportJob", stored: dict[str, Any] | None = None) -> datetime.datetime:
    """The job's last sign of life: its latest progress, else when it started (or was queued)."""
    seen = job.started_at or job.created_at
    stored = stored if stored is not None else import_job_stored_progress(job)
    if stored and isinstance(stored.get("at"), int | float):
        seen = max(seen, datetime.datetime.fromtimestamp(stored["at"], tz=datetime.UTC))
    return seen


@dataclass(frozen=True)
class ImportJobStatus:
    """What the job page shows: ``state`` as the sweep will see it (a running job with no sign of
    life past the limit reads as failed at once, without writing on a GET), rows and percent."""

    job: "ImportJob"
    state: str
    done: int
    total: int
    message: str

    @property
    def percent(self) -> int:
        return min(100, (100 * self.done) // self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        from .models import ImportJobState

        return self.state in (ImportJobState.DONE, ImportJobState.FAILED)


def import_job_status(job: "ImportJob", *, now: datetime.datetime | None = None) -> ImportJobStatus:
    from django.utils import timezone

    from .models import ImportJobState

    if job.state != ImportJobState.RUNNING:
        done = job.rows_done if job.state == ImportJobState.DONE else 0
        return ImportJobStatus(job, job.state, done, job.rows_total, job.message)
    stored = import_job_stored_progress(job)
    if import_job_is_stale(import_job_last_seen(job, stored), now=now or timezone.now()):
        return ImportJobStatus(job, ImportJobState.FAILED, 0, job.rows_total, stopped_message())
    done = int(stored.get("done", 0)) if stored else 0
    total = int(stored.get("total", 0)) if stored else job.rows_total
    return ImportJobStatus(job, job.state, done, total or job.rows_total, "")
