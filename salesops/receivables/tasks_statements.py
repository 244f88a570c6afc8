"""A statement campaign's long work (对账, R13), as background jobs with progress: prepare every
customer's statement, e-mail each statement whose customer has an invoice e-mail address, and bind
every statement's PDF into one zip for finance.

**The jobs are the kernel's** (``core.models.Job``, operation ``batch``; ``core.services.jobs`` has
the claim, the progress store and the sweep that fails a job whose worker died). A job is started
by ``statement_job_start`` (the role is checked first; a second request while one runs gets the
running one), queued on commit, and run once by ``run_statement_job`` whatever the queue does:
the claim is one conditional UPDATE, and each runner is safe to run again — preparing skips the
customers prepared before, e-mailing skips the statements already sent, the zip is rebuilt.

**E-mail: recorded once the mail server took it.** Each statement still to send is mailed with its
PDF, then recorded as sent (``statement_send``, method "email"). A mail the server refuses records
nothing and is listed on the job; a statement sent by hand meanwhile is not mailed again. The mail
goes out outside any transaction, so a slow mail server never holds the database (SQLite's single
write lock above all); the price is that a statement sent by hand in the seconds between the check
and the record is mailed too — the job lists it, as "e-mailed, not recorded".

**Files.** A zip is written under ``exports/`` of ``MEDIA_ROOT`` with a generated name recorded on
the job before a byte is written; only the requester downloads it, and ``sweep_statement_jobs``
removes it after ``EXPORT_JOB_KEEP_SECONDS``, as an export's workbook. The same sweep queues again
a job whose task was lost (the kernel's sweep knows only imports' and exports' tasks).
"""

import datetime
import functools
import io
import logging
import re
import smtplib
import uuid
import zipfile
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from salesops.core.errors import ApplicationError, InvalidInput
from salesops.core.models import Job, JobOperation, JobState
from salesops.core.pdf import render_pdf
from salesops.core.policy import require
from salesops.core.services import jobs
from salesops.org.calendar import working_day_deadline
from salesops.org.models import User
from salesops.workflow.registry import document_type_of

from .models import SendMethod, Statement, StatementRun, StatementState
from .permissions import STATEMENT_SENDERS
from .selectors.statements import (
    JOB_EMAIL,
    JOB_KINDS,
    JOB_PDFS,
    JOB_PREPARE,
    statement_run_statements,
    statements_to_email,
)
from .services.statements import CAMPAIGNERS, statement_send, statements_prepare

logger = logging.getLogger("salesops.receivables")

# Who starts each job (checked when it is asked for; each service checks again when it runs).
STARTERS = {JOB_PREPARE: CAMPAIGNERS, JOB_EMAIL: STATEMENT_SENDERS, JOB_PDFS: STATEMENT_SENDERS}
# Up to this many statements the zip is answered at once; more take a job (≈0.7 s a PDF here).
ZIP_INLINE_LIMIT = 20


# --- one statement's PDF, many in a zip -------------------------------------------------------------


def statement_pdf(statement: Statement) -> bytes:
    """The statement's printed form, as the print button gives it (stamped in every state)."""
    entry = document_type_of(statement)
    stamped = entry.prints_stamped(statement)
    return render_pdf(entry.print_template, {"doc": statement}, stamped=stamped, draft=not stamped)


UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def pdf_filename(statement: Statement) -> str:
    """``<customer>_<number>.pdf``, without characters a file system refuses."""
    return f"{UNSAFE.sub('_', statement.customer.name).strip('_')}_{statement.number}.pdf"


def zip_filename(run: StatementRun) -> str:
    return f"对账单_{run.period_end.isoformat()}.zip"


