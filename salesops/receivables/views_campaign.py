"""The pages of the statement campaigns (对账, R13) around the services that prepare, send and record
statements: the campaigns and a new one, a campaign's progress and statements, its background jobs
(prepare all, e-mail all, every PDF in a zip), a statement's send and reply forms, and the statements
whose reply is overdue.

Pages only wire answers: who may act is the route's policy and, again, the service's; what a
campaign shows is read by ``selectors.statements``; the jobs are ``tasks_statements``.
"""

import io
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_GET, require_POST

from salesops.core.errors import ApplicationError, Forbidden, InvalidInput, NotFound, TransitionNotAllowed
from salesops.core.listing import Listing
from salesops.core.models import Job
from salesops.core.policy import policy
from salesops.core.selectors import job_status, stopped_message
from salesops.core.views_generic import FormPage, ListPage, get_or_404
from salesops.org.roles import Role

from . import forms_statements as forms
from . import selectors
from . import tasks_statements as tasks
from .permissions import STATEMENT_SENDERS
from .selectors import statements as reads
from .services.statements import CAMPAIGNERS, statement_reply, statement_run_create, statement_send
from .views_statements import READERS
from .workflows import STATEMENT_FLOW

# Who opens the campaign pages: those who run campaigns, and the managers and leadership who follow
# them (each sees the figures and statements of their own scope). Salespeople work from their
# statements and the unanswered list.
CAMPAIGN_READERS = (*CAMPAIGNERS, Role.BRANCH_MANAGER, Role.LEADERSHIP, Role.ADMIN)


def _run(pk: int) -> Any:
    return get_or_404(reads.statement_run_get, pk=pk)


# --- campaigns ---------------------------------------------------------------------------------------


@policy(*CAMPAIGN_READERS)
class StatementRunListView(ListPage):
    """Every campaign, latest cut-off first, with its counters; New for those who run campaigns."""

    template_name = "receivables/statements/run_list.html"
    partial_name = "receivables/statements/partials/run_results.html"

    def rows(self) -> Any:
        return reads.statement_run_list()

    def listing(self) -> Listing:
        return reads.statement_run_listing()

    def extra_context(self, result: dict[str, Any]) -> dict[str, Any]:
        return {"may_create": self.request.user.has_role(*CAMPAIGNERS)}


@policy(*CAMPAIGNERS)
class StatementRunCreateView(FormPage):
    """A new campaign: its cut-off (by default the last end of June or December) and reply time."""

    title = gettext_lazy("New statement campaign")

    def make_form(self, data=None, files=None):
        return forms.StatementRunForm(data)

    def perform(self, form) -> Any:
        return statement_run_create(actor=self.request.user, **form.service_kwargs())

    def success_message(self, result: Any) -> str:
        return _("Campaign %(period)s created: prepare its statements.") % {"period": result}

    def cancel_url(self) -> str:
        return reverse("receivables:statement-run-list")

    def context(self) -> dict[str, Any]:
        return {
            "subtitle": _(
                "At the end of June and of December every customer gets a statement of account (R13). "
                "The campaign runs from the day after the last one's cut-off."
            )
        }


# --- one campaign ------------------------------------------------------------------------------------


def _job_context(job: Job | None, run: Any) -> dict[str, Any] | None:
    """What a job's panel shows: its state and progress, then its outcome (or why it stopped)."""
    if job is None:
        return None
    status = job_status(job)
    message = status.message
    if status.state == "failed" and (not message or message == stopped_message(job.operation)):
        message = tasks.job_stopped_message(job.kind)
    download = ""
    if job.kind == reads.JOB_PDFS and status.state == "done" and job.file:
        download = reverse("receivables:statement-job-download", args=[run.pk, job.pk])
    return {
        "job": job,
        "status": status,
        "message": message,
        "errors": [error for error in job.errors if isinstance(error, dict)][:200],
        "progress_url": reverse("receivables:statement-job-progress", args=[run.pk, job.pk]),
        "download_url": download,
    }


