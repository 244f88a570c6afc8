"""Reads of the kernel's rows for one document, scoped through the document itself."""

from django.contrib.contenttypes.models import ContentType

from salesops.core.errors import NotFound

from . import approvals
from .models import Attachment, Comment, DocumentEvent, Notification
from .registry import document_type


def document_get_for(*, user, label: str, pk: int):
    """The document if the user may see it; 404 otherwise (its existence is not revealed)."""
    entry = document_type(label)
    doc = entry.model.objects.visible_to(user).filter(pk=pk).first()
    if doc is None:
        raise NotFound("Document not found.")
    return doc


def document_panel(doc, *, user) -> dict:
    """Everything the document panel shows: steps, history, comments, attachments, allowed actions."""
    from .registry import document_type_of

    content_type = ContentType.objects.get_for_model(doc)
    steps = approvals.steps_of(doc)
    pending = next((s for s in steps if s.status == "pending"), None)
    flow = document_type_of(doc).flow
    return {
        "doc": doc,
        "doc_label": doc._meta.label_lower,
        "steps": steps,
        "pending_step": pending,
        "events": DocumentEvent.objects.filter(content_type=content_type, object_id=doc.pk).select_related("actor"),
        "comments": Comment.objects.filter(content_type=content_type, object_id=doc.pk).select_related("author"),
        "attachments": Attachment.objects.filter(content_type=content_type, object_id=doc.pk).select_related(
            "uploaded_by"
        ),
        "actions": flow.actions_for(doc, user, pending_step=pending),
    }


def attachment_get_for(*, user, pk: int) -> Attachment:
    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if attachment is None:
        raise NotFound("Not found.")
    model = attachment.content_type.model_class()
    if model is None or not model.objects.visible_to(user).filter(pk=attachment.object_id).exists():
        raise NotFound("Not found.")
    return attachment


def notification_list(*, user):
    return Notification.objects.filter(user=user)
