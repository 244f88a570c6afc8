"""Payment requests (付款申请表, W5.2-5.4): the salesperson asks the customer for what is open on
their invoices (or an order's prepayment); the sales manager and finance confirm; the request is
printed with the stamp and sent, and the sending is recorded."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput
from salesops.core.policy import require
from salesops.org.models import User
from salesops.workflow.registry import services_taking
from salesops.workflow.services import document_create, transition

from ..models import InvoiceBalance, InvoiceState, OrderAccount, PaymentRequest, PaymentRequestLine, SendMethod
from ..permissions import REQUESTERS
from ..workflows import PAYMENT_REQUEST_FLOW
from .receipts import money


@dataclass(frozen=True)
class Asked:
    """One amount asked for: on an invoice, or on an order's account (a prepayment)."""

    amount: Any
    invoice_id: int | None = None
    order_id: int | None = None


@transaction.atomic
def payment_request_create(
    *, actor: User, customer_id: int, pay_by: datetime.date, lines: Sequence[Asked], note: str = ""
) -> PaymentRequest:
    """A request to the customer for amounts open on their invoices or orders; each line at most
    what is open now."""
    from salesops.customers.selectors import customer_to_act_on

    require(actor, *REQUESTERS)
    customer = customer_to_act_on(user=actor, pk=customer_id)
    errors: dict[str, list[str]] = {}
    if not isinstance(pay_by, datetime.date) or pay_by < timezone.localdate():
        errors["pay_by"] = [_("A date from today on.")]
    if not lines:
        errors["lines"] = [_("Add at least one line.")]
    rows = []
    asked_on: dict[tuple[str, int], Decimal] = {}  # what the earlier lines asked of the same invoice or order
    for index, asked in enumerate(lines or ()):
        where = f"lines.{index}"
        try:
            amount = money(asked.amount, f"{where}.amount")
        except InvalidInput as exc:
            errors.update(exc.extra["fields"])
            continue
        if asked.invoice_id is not None:
            balance = (
                InvoiceBalance.objects.select_related("invoice")
                .filter(
                    invoice_id=asked.invoice_id,
                    invoice__customer=customer,
                    invoice__red_of__isnull=True,
                    invoice__state=InvoiceState.ISSUED,
                )
                .first()
            )
            before = asked_on.get(("invoice", asked.invoice_id), Decimal("0"))
            if balance is None:
                errors[f"{where}.invoice_id"] = [_("An issued invoice of this customer.")]
            elif before + amount > balance.open_amount:
                left = balance.open_amount - before
                errors[f"{where}.amount"] = [_("Only %(open)s is open on this invoice.") % {"open": left}]
            else:
                asked_on[("invoice", asked.invoice_id)] = before + amount
                rows.append(PaymentRequestLine(invoice=balance.invoice, amount=amount, due_on=balance.invoice.due_on))
        elif asked.order_id is not None:
            account = OrderAccount.objects.filter(pk=asked.order_id, customer=customer).first()
            before = asked_on.get(("order", asked.order_id), Decimal("0"))
            if account is None:
                errors[f"{where}.order_id"] = [_("An order of this customer.")]
            elif before + amount > account.total - account.prepaid:
                left = account.total - account.prepaid - before
                errors[f"{where}.amount"] = [_("Only %(open)s of the order is unpaid.") % {"open": left}]
            else:
                asked_on[("order", asked.order_id)] = before + amount
                rows.append(PaymentRequestLine(order=account, amount=amount))
        else:
            errors[f"{where}.invoice_id"] = [_("Name one invoice or one order.")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    request = document_create(
        PaymentRequest,
        flow=PAYMENT_REQUEST_FLOW,
        actor=actor,
        owner=actor,
        customer=customer,
        pay_by=pay_by,
        note=(note or "").strip(),
        total_amount=sum((row.amount for row in rows), Decimal("0")),
    )
    for row in rows:
        row.request = request
    PaymentRequestLine.objects.bulk_create(rows)
    return request


def payment_request_submit(*, request: PaymentRequest, actor: User, comment: str = "") -> PaymentRequest:
    return transition(PAYMENT_REQUEST_FLOW, request, "submit", actor=actor, comment=comment, related=("customer",))


def payment_request_approve(*, request: PaymentRequest, actor: User, comment: str = "") -> PaymentRequest:
    return transition(PAYMENT_REQUEST_FLOW, request, "approve", actor=actor, comment=comment, related=("customer",))


def payment_request_cancel(*, request: PaymentRequest, actor: User, reason: str) -> PaymentRequest:
    return transition(PAYMENT_REQUEST_FLOW, request, "cancel", actor=actor, comment=reason, comment_field="reason")


def payment_request_send(*, request: PaymentRequest, actor: User, method: str, sent_to: str) -> PaymentRequest:
    """Record that the confirmed request went to the customer (W5.4): how and to whom."""
    errors: dict[str, list[str]] = {}
    if method not in SendMethod.values or method == SendMethod.TAX_ACCOUNT:
        errors["method"] = [_("Choose how it was sent.")]
    if not (sent_to or "").strip():
        errors["sent_to"] = [_("Say to whom (a name, an address or a number).")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    return transition(
        PAYMENT_REQUEST_FLOW,
        request,
        "send",
        actor=actor,
        values={"sent_by": method, "sent_to": sent_to.strip()[:200], "sent_at": timezone.now()},
    )


PAYMENT_REQUEST_SERVICES = services_taking(
    "request",
    {
        "submit": payment_request_submit,
        "approve": payment_request_approve,
        "cancel": (payment_request_cancel, "reason"),
    },
)