@policy(*CAMPAIGN_READERS)
class StatementRunDetailView(ListPage):
    """A campaign: its figures and chart over the statements the reader sees, its jobs, and its
    statements searched and filtered by state, salesperson and overdue reply."""

    template_name = "receivables/statements/run_detail.html"
    partial_name = "receivables/statements/partials/run_statements.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:  # type: ignore[override]
        self.run = _run(pk)
        return super().get(request)

    def rows(self) -> Any:
        return reads.statement_run_statements(user=self.request.user, run=self.run)

    def listing(self) -> Listing:
        return reads.statement_run_statements_listing(user=self.request.user, run=self.run)

    def extra_context(self, result: dict[str, Any]) -> dict[str, Any]:
        user: Any = self.request.user
        progress = reads.statement_run_progress(user=user, run=self.run)
        jobs = reads.statement_run_jobs(user=user, run=self.run)
        return {
            "run": self.run,
            "progress": progress,
            "chart_option": json.dumps(reads.statement_run_chart_option(progress), ensure_ascii=False),
            "jobs": [_job_context(jobs.get(kind), self.run) for kind in reads.JOB_KINDS if jobs.get(kind)],
            "may_prepare": user.has_role(*CAMPAIGNERS),
            "may_send": user.has_role(*STATEMENT_SENDERS),
        }


def _start(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    run = _run(pk)
    try:
        tasks.statement_job_start(actor=request.user, run=run, kind=kind)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("Started: its progress shows below."))
    return HttpResponseRedirect(run.get_absolute_url() + "#jobs")


@policy(*CAMPAIGNERS)
@require_POST
def statement_run_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    """Prepare every customer's statement in the background (a customer prepared before is skipped)."""
    return _start(request, pk, reads.JOB_PREPARE)


