"""Reads of the kernel's rows for one document, scoped through the document itself."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from salesops.core.errors import NotFound

from . import approvals
from .models import Attachment, Comment, DocumentEvent, Notification
from .registry import document_type


def document_get_for(*, user, label: str, pk: int):
    """The document if the user may see it; 404 otherwise (its existence is not revealed)."""
    entry = document_type(label)
    doc = entry.model.objects.visible_to(user).filter(pk=pk).first()
    if doc is None:
        raise NotFound(_("Document not found."))
    return doc


def document_panel(doc, *, user) -> dict:
    """Everything the document panel shows: steps, history, comments, attachments, allowed actions."""
    from .registry import document_type_of
    from .related import sections_for

    content_type = ContentType.objects.get_for_model(doc)
    steps = approvals.steps_of(doc)
    pending = next((s for s in steps if s.status == "pending"), None)
    flow = document_type_of(doc).flow
    events = list(DocumentEvent.objects.filter(content_type=content_type, object_id=doc.pk).select_related("actor"))
    label_events(events, state_labels=dict(type(doc)._meta.get_field("state").choices), flow=flow)
    return {
        "doc": doc,
        "doc_label": doc._meta.label_lower,
        "steps": steps,
        "pending_step": pending,
        "events": events,
        "comments": Comment.objects.filter(content_type=content_type, object_id=doc.pk).select_related("author"),
        "attachments": Attachment.objects.filter(content_type=content_type, object_id=doc.pk).select_related(
            "uploaded_by"
        ),
        "actions": flow.offered(doc, user, pending_step=pending),
        "related_sections": sections_for(doc, user),
    }


KERNEL_ACTIONS = {
    "create": _("created"),
    "edit": _("edited"),
    "comment": _("commented"),
    "attach": _("attached a file"),
    "export": _("exported"),
    "reassign": _("reassigned"),
}


def label_events(events, *, state_labels: dict, flow=None) -> None:
    """Give each event readable ``action_label``, ``from_label`` and ``to_label`` for display."""
    flow_labels = {name: t.label for name, t in flow.transitions.items()} if flow else {}
    for event in events:
        event.action_label = flow_labels.get(event.action) or KERNEL_ACTIONS.get(event.action, event.action)
        event.from_label = state_labels.get(event.from_state, event.from_state)
        event.to_label = state_labels.get(event.to_state, event.to_state)


def attachment_get_for(*, user, pk: int) -> Attachment:
    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if attachment is None:
        raise NotFound(_("Not found."))
    model: Any = attachment.content_type.model_class()
    if model is None or not model.objects.visible_to(user).filter(pk=attachment.object_id).exists():
        raise NotFound(_("Not found."))
    return attachment


def notification_list(*, user):
    return Notification.objects.filter(user=user)


def stuck_steps(*, user, min_working_days: int, limit: int = 200) -> list[dict]:
    """Approval steps pending for more than ``min_working_days`` working days, longest first, with
    their document and who may decide them now (for leadership and the administrator only)."""
    import datetime

    from django.utils import timezone

    from salesops.org.calendar import working_days_between

    from .models import ApprovalStep, StepStatus
    from .permissions import REROUTERS

    if not user.has_role(*REROUTERS):
        raise NotFound(_("Not found."))
    today = timezone.localdate()
    # A step needs at least that many calendar days to have waited that many working days.
    before = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min)) - datetime.timedelta(
        days=max(min_working_days - 1, 0)
    )
    steps = list(
        ApprovalStep.objects.filter(status=StepStatus.PENDING, pending_since__lt=before)
        .select_related("approver", "content_type")
        .prefetch_related("document")
        .order_by("pending_since")[:limit]
    )
    rows, waited_by_day = [], {}
    for step in steps:
        day = timezone.localtime(step.pending_since).date()
        if day not in waited_by_day:
            waited_by_day[day] = working_days_between(day, today)
        if waited_by_day[day] > min_working_days and step.document is not None:
            rows.append({"step": step, "doc": step.document, "waited": waited_by_day[day]})
    return rows
