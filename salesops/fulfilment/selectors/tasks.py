"""What waits for whom in delivery (My tasks): the sales office's requisitions to issue and archive,
red notes to issue and confirmations to archive; the warehouse's notes to ship and red notes to
receive; the salesperson's shipments awaiting the customer's confirmation, follow-ups and returns
to check; the technical department's returns to verify; the manager's returns to confirm in red.
A bounded number of queries per user, whatever the data."""

from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from salesops.org.roles import Role
from salesops.workflow.inbox import TaskItem, document_task

from ..models import (
    Confirmation,
    ConfirmationState,
    DeliveryNote,
    NoteState,
    Outbound,
    OutboundState,
    RedNote,
    RedNoteState,
    Requisition,
    RequisitionState,
    ReturnKind,
    ReturnRequest,
    ReturnState,
)

TASK_LIMIT = 50


def _tasks(kind: str, rows: Any, label: str, since: str = "updated_at") -> list[TaskItem]:
    return [
        document_task(kind, doc, since=getattr(doc, since), detail=f"{label} · {doc.task_summary()}")
        for doc in rows[:TASK_LIMIT]
    ]


def office_tasks(user) -> list[TaskItem]:
    if not user.has_role(Role.BACK_OFFICE):
        return []
    approved = Requisition.objects.visible_to(user).filter(state=RequisitionState.APPROVED).select_related("customer")
    # An approved requisition with something not yet on a note: issue it; everything else: archive it.
    to_issue = approved.filter(lines__noted__lt=F("lines__quantity")).distinct().order_by("approved_at", "pk")
    to_archive = approved.exclude(pk__in=to_issue.values("pk")).order_by("approved_at", "pk")
    red = ReturnRequest.objects.visible_to(user).filter(state=ReturnState.RED_CONFIRMED).select_related("customer")
    exchanges = (
        ReturnRequest.objects.visible_to(user)
        .filter(kind=ReturnKind.EXCHANGE, state__in=(ReturnState.RED_ISSUED, ReturnState.DONE))
        .filter(lines__noted__lt=F("lines__quantity"))
        .distinct()
        .select_related("customer")
    )
    confirmations = Confirmation.objects.visible_to(user).filter(state=ConfirmationState.RECORDED)
    return [
        *_tasks("issue_note", to_issue, _("Issue the delivery note")),
        *_tasks("archive", to_archive, _("Archive the requisition")),
        *_tasks("issue_red", red, _("Issue the red outbound note")),
        *_tasks("issue_note", exchanges, _("Issue the exchange's delivery note")),
        *_tasks("archive", confirmations.select_related("customer"), _("Archive the customer confirmation")),
    ]


def warehouse_tasks(user) -> list[TaskItem]:
    if not user.has_role(Role.WAREHOUSE):
        return []
    notes = (
        DeliveryNote.objects.visible_to(user)
        .filter(state__in=(NoteState.ISSUED, NoteState.PARTLY))
        .select_related("customer")
        .order_by("created_at", "pk")
    )
    red = (
        RedNote.objects.visible_to(user).filter(state=RedNoteState.ISSUED).select_related("customer", "return_request")
    )
    return [
        *_tasks("ship", notes, _("Ship (copy 2)"), since="created_at"),
        *_tasks("receive", red.order_by("created_at", "pk"), _("Receive the returned goods"), since="created_at"),
    ]


def salesperson_tasks(user) -> list[TaskItem]:
    """The user's own: shipments without the customer's confirmation, follow-ups, returns to check."""
    if not user.has_role(Role.SALESPERSON, Role.SALES_MANAGER, Role.BRANCH_MANAGER):
        return []
    unconfirmed = Outbound.objects.filter(owner=user, state=OutboundState.SHIPPED).select_related("customer")
    follow_ups = Confirmation.objects.filter(owner=user, follow_up_open=True).select_related("customer")
    to_check = ReturnRequest.objects.filter(owner=user, state=ReturnState.CONFIRMED).select_related("customer")
    return [
        *_tasks("confirm", unconfirmed.order_by("shipped_on", "pk"), _("Get the customer's signed confirmation")),
        *_tasks("follow_up", follow_ups.order_by("created_at"), _("Follow up the discrepancy")),
        *_tasks("check", to_check.order_by("updated_at"), _("Check the returned goods")),
    ]


def technical_tasks(user) -> list[TaskItem]:
    if not user.has_role(Role.TECHNICAL):
        return []
    rows = ReturnRequest.objects.visible_to(user).filter(state=ReturnState.CHECKED).select_related("customer")
    return _tasks("verify", rows.order_by("updated_at"), _("Verify the returned goods"))


def manager_tasks(user) -> list[TaskItem]:
    """Verified returns of the manager's people, to confirm in red (W8.4)."""
    if not user.has_role(Role.SALES_MANAGER, Role.BRANCH_MANAGER, Role.LEADERSHIP):
        return []
    rows = (
        ReturnRequest.objects.visible_to(user)
        .filter(state=ReturnState.VERIFIED)
        .exclude(owner=user)
        .select_related("customer")
    )
    return _tasks("confirm_red", rows.order_by("updated_at"), _("Confirm the return in red"))


TASK_SOURCES = (office_tasks, warehouse_tasks, salesperson_tasks, technical_tasks, manager_tasks)
