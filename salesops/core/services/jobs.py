"""What every background job shares (导入/导出任务, issue 7 item 4): claim, progress, outcome, sweep.

**Run once, whatever the queue does** (RELIABILITY.md, Jobs). Huey may deliver a task twice, or
lose it. A task first claims its job with one conditional UPDATE (queued -> running): a second
delivery, or one racing the first, claims nothing and returns. Every later change of state is a
conditional UPDATE as well (running -> done or failed; an export's done -> expired), so a job the
sweep declared failed can no longer become done, and two sweeps never act twice on one job.

**Where progress goes, and why not in the database.** An import writes its rows in one
transaction (all or nothing), so progress written through the same connection would be invisible
until the end. A second database connection does not help on SQLite: the write transaction holds
the database's only write lock (``transaction_mode=IMMEDIATE``) from BEGIN to COMMIT, so any other
writer waits for it. Progress is therefore kept in Huey's own key-value store (``HUEY.put``): the
SQLite file ``huey.sqlite3`` beside the database, or Redis when ``REDIS_URL`` is set; never the
application database. An export writes no row, but reports the same way, so one page and one
sweep serve both. Losing the store loses only the progress figure, never rows or an outcome.

**The sweep** (``job_sweep``, every minute; safe to run any time, twice):

- a *running* job that gave no sign of life for ``JOB_STALE_SECONDS`` is failed: its worker was
  killed (an import's transaction died with it, so no row was written; an export's half-made file
  is removed);
- a *queued* job whose task was queued more than ``JOB_REQUEUE_SECONDS`` ago is queued again (its
  task was lost), and ``enqueued_at`` moves to now, so it waits that long again before the next try;
- a *done* export older than ``EXPORT_JOB_KEEP_SECONDS`` expires: its file is removed.
"""

import datetime
import functools
import logging
import os
import time
from typing import Any, NamedTuple

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Job, JobOperation, JobState
from ..selectors import job_is_stale, job_last_seen, progress_key, stopped_message

logger = logging.getLogger("salesops.jobs")

# Test hook of the kill -9 tests: the worker sleeps once it has handled this many rows.
PAUSE_ENV = "SALESOPS_JOB_PAUSE_AFTER_ROWS"


def _store() -> Any:
    from huey.contrib.djhuey import HUEY

    return HUEY


def put_progress(job_id: int, done: int, total: int) -> None:
    try:
        _store().put(progress_key(job_id), {"done": done, "total": total, "at": time.time()})
    except Exception:  # the figure is a courtesy: never let it fail a job
        logger.warning("job %s: progress not stored", job_id, exc_info=True)


def drop_progress(job_id: int) -> None:
    try:
        _store().delete(progress_key(job_id))
    except Exception:
        logger.warning("job %s: progress not removed", job_id, exc_info=True)


def pause_if_asked(job_id: int, done: int) -> None:
    """The kill -9 tests' hook: with ``SALESOPS_JOB_PAUSE_AFTER_ROWS`` set, sleep past that row."""
    pause = os.environ.get(PAUSE_ENV, "")
    if pause.isdigit() and done >= int(pause):
        logger.warning("job %s: pausing after %s rows (%s)", job_id, done, PAUSE_ENV)
        time.sleep(3600)


def enqueue(job_id: int, operation: str) -> None:
    from ..tasks import run_export_job, run_import_job

    (run_export_job if operation == JobOperation.EXPORT else run_import_job)(job_id)


def enqueue_on_commit(job: Job) -> None:
    """Queue the job's task once the transaction that stored the job commits (never a task for a
    job that does not exist)."""
    transaction.on_commit(functools.partial(enqueue, job.pk, job.operation))


def claim(job_id: int, operation: str) -> Job | None:
    """Queued -> running, once (module docstring); None when the job is not queued any more."""
    claimed = Job.objects.filter(pk=job_id, operation=operation, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        logger.info("%s job %s: not queued any more, not run again", operation, job_id)
        return None
    return Job.objects.select_related("user").get(pk=job_id)


def fail(job_id: int, message: str, *, errors: list[dict[str, Any]] | None = None) -> bool:
    """Running -> failed with the reason people read; False when the job was not running any more."""
    return bool(
        Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(
            state=JobState.FAILED, message=message, errors=errors or [], rows_done=0, finished_at=timezone.now()
        )
    )


def discard_file(job: Job) -> None:
    """Remove a job's file (an import's upload, an export's workbook) and forget its name."""
    if not job.file:
        return
    try:
        job.file.delete(save=False)
    except OSError:
        logger.warning("job %s: file %s not removed", job.pk, job.file.name, exc_info=True)
        return
    Job.objects.filter(pk=job.pk).update(file="")


class Swept(NamedTuple):
    failed: int
    queued_again: int
    expired: int


def job_sweep(*, now: datetime.datetime | None = None) -> Swept:
    """Fail the jobs whose worker is gone, queue again those whose task was lost and expire old
    exports (module docstring). Each change is one conditional UPDATE, a transaction of its own."""
    now = now or timezone.now()
    return Swept(_fail_stale(now), _queue_lost(now), _expire_exports(now))


def _fail_stale(now: datetime.datetime) -> int:
    failed = 0
    for job in Job.objects.filter(state=JobState.RUNNING).order_by("pk"):
        last_seen = job_last_seen(job)
        if not job_is_stale(last_seen, now=now):
            continue
        with translation.override(job.language or settings.LANGUAGE_CODE):
            message = stopped_message(job.operation)
        updated = Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
            state=JobState.FAILED, message=message, rows_done=0, finished_at=now
        )
        if not updated:
            continue  # its worker finished in the meantime: the job stands as it ended
        failed += 1
        drop_progress(job.pk)
        discard_file(job)
        logger.warning("%s job %s: no sign of life since %s, marked failed", job.operation, job.pk, last_seen)
    return failed


def _queue_lost(now: datetime.datetime) -> int:
    waited = now - datetime.timedelta(seconds=settings.JOB_REQUEUE_SECONDS)
    lost = Job.objects.filter(state=JobState.QUEUED, enqueued_at__lt=waited)
    queued = 0
    for job_id, operation in lost.order_by("pk").values_list("pk", "operation"):
        # Conditional: a second sweep at the same moment, or a worker claiming it, wins no second task.
        if Job.objects.filter(pk=job_id, state=JobState.QUEUED, enqueued_at__lt=waited).update(enqueued_at=now):
            transaction.on_commit(functools.partial(enqueue, job_id, operation))
            queued += 1
            logger.warning("%s job %s: still queued, queued again", operation, job_id)
    return queued


def _expire_exports(now: datetime.datetime) -> int:
    made_before = now - datetime.timedelta(seconds=settings.EXPORT_JOB_KEEP_SECONDS)
    old = Job.objects.filter(operation=JobOperation.EXPORT, state=JobState.DONE, finished_at__lt=made_before)
    expired = 0
    for job in old.order_by("pk"):
        with translation.override(job.language or settings.LANGUAGE_CODE):
            message = expired_message()
        if not Job.objects.filter(pk=job.pk, state=JobState.DONE).update(state=JobState.EXPIRED, message=message):
            continue
        expired += 1
        discard_file(job)
        logger.info("export job %s: file removed after %s s", job.pk, settings.EXPORT_JOB_KEEP_SECONDS)
    return expired


def expired_message() -> str:
    hours = max(settings.EXPORT_JOB_KEEP_SECONDS // 3600, 1)
    return _("The file was removed %(hours)d hours after it was made. Export the list again.") % {"hours": hours}
