"""My tasks, and the generic document actions every detail page uses (act, comment, attach, print)."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET, require_POST

from salesops.core.errors import ApplicationError, NotFound
from salesops.core.pdf import pdf_response
from salesops.core.policy import AUTHENTICATED, policy
from salesops.core.views_generic import FormPage
from salesops.org.calendar import years_needing_entry
from salesops.org.models import User, active_holders
from salesops.org.roles import Role

from .approvals import with_pending_step
from .attachments import attachment_add
from .forms import PrintCopiesForm, copies_text
from .inbox import my_tasks
from .models import ApprovalStep, Notification, StepStatus
from .permissions import REROUTERS
from .printing import copies_chosen, copies_of, print_copies_set, printed_forms
from .registry import document_type
from .selectors import attachment_get_for, document_get_for, document_panel, notification_list, stuck_steps
from .services import comment_add, step_reroute


def _back(request: HttpRequest, doc) -> HttpResponseRedirect:
    return HttpResponseRedirect(_same_site(request, request.POST.get("next", "")) or doc.get_absolute_url())


@policy(AUTHENTICATED)
@require_GET
def my_tasks_view(request: HttpRequest) -> HttpResponse:
    tasks = my_tasks(request.user)
    unread = notification_list(user=request.user).filter(read_at__isnull=True)[:20]
    context = {"tasks": tasks, "notifications": unread, "calendar_years": calendar_alert(request.user)}
    return render(request, "workflow/my_tasks.html", context)


# Who is told, from 1 December, that next year's holiday arrangement is not entered yet.
CALENDAR_WATCHERS = (Role.ADMIN, Role.SALES_MANAGER, Role.BRANCH_MANAGER, Role.LEADERSHIP)


def calendar_alert(user) -> list[int]:
    """The years whose official holiday arrangement admin and managers should see is missing
    (their deadlines are provisional, 预计); empty for everyone else."""
    if not user.has_role(*CALENDAR_WATCHERS):
        return []
    return years_needing_entry(timezone.localdate())


@policy(AUTHENTICATED)
@require_POST
def step_decide(request: HttpRequest, step_id: int) -> HttpResponse:
    """Approve or reject from My tasks, in place (HTMX swaps the row with the outcome and the count).

    A pending step on a document the user cannot see answers exactly as a step that does not
    exist: step ids are sequential, so a different answer would let anyone count the company's
    pending approvals (issue 7, item 6).
    """
    decision = request.POST.get("decision", "")
    comment = request.POST.get("comment", "")
    step = ApprovalStep.objects.filter(pk=step_id, status=StepStatus.PENDING).first()
    outcome, error, doc = "", "", None
    try:
        if step is None or decision not in ("approve", "reject"):
            raise NotFound(_("This approval is no longer waiting."))
        content_type = ContentType.objects.get_for_id(step.content_type_id)
        label = f"{content_type.app_label}.{content_type.model}"
        try:
            doc = document_get_for(user=request.user, label=label, pk=step.object_id)
        except NotFound:
            raise NotFound(_("This approval is no longer waiting.")) from None
        entry = document_type(label)
        # Each flow names its decisions in its own words (confirm, instruct, overrule...).
        action = entry.flow.decision_action(decision, doc.state)
        if action is None:
            raise NotFound(_("This approval is no longer waiting."))
        # The step read above goes with the document: the decision need not read it again.
        doc = entry.act(with_pending_step(doc, step), action, actor=request.user, comment=comment)
        outcome = doc.get_state_display()
    except ApplicationError as exc:
        error = exc.message
    context = {"outcome": outcome, "error": error, "doc": doc, "decision": decision, "step_id": step_id}
    if getattr(request, "htmx", False):
        context["task_count"] = len(my_tasks(request.user))
        return render(request, "workflow/partials/task_outcome.html", context)
    if error or doc is None:
        messages.error(request, error)
    else:
        messages.success(request, _("%(number)s: %(state)s") % {"number": doc.number, "state": outcome})
    return HttpResponseRedirect(_same_site(request, request.POST.get("next", "")) or "/tasks/")


def signed_in(request: HttpRequest) -> User:
    """The signed-in user of a route behind ``@policy`` (which refuses anonymous callers)."""
    return cast(User, request.user)


def _same_site(request: HttpRequest, target: str) -> str:
    """``target`` when it is a path on this site, else "" (never a redirect to another host).

    Only a path (``/...``) is taken, never a full URL, even one naming this host: the host a
    request names is the client's word.
    """
    is_path = target.startswith("/") and not target.startswith(("//", "/\\"))
    if is_path and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@policy(AUTHENTICATED)
@require_POST
def document_act(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    doc = document_get_for(user=request.user, label=label, pk=pk)
    action = request.POST.get("action", "")
    try:
        doc = document_type(label).act(doc, action, actor=request.user, comment=request.POST.get("comment", ""))
        messages.success(request, _("%(number)s: %(state)s") % {"number": doc.number, "state": doc.get_state_display()})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(request, doc)


@policy(AUTHENTICATED)
@require_POST
def document_comment(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    doc = document_get_for(user=request.user, label=label, pk=pk)
    try:
        comment_add(doc, actor=signed_in(request), text=request.POST.get("text", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(request, doc)


@policy(AUTHENTICATED)
@require_POST
def document_attach(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    doc = document_get_for(user=request.user, label=label, pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to upload."))
        return _back(request, doc)
    try:
        attachment_add(doc, actor=request.user, upload=upload)
        messages.success(request, _("File attached."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(request, doc)


@policy(AUTHENTICATED)
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = attachment_get_for(user=request.user, pk=pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )


@policy(AUTHENTICATED)
@require_GET
def document_print(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    """The printed form as a PDF: on ``?size=`` (one of the type's papers; its default when absent)
    and, for a multi-part form, one set of pages per copy (``?copies=2,4``: those only)."""
    entry = document_type(label)
    doc = document_get_for(user=request.user, label=label, pk=pk)
    if not entry.print_template:
        raise NotFound(_("This document has no printed form."))
    paper = entry.paper(request.GET.get("size", ""))
    copies = copies_chosen(entry, request.GET.getlist("copies"))
    stamped = entry.prints_stamped(doc)
    return pdf_response(
        entry.print_template,
        {"doc": doc, **document_panel(doc, user=request.user)},
        filename=f"{doc.number}.pdf",
        stamped=stamped,
        draft=not stamped,
        paper=paper,
        copies=copies,
    )


@policy(Role.ADMIN)
class PrintCopiesListView(View):
    """The printed forms and the copies (联) each comes out in: the company's, or the type's defaults."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "workflow/print_copies.html", {"forms": printed_forms()})


@policy(Role.ADMIN)
class PrintCopiesEditView(FormPage):
    """Set the copies of one printed form (``workflow.printing.print_copies_set``)."""

    def load(self, request: HttpRequest, **kwargs: Any) -> None:
        self.entry = document_type(kwargs["label"])
        if not self.entry.print_template:
            raise NotFound(_("This document has no printed form."))
        kind = self.entry.model._meta.verbose_name
        self.title = _("Copies of the printed %(kind)s") % {"kind": kind}

    def make_form(self, data=None, files=None):
        return PrintCopiesForm(data, initial={"copies": copies_text(copies_of(self.entry))})

    def perform(self, form):
        return print_copies_set(
            actor=signed_in(self.request), doc_type=self.entry.label, copies=form.cleaned_data["copies"]
        )

    def context(self) -> dict[str, Any]:
        defaults = copies_text(list(self.entry.print_copies)).replace("\n", " · ")
        return {"subtitle": _("Default copies: %(copies)s") % {"copies": defaults or _("none (one plain copy)")}}

    def success_url(self, result) -> str:
        return reverse("workflow:print-copies")

    def success_message(self, result) -> str:
        return _("The copies of the printed form are saved.")

    def cancel_url(self) -> str:
        return reverse("workflow:print-copies")


@policy(*REROUTERS)
def stuck_steps_view(request: HttpRequest) -> HttpResponse:
    """Approvals waiting longer than N working days, and handing one to someone else (audited)."""
    try:
        days = min(max(int(request.GET.get("days", "2")), 0), 365)
    except ValueError:
        days = 2
    errors: dict = {}
    if request.method == "POST":
        try:
            step_id, approver = request.POST.get("step", ""), request.POST.get("approver", "")
            step_reroute(
                step_id=int(step_id) if step_id.isdecimal() and len(step_id) < 19 else 0,
                actor=signed_in(request),
                approver_id=int(approver) if approver.isdecimal() and len(approver) < 19 else None,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("The approval was handed over."))
            return HttpResponseRedirect(f"{request.path}?days={days}")
        except ApplicationError as exc:
            messages.error(request, exc.message)
            errors = {"step": request.POST.get("step", ""), "fields": exc.extra.get("fields", {})}
    rows = stuck_steps(user=request.user, min_working_days=days)
    deciders = active_holders(Role.SALES_MANAGER, Role.BRANCH_MANAGER, Role.LEADERSHIP)
    return render(
        request, "workflow/stuck_steps.html", {"rows": rows, "days": days, "deciders": deciders, "errors": errors}
    )


@policy(AUTHENTICATED)
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(user=signed_in(request), read_at__isnull=True).update(read_at=timezone.now())
    return HttpResponseRedirect("/tasks/")
