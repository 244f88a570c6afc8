"""My tasks, and the generic document actions every detail page uses (act, comment, attach, print)."""

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from salesops.core.errors import ApplicationError, NotFound
from salesops.core.pdf import pdf_response
from salesops.core.policy import AUTHENTICATED, policy

from .attachments import attachment_add
from .inbox import my_tasks
from .models import ApprovalStep, Notification, StepStatus
from .registry import document_type
from .selectors import attachment_get_for, document_get_for, document_panel, notification_list
from .services import comment_add


def _back(request: HttpRequest, doc) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(doc.get_absolute_url())


@policy(AUTHENTICATED)
@require_GET
def my_tasks_view(request: HttpRequest) -> HttpResponse:
    tasks = my_tasks(request.user)
    unread = notification_list(user=request.user).filter(read_at__isnull=True)[:20]
    return render(request, "workflow/my_tasks.html", {"tasks": tasks, "notifications": unread})


@policy(AUTHENTICATED)
@require_POST
def step_decide(request: HttpRequest, step_id: int) -> HttpResponse:
    """Approve or reject from My tasks, in place (HTMX swaps the row with the outcome)."""
    decision = request.POST.get("decision", "")
    comment = request.POST.get("comment", "")
    step = ApprovalStep.objects.select_related("content_type").filter(pk=step_id, status=StepStatus.PENDING).first()
    outcome, error, doc = "", "", None
    try:
        if step is None or decision not in ("approve", "reject"):
            raise NotFound(_("This approval is no longer waiting."))
        label = step.content_type.app_label + "." + step.content_type.model
        doc = document_get_for(user=request.user, label=label, pk=step.object_id)
        doc = document_type(label).act(doc, decision, actor=request.user, comment=comment)
        outcome = doc.get_state_display()
    except ApplicationError as exc:
        error = exc.message
    context = {"outcome": outcome, "error": error, "doc": doc, "decision": decision, "step_id": step_id}
    if request.htmx:
        return render(request, "workflow/partials/task_outcome.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("%(number)s: %(state)s") % {"number": doc.number, "state": outcome})
    return HttpResponseRedirect(request.POST.get("next") or "/tasks/")


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
        comment_add(doc, actor=request.user, text=request.POST.get("text", ""))
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
    entry = document_type(label)
    doc = document_get_for(user=request.user, label=label, pk=pk)
    if not entry.print_template:
        raise NotFound(_("This document has no printed form."))
    return pdf_response(
        entry.print_template, {"doc": doc, **document_panel(doc, user=request.user)}, filename=f"{doc.number}.pdf"
    )


@policy(AUTHENTICATED)
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return HttpResponseRedirect("/tasks/")
