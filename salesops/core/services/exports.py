"""Exports of large lists as background jobs (导出任务), issue 7 item 4.

**One path for both sizes.** An app registers each export once (``register_exporter``): who may
export (the page's policy), its rows (the page's ``visible_to(user)`` selector, searched, filtered
and sorted as the page does it, from the job's ``params``), how the workbook is written (through
``core.excel.export_xlsx``), its file name and the page it came from. An export of up to
``EXPORT_INLINE_ROWS`` rows is answered at once (``export_write``); a larger one becomes an export
``Job`` (``export_job_start``) that a Huey task runs as the requester, through the same functions,
so both give the same workbook. The requester's role is checked again when the task runs.

**The file.** The worker writes the workbook under ``exports/`` of ``MEDIA_ROOT`` (the data
directory) with a generated name it records on the job before writing, so a worker killed while
writing leaves a name the sweep can remove. Only the requester downloads it (``job_get_for``); the
sweep removes it ``EXPORT_JOB_KEEP_SECONDS`` after it was made (``core.services.jobs``).

**No long transaction.** The rows are read in autocommit, not in ``transaction.atomic``: one
SELECT, which sees one snapshot of the data on both databases, and SQLite's IMMEDIATE mode would
otherwise hold the database's write lock for the whole export. Every change of the job is one
conditional UPDATE (``core.services.jobs``), each a transaction of its own.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..errors import ApplicationError, Forbidden
from ..models import Job, JobOperation, JobState, job_file_path
from ..policy import Policy
from . import jobs

logger = logging.getLogger("salesops.exports")


@dataclass(frozen=True)
class Exporter:
    """One registered export. ``rows(user=, params=)`` returns what is written (a queryset, or any
    iterable with ``len``); ``write(rows, user=, params=, progress=)`` the workbook's bytes."""

    kind: str
    roles: tuple[str, ...]
    rows: Callable[..., Any]
    write: Callable[..., bytes]
    filename: Callable[[dict[str, Any]], str]
    list_url: Callable[[dict[str, Any]], str]


_EXPORTERS: dict[str, Exporter] = {}


def register_exporter(
    kind: str,
    *,
    roles: Iterable[str],
    rows: Callable[..., Any],
    write: Callable[..., bytes],
    filename: Callable[[dict[str, Any]], str],
    list_url: Callable[[dict[str, Any]], str],
) -> None:
    """Declare an export (from the owning app's ``AppConfig.ready``); ``roles`` are the export page's
    policy (``AUTHENTICATED`` for any signed-in user)."""
    _EXPORTERS[kind] = Exporter(kind, tuple(roles), rows, write, filename, list_url)


def exporter_for(kind: str) -> Exporter:
    return _EXPORTERS[kind]


def exporter_known(kind: str) -> bool:
    return kind in _EXPORTERS


def listed_rows(rows: Callable[..., QuerySet], listing: Callable[..., Any]) -> Callable[..., QuerySet]:
    """``rows`` of a list page's export: its selector, searched, filtered and sorted by its ``Listing``
    from the query string kept in ``params["query"]``, every page."""

    def read(*, user: Any, params: dict[str, Any]) -> QuerySet:
        return listing(user=user).filtered(rows(user=user), params.get("query") or {})

    return read


def list_url(url_name: str) -> Callable[[dict[str, Any]], str]:
    """``list_url`` of a list page's export: the page, with the search and filters of the export."""

    def url(params: dict[str, Any]) -> str:
        query = urlencode(params.get("query") or {})
        return reverse(url_name) + (f"?{query}" if query else "")

    return url


def _check(actor: Any, exporter: Exporter) -> None:
    if not Policy(roles=frozenset(exporter.roles)).allows(actor):
        raise Forbidden(_("Your role may not do this."))


def export_rows(*, actor: Any, kind: str, params: dict[str, Any]) -> Any:
    """The rows the export writes, as ``actor`` may see them; Forbidden when the actor may not export
    this list, InvalidInput when ``params`` name nothing (a month that is no month)."""
    exporter = exporter_for(kind)
    _check(actor, exporter)
    return exporter.rows(user=actor, params=params)


