"""What waits for whom on the money side (My tasks): finance's reviewed invoice requests to invoice
and receipts with something left to allocate; the sales office's invoiced requests to archive
(R10); the salesperson's confirmed payment requests to send to the customer. Approvals come from
the kernel, and so do requests returned to their owner to fix. A bounded number of queries per
user, whatever the data."""

from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from salesops.org.roles import Role
from salesops.workflow.inbox import TaskItem, document_task

from ..models import InvoiceRequest, InvoiceRequestState, PaymentRequest, PaymentRequestState, Receipt, ReceiptState
from ..permissions import REQUESTERS

TASK_LIMIT = 50


def _tasks(kind: str, rows: Any, label: str, since: str = "updated_at") -> list[TaskItem]:
    return [
        document_task(kind, doc, since=getattr(doc, since), detail=f"{label} · {doc.task_summary()}")
        for doc in rows[:TASK_LIMIT]
    ]


def finance_tasks(user) -> list[TaskItem]:
    if not user.has_role(Role.FINANCE):
        return []
    to_invoice = (
        InvoiceRequest.objects.visible_to(user)
        .filter(state=InvoiceRequestState.APPROVED)
        .select_related("customer")
        .order_by("updated_at", "pk")
    )
    to_allocate = (
        Receipt.objects.visible_to(user)
        .filter(state=ReceiptState.RECORDED, balance__amount__gt=F("balance__allocated"))
        .select_related("customer")
        .order_by("received_on", "pk")
    )
    return [
        *_tasks("invoice", to_invoice, _("Issue and record the invoice")),
        *_tasks("allocate", to_allocate, _("Allocate the rest of the receipt"), since="created_at"),
    ]


def office_tasks(user) -> list[TaskItem]:
    if not user.has_role(Role.BACK_OFFICE):
        return []
    rows = (
        InvoiceRequest.objects.visible_to(user)
        .filter(state=InvoiceRequestState.INVOICED)
        .select_related("customer")
        .order_by("updated_at", "pk")
    )
    return _tasks("archive", rows, _("Archive the invoice request"))


def salesperson_tasks(user) -> list[TaskItem]:
    """The user's own confirmed payment requests, to print and send to the customer (W5.4)."""
    if not user.has_role(*REQUESTERS):
        return []
    rows = (
        PaymentRequest.objects.filter(owner=user, state=PaymentRequestState.APPROVED)
        .select_related("customer")
        .order_by("updated_at", "pk")
    )
    return _tasks("send", rows, _("Send the payment request to the customer"))


TASK_SOURCES = (finance_tasks, office_tasks, salesperson_tasks)
