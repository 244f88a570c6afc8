"""Background imports (导入任务), issue 7 item 4: an upload becomes an ``ImportJob`` that a Huey
task imports, all rows or none, while the job page shows its progress.

**Who runs what.** An app registers each import once (``register_importer``: its service, the
roles that may start it, the summary line and the list it belongs to). ``import_job_start``
checks the file itself, stores it under a generated name and queues the task in
``transaction.on_commit``; the task calls ``import_job_run`` and nothing else.

**Run once, whatever the queue does** (RELIABILITY.md, Jobs). Huey may deliver a task twice, or
lose it. ``import_job_run`` first claims the job with one conditional UPDATE (queued -> running):
a second delivery, or one racing the first, claims nothing and returns. The job becomes *done*
inside the transaction that writes the rows (``ImportProgress.committing``), again by a
conditional UPDATE (running -> done): the rows and "done" commit together or not at all, and a
job the sweep already declared failed refuses the commit, so a job never says failed while its
rows exist. ``import_job_sweep`` (every minute) fails a running job that gave no sign of life
for ``IMPORT_JOB_STALE_SECONDS`` (its worker was killed: its transaction died with it, so no
row was written) and queues again a job left queued for ``IMPORT_JOB_REQUEUE_SECONDS`` (its task
was lost).

**Where progress goes, and why not in the database.** The rows are written in one transaction
(all or nothing), so progress written through the same connection would be invisible until the
end. A second database connection does not help on SQLite: the write transaction holds the
database's only write lock (``transaction_mode=IMMEDIATE``) from BEGIN to COMMIT, so any other
writer waits for it, and the progress would only appear at the end (or the worker would time
out on its own lock). On PostgreSQL a second connection would work, but it is a second code
path to test. Progress is therefore kept in Huey's own key-value store (``HUEY.put``): the
SQLite file ``huey.sqlite3`` beside the database, or Redis when ``REDIS_URL`` is set; never the
application database, so it is outside the import's transaction on both databases and the web
process reads it while the rows are being written. The job row itself is written only in short
transactions outside the write transaction (claimed, rows counted after the check) and in it
(done). Losing the store loses only the progress figure, never rows or the job's outcome.
"""

import datetime
import functools
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import excel
from .errors import ApplicationError, InvalidInput
from .models import ImportJob, ImportJobState
from .policy import require
from .selectors import import_job_is_stale, import_job_last_seen, progress_key, stopped_message

logger = logging.getLogger("salesops.imports")

# Test hook of the kill -9 test: the worker sleeps once it has written this many rows.
PAUSE_ENV = "SALESOPS_IMPORT_PAUSE_AFTER_ROWS"


@dataclass(frozen=True)
class Importer:
    """One registered import: ``run(actor=, upload=, progress=)`` returns the rows written."""

    kind: str
    run: Callable[..., int]
    roles: tuple[str, ...]
    done_message: Any  # with %(count)d
    list_url_name: str


_IMPORTERS: dict[str, Importer] = {}


def register_importer(
    kind: str, run: Callable[..., int], *, roles: Iterable[str], done_message: Any, list_url_name: str
) -> None:
    """Declare an import (from the owning app's ``AppConfig.ready``)."""
    _IMPORTERS[kind] = Importer(kind, run, tuple(roles), done_message, list_url_name)


def importer_for(kind: str) -> Importer:
    return _IMPORTERS[kind]


class JobNoLongerRunning(Exception):
    """The job was declared failed (swept) while its rows were being written: roll them back."""


def _store() -> Any:
    from huey.contrib.djhuey import HUEY

    return HUEY


def _put_progress(job_id: int, done: int, total: int) -> None:
    try:
        _store().put(progress_key(job_id), {"done": done, "total": total, "at": time.time()})
    except Exception:  # the figure is a courtesy: never let it fail an import
        logger.warning("import job %s: progress not stored", job_id, exc_info=True)


def _drop_progress(job_id: int) -> None:
    try:
        _store().delete(progress_key(job_id))
    except Exception:
        logger.warning("import job %s: progress not removed", job_id, exc_info=True)


def import_job_start(*, actor: Any, kind: str, upload: Any) -> ImportJob:
    """Store the upload and queue its import; answers at once. Raises InvalidInput (field ``file``)
    when the file itself is refused, Forbidden when the actor may not run this import."""
    importer = importer_for(kind)
    require(actor, *importer.roles)
    excel.check_upload(upload)
    content = ContentFile(bytes(upload)) if isinstance(upload, bytes | bytearray) else File(upload)
    with transaction.atomic():
        job = ImportJob(user=actor, kind=kind, language=translation.get_language() or "")
        job.file.save("import.xlsx", content, save=False)
        job.save()
        job_id = job.pk
        transaction.on_commit(lambda: _enqueue(job_id))
    logger.info("import job %s (%s) queued by %s", job.pk, kind, actor.pk)
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import run_import_job

    run_import_job(job_id)


