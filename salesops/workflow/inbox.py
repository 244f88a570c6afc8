"""My tasks (我的待办): pending approvals plus what each app registers as waiting for a user.

An app registers a source in its ``AppConfig.ready``: a function taking the user
and returning ``TaskItem`` rows (a bounded number of queries, whatever the data).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from .models import ApprovalStep, StepStatus


@dataclass
class TaskItem:
    kind: str
    title: str
    url: str
    since: datetime.datetime | None
    number: str = ""
    step_id: int | None = None
    detail: str = ""


def document_task(kind: str, doc, *, since, detail: str = "", step_id: int | None = None) -> TaskItem:
    """A task about one document: "<type>: <number>", linking to it."""
    return TaskItem(
        kind=kind,
        title=f"{doc._meta.verbose_name}: {doc}",
        url=doc.get_absolute_url(),
        since=since,
        number=doc.number,
        step_id=step_id,
        detail=detail,
    )


_sources: list[Callable[[object], list[TaskItem]]] = []


def register_task_source(source: Callable[[object], list[TaskItem]]) -> None:
    if source not in _sources:
        _sources.append(source)


def pending_steps_for(user):
    """Approval steps that wait for this user now (named approver, or open to one of the user's roles)."""
    return (
        ApprovalStep.objects.filter(status=StepStatus.PENDING)
        .filter(Q(approver=user) | Q(approver__isnull=True, role__in=list(user.roles)))
        .select_related("content_type")
        .order_by("pending_since")
    )


def approval_tasks(user, *, limit: int = 200) -> list[TaskItem]:
    steps = list(pending_steps_for(user)[:limit])
    by_type: dict[int, list[ApprovalStep]] = {}
    for step in steps:
        by_type.setdefault(step.content_type_id, []).append(step)
    items = []
    for type_id, type_steps in by_type.items():
        model: Any = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        # Only documents the approver may see are listed; one query per document type.
        docs = model.objects.visible_to(user).in_bulk([s.object_id for s in type_steps])
        # Open steps are shown only to those who may decide them: who may not is read once per type.
        open_docs = [docs[s.object_id] for s in type_steps if s.approver_id is None and s.object_id in docs]
        if open_docs:
            model.load_approval_context(open_docs)
        for step in type_steps:
            doc = docs.get(step.object_id)
            if doc is None or (step.approver_id is None and user.pk in doc.excluded_approver_ids()):
                continue
            detail = _with_reason(doc.task_summary(), step.reason_label)
            items.append(document_task("approval", doc, since=step.pending_since, detail=detail, step_id=step.pk))
    return items


def returned_tasks(user, *, limit: int = 50) -> list[TaskItem]:
    """The user's documents an approver sent back to fix and resubmit: one query per document type."""
    from .registry import all_document_types

    items = []
    for entry in all_document_types():
        state = entry.flow.returned_state
        if state is None:
            continue
        for doc in entry.model.objects.filter(owner=user, state=state).order_by("-updated_at")[:limit]:
            items.append(document_task("returned", doc, since=doc.updated_at, detail=doc.task_summary()))
    return items


def _with_reason(summary: str, reason: str) -> str:
    return f"{summary} · {reason}" if summary and reason else summary or reason


def my_tasks(user) -> list[TaskItem]:
    items = approval_tasks(user) + returned_tasks(user)
    for source in _sources:
        items.extend(source(user))
    items.sort(key=lambda item: item.since or datetime.datetime.max.replace(tzinfo=datetime.UTC))
    return items