@policy(*CAMPAIGN_READERS)
@require_GET
def statement_job_progress(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    """One job's panel (HTMX polls it every second until the job ends)."""
    run = _run(pk)
    try:
        job = reads.statement_job_get(user=request.user, run=run, pk=job_pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(request, "receivables/statements/partials/job.html", {"panel": _job_context(job, run), "run": run})


@policy(*STATEMENT_SENDERS)
class StatementRunPdfsView(View):
    """Every statement's PDF in one zip, one file per customer: at once for a few, else a job (GET
    answers a page offering it; its POST starts the job)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run(pk)
        rows = reads.statement_run_statements(user=request.user, run=run).order_by("customer__name", "pk")
        count = rows.count()
        if count <= tasks.ZIP_INLINE_LIMIT:
            content = tasks.statements_zip(list(rows))
            return FileResponse(
                io.BytesIO(content),
                as_attachment=True,
                filename=tasks.zip_filename(run),
                content_type="application/zip",
            )
        context = {"run": run, "count": count, "limit": tasks.ZIP_INLINE_LIMIT}
        return render(request, "receivables/statements/run_pdfs.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _start(request, pk, reads.JOB_PDFS)


@policy(*STATEMENT_SENDERS)
@require_GET
def statement_job_download(request: HttpRequest, pk: int, job_pk: int) -> FileResponse:
    """A finished zip, to its requester only; 404 before it is done and once it was removed."""
    run = _run(pk)
    try:
        job = reads.statement_job_get(user=request.user, run=run, pk=job_pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if job.kind != reads.JOB_PDFS or job.state != "done" or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except OSError as exc:  # removed by the sweep since the state was read
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=tasks.zip_filename(run), content_type="application/zip"
    )
    response["Cache-Control"] = "no-store"
    return response


@policy(*STATEMENT_SENDERS)
class StatementRunEmailView(View):
    """E-mail all: the prepared statements whose customer has an invoice e-mail address go by
    e-mail (a job); the others are listed to send by hand."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run(pk)
        user: Any = request.user
        by_email = list(reads.statements_to_email(user=user, run=run)[:500])
        by_hand = list(reads.statements_to_send_by_hand(user=user, run=run)[:500])
        job = reads.statement_run_jobs(user=user, run=run).get(reads.JOB_EMAIL)
        context = {"run": run, "by_email": by_email, "by_hand": by_hand, "panel": _job_context(job, run)}
        return render(request, "receivables/statements/run_email.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _start(request, pk, reads.JOB_EMAIL)


# --- one statement: send, reply ------------------------------------------------------------------------


class _StatementFormPage(FormPage):
    """A form acting on one statement the reader sees (404 otherwise); the service decides the rest."""

    template_name = "receivables/statements/statement_form.html"
    form_errors = (InvalidInput, TransitionNotAllowed)
    heading: Any = ""
    intro: Any = ""
    testid = "statement-form"
    action = ""
    statement: Any = None

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.statement = get_or_404(selectors.statement_get_for, user=request.user, pk=pk)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request, **kwargs)
        if not STATEMENT_FLOW.allows(self.action, self.statement, request.user):
            messages.error(request, _("This statement cannot take this step now."))
            return HttpResponseRedirect(self.statement.get_absolute_url())
        return self.render_form(self.make_form())

    def form_error(self, form, exc: ApplicationError) -> ApplicationError:
        return form.service_error(exc) if isinstance(exc, InvalidInput) and hasattr(form, "service_error") else exc

    def cancel_url(self) -> str:
        return self.statement.get_absolute_url()

    def context(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "title": self.heading,
            "intro": self.intro,
            "testid": self.testid,
        }

    def success_message(self, result: Any) -> str:
        return _("%(number)s: %(state)s") % {"number": result.number, "state": result.get_state_display()}


@policy(*READERS)
class StatementSendView(_StatementFormPage):
    heading = gettext_lazy("Send the statement")
    intro = gettext_lazy(
        "Record how the statement went to the customer; the reply is expected within the campaign's working days."
    )
    testid = "send-form"
    action = "send"

    def make_form(self, data=None, files=None):
        initial = {}
        if self.statement.customer.invoice_email:
            initial = {"method": "email", "sent_to": self.statement.customer.invoice_email}
        return forms.StatementSendForm(data, initial=initial)

    def perform(self, form) -> Any:
        return statement_send(statement=self.statement, actor=self.request.user, **form.service_kwargs())


@policy(*READERS)
class StatementAgreeView(_StatementFormPage):
    heading = gettext_lazy("The customer agreed (相符)")
    intro = gettext_lazy("Attach the reply the customer stamped; the manager and finance are told.")
    testid = "agree-form"
    action = "agree"

    def make_form(self, data=None, files=None):
        return forms.AgreedReplyForm(data, files)

    def perform(self, form) -> Any:
        return statement_reply(statement=self.statement, actor=self.request.user, **form.service_kwargs())


@policy(*READERS)
class StatementDisagreeView(_StatementFormPage):
    heading = gettext_lazy("The customer disagreed (不符)")
    intro = gettext_lazy(
        "List each difference the customer reported: the entry, our figure, theirs and a note. "
        "The manager and finance are told."
    )
    testid = "disagree-form"
    action = "disagree"

    def make_form(self, data=None, files=None):
        source = data if data is not None else self.request.GET
        try:
            rows = int(source.get("rows") or forms.DIFFERENCE_ROWS)
        except ValueError:
            rows = forms.DIFFERENCE_ROWS
        return forms.DisagreedReplyForm(data, rows=rows)

    def perform(self, form) -> Any:
        return statement_reply(statement=self.statement, actor=self.request.user, **form.service_kwargs())


# --- replies overdue -------------------------------------------------------------------------------------


@policy(*READERS)
class UnansweredListView(ListPage):
    """Statements sent and not replied after their reply date: the salesperson chases them (R13)."""

    template_name = "receivables/statements/unanswered.html"
    partial_name = "receivables/statements/partials/unanswered_results.html"

    def rows(self) -> Any:
        return reads.unanswered_list(user=self.request.user)

    def listing(self) -> Listing:
        return reads.unanswered_listing(user=self.request.user)