class _JobProgress(excel.ImportProgress):
    def __init__(self, job_id: int):
        self.job_id = job_id
        pause = os.environ.get(PAUSE_ENV, "")
        self.pause_after = int(pause) if pause.isdigit() else None

    def checked(self, total: int) -> None:
        # Outside the write transaction (a short one of its own): the page can show "0 of N".
        ImportJob.objects.filter(pk=self.job_id, state=ImportJobState.RUNNING).update(rows_total=total)
        _put_progress(self.job_id, 0, total)

    def wrote(self, done: int, total: int) -> None:
        _put_progress(self.job_id, done, total)
        if self.pause_after is not None and done >= self.pause_after:
            logger.warning("import job %s: pausing after %s rows (%s)", self.job_id, done, PAUSE_ENV)
            time.sleep(3600)

    def committing(self, count: int) -> None:
        finished = ImportJob.objects.filter(pk=self.job_id, state=ImportJobState.RUNNING).update(
            state=ImportJobState.DONE, rows_total=count, rows_done=count, finished_at=timezone.now()
        )
        if not finished:
            raise JobNoLongerRunning(self.job_id)


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued job once (module docstring); a job that is not queued is left as it is."""
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportJobState.QUEUED).update(
        state=ImportJobState.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        logger.info("import job %s: not queued any more, not run again", job_id)
        return None
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return _run(job)


def _run(job: ImportJob) -> ImportJob:
    importer = _IMPORTERS.get(job.kind)
    try:
        if importer is None:
            raise ApplicationError(_("This kind of import is not available."))
        with job.file.open("rb") as handle:
            importer.run(actor=job.user, upload=handle, progress=_JobProgress(job.pk))
    except JobNoLongerRunning:
        logger.warning("import job %s: declared failed while writing; its rows were rolled back", job.pk)
    except excel.ImportRefused as exc:
        _fail(job.pk, exc.message, errors=[error.as_dict() for error in exc.errors])
    except InvalidInput as exc:
        _fail(job.pk, " ".join([exc.message, *_field_messages(exc)]))
    except ApplicationError as exc:
        _fail(job.pk, exc.message)
    except Exception:
        logger.exception("import job %s failed", job.pk)
        _fail(job.pk, _("The import stopped on an unexpected error; nothing was imported."))
    finally:
        _drop_progress(job.pk)
    job.refresh_from_db()
    _discard_file(job)
    logger.info("import job %s: %s, %s rows", job.pk, job.state, job.rows_done)
    return job


def _discard_file(job: ImportJob) -> None:
    """A finished job's upload (customers' data) is not kept; the row keeps the outcome."""
    if not job.file or job.state not in (ImportJobState.DONE, ImportJobState.FAILED):
        return
    try:
        job.file.delete(save=False)
    except OSError:
        logger.warning("import job %s: upload %s not removed", job.pk, job.file.name, exc_info=True)
        return
    ImportJob.objects.filter(pk=job.pk).update(file="")


def _field_messages(exc: InvalidInput) -> list[str]:
    fields = exc.extra.get("fields") or {}
    return [str(message) for messages in fields.values() for message in messages if str(message) != exc.message]


def _fail(job_id: int, message: str, *, errors: list[dict[str, Any]] | None = None) -> None:
    ImportJob.objects.filter(pk=job_id, state=ImportJobState.RUNNING).update(
        state=ImportJobState.FAILED, message=message, errors=errors or [], rows_done=0, finished_at=timezone.now()
    )


def import_job_sweep(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Fail running jobs that gave no sign of life for ``IMPORT_JOB_STALE_SECONDS`` and queue again
    the jobs whose task was lost; returns (failed, queued again). Safe to run any time, twice."""
    now = now or timezone.now()
    failed = 0
    for job in ImportJob.objects.filter(state=ImportJobState.RUNNING).order_by("pk"):
        last_seen = import_job_last_seen(job)
        if not import_job_is_stale(last_seen, now=now):
            continue
        with translation.override(job.language or settings.LANGUAGE_CODE):
            message = stopped_message()
        updated = ImportJob.objects.filter(pk=job.pk, state=ImportJobState.RUNNING).update(
            state=ImportJobState.FAILED, message=message, rows_done=0, finished_at=now
        )
        if not updated:
            continue  # its worker finished in the meantime: the job stands as it ended
        failed += 1
        _drop_progress(job.pk)
        job.state = ImportJobState.FAILED
        _discard_file(job)
        logger.warning("import job %s: no sign of life since %s, marked failed", job.pk, last_seen)
    requeue = datetime.timedelta(seconds=settings.IMPORT_JOB_REQUEUE_SECONDS)
    lost = list(
        ImportJob.objects.filter(state=ImportJobState.QUEUED, created_at__lt=now - requeue).values_list("pk", flat=True)
    )
    for job_id in lost:
        transaction.on_commit(functools.partial(_enqueue, job_id))
        logger.warning("import job %s: still queued, queued again", job_id)
    return failed, len(lost)