def statements_zip(statements: Iterable[Statement], progress: Callable[[int], None] | None = None) -> bytes:
    """One PDF per statement in a zip (names in UTF-8)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, statement in enumerate(statements, start=1):
            archive.writestr(pdf_filename(statement), statement_pdf(statement))
            if progress is not None:
                progress(done)
    return buffer.getvalue()


# --- starting a job ----------------------------------------------------------------------------------


def _enqueue(job_id: int) -> None:
    run_statement_job(job_id)


def statement_job_start(*, actor: User, run: StatementRun, kind: str) -> Job:
    """Queue ``kind`` for the campaign as ``actor``; answers at once. Preparing and e-mailing run one
    at a time per campaign (whoever asked: a second request gets the job under way); a zip is its
    requester's. A queued job whose task was lost is queued again."""
    if kind not in JOB_KINDS:
        raise InvalidInput(_("Unknown job."), fields={"kind": [_("Unknown job.")]})
    require(actor, *STARTERS[kind])
    with transaction.atomic():
        # Two people asking at once wait for each other here (the campaign's row), then share one job.
        StatementRun.objects.select_for_update().filter(pk=run.pk).first()
        under_way = Job.objects.filter(
            operation=JobOperation.BATCH, kind=kind, params__run=run.pk, state__in=(JobState.QUEUED, JobState.RUNNING)
        )
        if kind == JOB_PDFS:
            under_way = under_way.filter(user=actor)
        job = under_way.order_by("pk").first()
        if job is not None:
            waited = timezone.now() - datetime.timedelta(seconds=settings.JOB_REQUEUE_SECONDS)
            if job.state == JobState.QUEUED and job.enqueued_at < waited:
                Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(enqueued_at=timezone.now())
                transaction.on_commit(functools.partial(_enqueue, job.pk))
            return job
        job = Job.objects.create(
            user=actor,
            operation=JobOperation.BATCH,
            kind=kind,
            params={"run": run.pk},
            language=translation.get_language() or "",
        )
        transaction.on_commit(functools.partial(_enqueue, job.pk))
    logger.info("statement job %s (%s, campaign %s) queued by %s", job.pk, kind, run.pk, actor.pk)
    return job


# --- running it --------------------------------------------------------------------------------------


class _Progress:
    """Reports how far the worker got, through Huey's store (``core.services.jobs``)."""

    def __init__(self, job_id: int, total: int):
        self.job_id = job_id
        self.total = total
        self.done = 0
        jobs.put_progress(job_id, 0, total)

    def __call__(self, done: int, total: int | None = None) -> None:
        self.done = done
        self.total = total if total is not None else self.total
        jobs.put_progress(self.job_id, done, max(self.total, done))
        jobs.pause_if_asked(self.job_id, done)


def _finish(job: Job, *, done: int, total: int, message: str, errors: list | None = None, **extra: Any) -> bool:
    """Running -> done with the outcome; False when the sweep declared it failed meanwhile."""
    return bool(
        Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
            state=JobState.DONE,
            rows_done=done,
            rows_total=total,
            message=message,
            errors=errors or [],
            finished_at=timezone.now(),
            **extra,
        )
    )


def _prepare(job: Job, run: StatementRun) -> None:
    progress = _Progress(job.pk, run.customers)
    made = statements_prepare(actor=job.user, run=run, progress=progress)
    run.refresh_from_db()
    message = _("%(made)d statements prepared now; %(prepared)d of %(customers)d customers have theirs.") % {
        "made": made,
        "prepared": run.prepared,
        "customers": run.customers,
    }
    _finish(job, done=progress.done, total=run.customers, message=message)


def _mail(statement: Statement, pdf: bytes) -> EmailMessage:
    """The customer's e-mail: in Chinese, as the printed form, whatever the sender's language."""
    from salesops.org.models import Company

    company = Company.current()
    subject = f"{company.name} 往来对账单 {statement.number}（截至 {statement.period_end.isoformat()}）"
    body = render_to_string("receivables/statements/email.txt", {"statement": statement, "company": company})
    message = EmailMessage(subject=subject, body=body, to=[statement.customer.invoice_email])
    message.attach(pdf_filename(statement), pdf, "application/pdf")
    return message


def _email(job: Job, run: StatementRun) -> None:
    rows = list(statements_to_email(user=job.user, run=run))
    progress = _Progress(job.pk, len(rows))
    sent, errors = 0, []

    def problem(index: int, statement: Statement, message: str) -> None:
        errors.append({"row": index, "column": statement.number, "message": message})

    for index, statement in enumerate(rows, start=1):
        progress(index - 1)
        if not Statement.objects.filter(pk=statement.pk, state=StatementState.ISSUED).exists():
            problem(index, statement, _("Sent meanwhile: not e-mailed again."))
            continue
        # The reply date the send will record, on the PDF and in the mail that go out.
        statement.reply_due = working_day_deadline(timezone.localdate(), run.reply_working_days).day
        address = statement.customer.invoice_email
        try:
            _mail(statement, statement_pdf(statement)).send()
        except (smtplib.SMTPException, OSError) as exc:
            logger.warning("statement %s: mail to %s refused: %s", statement.number, address, exc)
            reason = _("The mail server refused the e-mail to %(address)s; nothing was recorded.")
            problem(index, statement, reason % {"address": address})
            continue
        try:
            statement_send(statement=statement, actor=job.user, method=SendMethod.EMAIL, sent_to=address)
        except ApplicationError as exc:
            reason = _("E-mailed, but the sending was not recorded (%(reason)s): record it on the statement.")
            problem(index, statement, reason % {"reason": exc.message})
            continue
        sent += 1
    progress(len(rows))
    message = _("%(sent)d statements e-mailed; %(failed)d not sent.") % {"sent": sent, "failed": len(errors)}
    _finish(job, done=sent, total=len(rows), message=message, errors=errors)