def export_count(rows: Any) -> int:
    """How many rows an export writes (one COUNT for a queryset)."""
    return rows.count() if isinstance(rows, QuerySet) else len(rows)


def export_is_large(count: int) -> bool:
    """More rows than one request should write: the export runs as a background job."""
    return count > settings.EXPORT_INLINE_ROWS


def export_write(
    *, actor: Any, kind: str, params: dict[str, Any], rows: Any, progress: Callable[[int], None] | None = None
) -> bytes:
    """The workbook of ``rows`` (from ``export_rows``): the same bytes' content inline and in a job."""
    return exporter_for(kind).write(rows, user=actor, params=params, progress=progress)


def export_filename(kind: str, params: dict[str, Any]) -> str:
    """The download's name (``customers.xlsx``); a kind no longer registered gets ``export.xlsx``."""
    exporter = _EXPORTERS.get(kind)
    return exporter.filename(params) if exporter else "export.xlsx"


def export_job_start(*, actor: Any, kind: str, params: dict[str, Any]) -> Job:
    """Queue an export of the list ``params`` select, as ``actor``; answers at once. A second request
    for the same list while the first is waiting or running gets the first job (a double click)."""
    rows = export_rows(actor=actor, kind=kind, params=params)
    count = export_count(rows)
    with transaction.atomic():
        waiting = Job.objects.filter(
            user=actor,
            operation=JobOperation.EXPORT,
            kind=kind,
            state__in=(JobState.QUEUED, JobState.RUNNING),
            params=params,
        ).first()
        if waiting is not None:
            return waiting
        job = Job.objects.create(
            user=actor,
            operation=JobOperation.EXPORT,
            kind=kind,
            params=params,
            rows_total=count,
            language=translation.get_language() or "",
        )
        jobs.enqueue_on_commit(job)
    logger.info("export job %s (%s, %s rows) queued by %s", job.pk, kind, count, actor.pk)
    return job


class _Progress:
    """Tells the page how far the worker got, through Huey's store (``core.services.jobs``)."""

    def __init__(self, job_id: int, total: int):
        self.job_id = job_id
        self.total = total
        self.written = 0

    def __call__(self, written: int) -> None:
        self.written = written
        jobs.put_progress(self.job_id, written, max(self.total, written))
        jobs.pause_if_asked(self.job_id, written)


def export_job_run(*, job_id: int) -> Job | None:
    """Run a queued export once (``jobs.claim``); a job that is not queued is left as it is."""
    job = jobs.claim(job_id, JobOperation.EXPORT)
    if job is None:
        return None
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            _run(job)
        except ApplicationError as exc:
            jobs.fail(job.pk, exc.message)
        except Exception:
            logger.exception("export job %s failed", job.pk)
            jobs.fail(job.pk, _("The export stopped on an unexpected error; no file was made. Export the list again."))
        finally:
            jobs.drop_progress(job.pk)
    job.refresh_from_db()
    if job.state == JobState.FAILED:
        jobs.discard_file(job)
    logger.info("export job %s: %s, %s rows", job.pk, job.state, job.rows_done)
    return job


def _run(job: Job) -> None:
    if job.kind not in _EXPORTERS:
        raise ApplicationError(_("This kind of export is not available."))
    rows = export_rows(actor=job.user, kind=job.kind, params=job.params)
    total = export_count(rows)
    # The file's name is on the job before a byte is written: a worker killed while writing leaves
    # a name the sweep removes, never an orphan file.
    name = job_file_path(job, "")
    if not Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(rows_total=total, file=name):
        return
    jobs.put_progress(job.pk, 0, total)
    progress = _Progress(job.pk, total)
    content = export_write(actor=job.user, kind=job.kind, params=job.params, rows=rows, progress=progress)
    saved = job.file.storage.save(name, ContentFile(content))
    done = Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
        state=JobState.DONE,
        file=saved,
        rows_total=progress.written,
        rows_done=progress.written,
        message=_("%(count)d rows exported.") % {"count": progress.written},
        finished_at=timezone.now(),
    )
    if not done:  # swept to failed while writing: the file goes with it
        job.file.storage.delete(saved)
        logger.warning("export job %s: declared failed while writing; its file was removed", job.pk)
