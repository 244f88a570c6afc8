"""Background imports (导入任务), issue 7 item 4: an upload becomes an import ``Job`` that a Huey
task imports, all rows or none, while the job page shows its progress.

**Who runs what.** An app registers each import once (``register_importer``: its service, the
roles that may start it, the summary line and the list it belongs to). ``import_job_start``
checks the file itself, stores it under a generated name and queues the task in
``transaction.on_commit``; the task calls ``import_job_run`` and nothing else.

**All or nothing, and never "failed" with rows** (``core.services.jobs`` has the claim, the
progress store and the sweep). The job becomes *done* inside the transaction that writes the rows
(``ImportProgress.committing``), by a conditional UPDATE (running -> done): the rows and "done"
commit together or not at all, and a job the sweep already declared failed refuses the commit.
The job row is otherwise written only in short transactions outside the write transaction
(claimed, rows counted after the check).
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import excel
from ..errors import ApplicationError, InvalidInput
from ..models import Job, JobOperation, JobState
from ..policy import require
from . import jobs

logger = logging.getLogger("salesops.imports")


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


def import_job_start(*, actor: Any, kind: str, upload: Any) -> Job:
    """Store the upload and queue its import; answers at once. Raises InvalidInput (field ``file``)
    when the file itself is refused, Forbidden when the actor may not run this import."""
    importer = importer_for(kind)
    require(actor, *importer.roles)
    excel.check_upload(upload)
    content = ContentFile(bytes(upload)) if isinstance(upload, bytes | bytearray) else File(upload)
    with transaction.atomic():
        job = Job(user=actor, operation=JobOperation.IMPORT, kind=kind, language=translation.get_language() or "")
        job.file.save("import.xlsx", content, save=False)
        job.save()
        jobs.enqueue_on_commit(job)
    logger.info("import job %s (%s) queued by %s", job.pk, kind, actor.pk)
    return job


class _JobProgress(excel.ImportProgress):
    def __init__(self, job_id: int, done_message: Any):
        self.job_id = job_id
        self.done_message = done_message

    def checked(self, total: int) -> None:
        # Outside the write transaction (a short one of its own): the page can show "0 of N".
        Job.objects.filter(pk=self.job_id, state=JobState.RUNNING).update(rows_total=total)
        jobs.put_progress(self.job_id, 0, total)

    def wrote(self, done: int, total: int) -> None:
        jobs.put_progress(self.job_id, done, total)
        jobs.pause_if_asked(self.job_id, done)

    def committing(self, count: int) -> None:
        finished = Job.objects.filter(pk=self.job_id, state=JobState.RUNNING).update(
            state=JobState.DONE,
            rows_total=count,
            rows_done=count,
            message=str(self.done_message) % {"count": count},
            finished_at=timezone.now(),
        )
        if not finished:
            raise JobNoLongerRunning(self.job_id)


def import_job_run(*, job_id: int) -> Job | None:
    """Run a queued import once (``jobs.claim``); a job that is not queued is left as it is."""
    job = jobs.claim(job_id, JobOperation.IMPORT)
    if job is None:
        return None
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return _run(job)


def _run(job: Job) -> Job:
    importer = _IMPORTERS.get(job.kind)
    try:
        if importer is None:
            raise ApplicationError(_("This kind of import is not available."))
        with job.file.open("rb") as handle:
            importer.run(actor=job.user, upload=handle, progress=_JobProgress(job.pk, importer.done_message))
    except JobNoLongerRunning:
        logger.warning("import job %s: declared failed while writing; its rows were rolled back", job.pk)
    except excel.ImportRefused as exc:
        jobs.fail(job.pk, exc.message, errors=[error.as_dict() for error in exc.errors])
    except InvalidInput as exc:
        jobs.fail(job.pk, " ".join([exc.message, *_field_messages(exc)]))
    except ApplicationError as exc:
        jobs.fail(job.pk, exc.message)
    except Exception:
        logger.exception("import job %s failed", job.pk)
        jobs.fail(job.pk, _("The import stopped on an unexpected error; nothing was imported."))
    finally:
        jobs.drop_progress(job.pk)
    job.refresh_from_db()
    if job.is_finished:
        jobs.discard_file(job)  # the upload (customers' data) is not kept; the row keeps the outcome
    logger.info("import job %s: %s, %s rows", job.pk, job.state, job.rows_done)
    return job


def _field_messages(exc: InvalidInput) -> list[str]:
    fields = exc.extra.get("fields") or {}
    return [str(message) for messages in fields.values() for message in messages if str(message) != exc.message]