def _pdfs(job: Job, run: StatementRun) -> None:
    require(job.user, *STATEMENT_SENDERS)
    rows = list(statement_run_statements(user=job.user, run=run).order_by("customer__name", "pk"))
    name = f"exports/{uuid.uuid4().hex}.zip"
    # The file's name is on the job before a byte is written: a worker killed while writing leaves a
    # name the kernel's sweep removes, never an orphan file.
    if not Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(rows_total=len(rows), file=name):
        return
    progress = _Progress(job.pk, len(rows))
    content = statements_zip(rows, progress=progress)
    saved = job.file.storage.save(name, ContentFile(content))
    message = _("%(count)d statements in the file.") % {"count": len(rows)}
    if not _finish(job, done=len(rows), total=len(rows), message=message, file=saved):
        job.file.storage.delete(saved)


RUNNERS: dict[str, Callable[[Job, StatementRun], None]] = {JOB_PREPARE: _prepare, JOB_EMAIL: _email, JOB_PDFS: _pdfs}


def statement_job_run(*, job_id: int) -> Job | None:
    """Run a queued statement job once (``jobs.claim``); one that is not queued is left as it is."""
    job = jobs.claim(job_id, JobOperation.BATCH)
    if job is None:
        return None
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            run = StatementRun.objects.get(pk=job.params.get("run"))
            RUNNERS[job.kind](job, run)
        except ApplicationError as exc:
            jobs.fail(job.pk, exc.message)
        except Exception:
            logger.exception("statement job %s failed", job.pk)
            jobs.fail(job.pk, job_stopped_message(job.kind))
        finally:
            jobs.drop_progress(job.pk)
    job.refresh_from_db()
    if job.state == JobState.FAILED:
        jobs.discard_file(job)
    logger.info("statement job %s (%s): %s", job.pk, job.kind, job.state)
    return job


def job_stopped_message(kind: str) -> str:
    """Why a statement job ended without its outcome, and what was kept."""
    if kind == JOB_PDFS:
        return _("The zip stopped before it finished; no file was made. Ask for it again.")
    return _("The job stopped before it finished; what it did is kept. Start it again to finish the rest.")


@db_task()
def run_statement_job(job_id: int) -> None:
    """Queued by ``statement_job_start`` on commit; running it twice runs it once."""
    statement_job_run(job_id=job_id)


def sweep_statement_files(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Queue again the statement jobs still queued long after they were asked for (their task was
    lost), and remove the zips older than ``EXPORT_JOB_KEEP_SECONDS``; (queued again, expired)."""
    now = now or timezone.now()
    lost = Job.objects.filter(
        operation=JobOperation.BATCH,
        kind__in=JOB_KINDS,
        state=JobState.QUEUED,
        created_at__lt=now - datetime.timedelta(seconds=settings.JOB_REQUEUE_SECONDS),
    )
    queued = 0
    for job_id in lost.values_list("pk", flat=True):
        transaction.on_commit(functools.partial(_enqueue, job_id))
        queued += 1
    made_before = now - datetime.timedelta(seconds=settings.EXPORT_JOB_KEEP_SECONDS)
    old = Job.objects.filter(
        operation=JobOperation.BATCH, kind=JOB_PDFS, state=JobState.DONE, finished_at__lt=made_before
    )
    expired = 0
    for job in old.order_by("pk"):
        with translation.override(job.language or settings.LANGUAGE_CODE):
            message = _("The file was removed a day after it was made. Ask for it again.")
        if Job.objects.filter(pk=job.pk, state=JobState.DONE).update(state=JobState.EXPIRED, message=message):
            jobs.discard_file(job)
            expired += 1
    return queued, expired


@db_periodic_task(crontab(minute="*/10"))
def sweep_statement_jobs() -> tuple[int, int]:
    return sweep_statement_files()
