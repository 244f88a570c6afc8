"""Receipts (W5.5) and their allocation to invoices or orders.

Finance records what a customer paid; the receipt is allocated oldest invoice first (by due date)
unless finance names the targets. Each allocation moves three counters, each with one conditional
UPDATE (the receipt's unallocated amount, the invoice's open amount or the order's unpaid total),
so no receipt is allocated twice over and no invoice is paid above its open amount, whoever allocates
at the same time. An allocation is reversed with a reason, never deleted.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core import counters
from salesops.core.errors import InvalidInput, NotFound, TransitionNotAllowed
from salesops.core.policy import require
from salesops.org.models import User
from salesops.org.roles import Role
from salesops.workflow.registry import services_taking
from salesops.workflow.services import document_create, events_together, record_event, transition

from ..models import (
    Allocation,
    Invoice,
    InvoiceBalance,
    InvoiceState,
    OrderAccount,
    Receipt,
    ReceiptBalance,
    ReceiptMethod,
    ReceiptState,
)
from ..permissions import FINANCE
from ..workflows import RECEIPT_FLOW

FEN = Decimal("0.01")


@dataclass(frozen=True)
class Target:
    """Where part of a receipt goes: an invoice, or a contract or phone order (a prepayment)."""

    amount: Any
    invoice_id: int | None = None
    contract_id: int | None = None
    phone_order_id: int | None = None


def _is_sales_staff(user_id: Any) -> bool:
    """Money is collected from a customer by the sales staff (R2): an active salesperson or manager."""
    from salesops.org.models import UserRole

    if not isinstance(user_id, int):
        return False
    return UserRole.objects.filter(
        user_id=user_id, user__is_active=True, role__in=(Role.SALESPERSON, Role.SALES_MANAGER, Role.BRANCH_MANAGER)
    ).exists()


def refuse_closed_day(day: datetime.date, field: str = "received_on") -> None:
    """A receipt dated in a closed day (R11) is refused until finance reopens the day."""
    from ..models import DailyCheck, DailyCheckState

    if DailyCheck.objects.filter(day=day, state=DailyCheckState.CLOSED).exists():
        raise InvalidInput(
            _("Please correct the errors below."),
            fields={field: [_("%(day)s is checked and closed: finance reopens it first.") % {"day": day}]},
        )


def money(value: Any, field: str) -> Decimal:
    """A positive amount to the fen, or a field error."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0 or amount != amount.quantize(FEN):
        raise InvalidInput(
            _("Please correct the errors below."), fields={field: [_("A positive amount in yuan, to the fen.")]}
        )
    return amount


@transaction.atomic
@events_together()
def receipt_record(
    *,
    actor: User,
    customer_id: int,
    received_on: datetime.date,
    method: str,
    amount: Any,
    payer: str = "",
    reference: str = "",
    note: str = "",
    collected_by_id: int | None = None,
    collected_on: datetime.date | None = None,
    allocate: str | Sequence[Target] = "oldest",
) -> Receipt:
    """Record money received and allocate it: ``"oldest"`` (open invoices, earliest due first),
    ``"none"`` (left unallocated), or the ``Target`` list finance chose."""
    from salesops.customers.selectors import customer_to_act_on

    require(actor, *FINANCE)
    customer = customer_to_act_on(user=actor, pk=customer_id)
    errors: dict[str, list[str]] = {}
    if method not in ReceiptMethod.values:
        errors["method"] = [_("Choose how the money came.")]
    if not isinstance(received_on, datetime.date):
        errors["received_on"] = [_("Enter the date the money arrived.")]
    elif received_on > timezone.localdate():
        errors["received_on"] = [_("Money is not received in the future.")]
    if (collected_by_id is None) != (collected_on is None):
        errors["collected_on"] = [_("Name both the salesperson who collected it and the day.")]
    elif collected_by_id is not None and not _is_sales_staff(collected_by_id):
        errors["collected_by_id"] = [_("Choose an active salesperson.")]
    elif collected_on is not None and isinstance(received_on, datetime.date) and collected_on > received_on:
        errors["collected_on"] = [_("Collected on or before the day the company received it.")]
    try:
        value = money(amount, "amount")
    except InvalidInput as exc:
        errors.update(exc.extra["fields"])
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    refuse_closed_day(received_on)
    receipt = document_create(
        Receipt,
        flow=RECEIPT_FLOW,
        actor=actor,
        owner=customer.owner,
        customer=customer,
        received_on=received_on,
        method=method,
        amount=value,
        payer=(payer or "").strip(),
        reference=(reference or "").strip(),
        note=(note or "").strip(),
        collected_by_id=collected_by_id,
        collected_on=collected_on,
        recorded_by=actor,
    )
    # The receipt's balance is written once, with what its first allocation takes.
    if allocate == "oldest":
        _allocate_oldest_first(receipt, actor=actor, unallocated=value, fresh=True)
    elif allocate != "none":
        _allocate(receipt, list(allocate), actor=actor, fresh=True)
    else:
        ReceiptBalance.objects.create(receipt=receipt, amount=value)
    return receipt


def _receipt_for(actor: User, receipt: Receipt | int) -> Receipt:
    pk = receipt if isinstance(receipt, int) else receipt.pk
    # Locked, as voiding locks it: a receipt is not allocated while it is being voided.
    found = (
        Receipt.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("customer")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("Receipt not found."))
    if found.state != ReceiptState.RECORDED:
        raise TransitionNotAllowed(_("A voided receipt is not allocated."))
    return found


@transaction.atomic
def receipt_allocate(*, actor: User, receipt: Receipt | int, targets: Sequence[Target] | None = None) -> Receipt:
    """Allocate what is still unallocated of a receipt: to ``targets``, or oldest first."""
    require(actor, *FINANCE)
    found = _receipt_for(actor, receipt)
    if targets is None:
        _allocate_oldest_first(found, actor=actor)
    else:
        _allocate(found, list(targets), actor=actor)
    return found


def open_invoices(customer_id: int) -> list[InvoiceBalance]:
    """The customer's blue invoices with something open, earliest due first (a customer's paid
    invoices of past years are never read)."""
    from ..selectors.open_items import open_balances

    rows = open_balances().filter(invoice__customer_id=customer_id).select_related("invoice")
    return list(rows.order_by("invoice__due_on", "invoice__issued_on", "invoice_id"))


def _allocate_oldest_first(
    receipt: Receipt, *, actor: User, unallocated: Decimal | None = None, fresh: bool = False
) -> None:
    """Open invoices, earliest due first, each up to what it has open, until the receipt is used up
    (``unallocated``: known when the receipt was just recorded, not read again; ``fresh``: its
    balance is not written yet, see ``_allocate``)."""
    left = ReceiptBalance.objects.get(pk=receipt.pk).unallocated if unallocated is None else unallocated
    targets = []
    invoices: dict[int, Invoice] = {}
    for balance in open_invoices(receipt.customer_id):
        if left <= 0:
            break
        share = min(left, balance.open_amount)
        if share > 0:
            targets.append(Target(amount=share, invoice_id=balance.invoice_id))
            invoices[balance.invoice_id] = balance.invoice
            left -= share
    if targets:
        _allocate(receipt, targets, actor=actor, invoices=invoices, fresh=fresh)
    elif fresh:
        ReceiptBalance.objects.create(receipt=receipt, amount=receipt.amount)


def _order_account(receipt: Receipt, target: Target, field: str) -> OrderAccount:
    """The contract's or order's account, made the first time something is paid on it. Only a
    signed contract or confirmed order of the receipt's own customer takes a prepayment."""
    from salesops.deals.choices import ContractState, PhoneOrderState
    from salesops.deals.models import Contract, PhoneOrder

    if target.contract_id is not None:
        source = Contract.objects.filter(
            pk=target.contract_id,
            customer_id=receipt.customer_id,
            state__in=(ContractState.SIGNED, ContractState.ARCHIVED),
        ).first()
        key = {"contract": source}
    else:
        source = PhoneOrder.objects.filter(
            pk=target.phone_order_id, customer_id=receipt.customer_id, state=PhoneOrderState.CONFIRMED
        ).first()
        key = {"phone_order": source}
    if source is None:
        message = _("A signed contract or confirmed order of this customer.")
        raise InvalidInput(_("Please correct the allocation."), fields={field: [message]})
    account, _created = OrderAccount.objects.get_or_create(
        **key, defaults={"customer_id": source.customer_id, "total": source.total_amount}
    )
    return account


def _allocate(
    receipt: Receipt,
    targets: list[Target],
    *,
    actor: User,
    invoices: dict[int, Invoice] | None = None,
    fresh: bool = False,
) -> None:
    """Each target under its counters' conditions; the target invoices are read once, together
    (``invoices``: those the caller read already). ``fresh``: the receipt is being recorded and its
    balance is written here, already holding what this allocation takes (one INSERT, no UPDATE)."""
    if not targets:
        raise InvalidInput(_("Please correct the allocation."), fields={"targets": [_("Name at least one target.")]})
    invoices = dict(invoices or {})
    wanted = {t.invoice_id for t in targets if t.invoice_id is not None and t.invoice_id not in invoices}
    if wanted:
        invoices.update(Invoice.objects.in_bulk([pk for pk in wanted if isinstance(pk, int)]))
    rows = []
    # The counters are taken in one order (invoices, then orders, by id), whatever order the targets
    # came in: two allocations over the same invoices never wait for each other in a circle.
    ordered = sorted(
        enumerate(targets),
        key=lambda it: (
            it[1].invoice_id is None,
            it[1].invoice_id or 0,
            it[1].contract_id or 0,
            it[1].phone_order_id or 0,
        ),
    )
    for index, target in ordered:
        where = f"targets.{index}"
        amount = money(target.amount, f"{where}.amount")
        if target.invoice_id is not None:
            invoice = invoices.get(target.invoice_id)
            mine = invoice is not None and invoice.customer_id == receipt.customer_id
            if not mine or invoice.is_red or invoice.state != InvoiceState.ISSUED:
                raise InvalidInput(
                    _("Please correct the allocation."),
                    fields={f"{where}.invoice_id": [_("An issued invoice of this customer.")]},
                )
            if not counters.take(
                InvoiceBalance, invoice.pk, used="allocated", within="total", minus=("reversed",), amount=amount
            ):
                open_now = InvoiceBalance.objects.get(pk=invoice.pk).open_amount
                raise InvalidInput(
                    _("Please correct the allocation."),
                    fields={f"{where}.amount": [_("Only %(open)s is open on this invoice.") % {"open": open_now}]},
                )
            rows.append(Allocation(receipt=receipt, invoice=invoice, amount=amount, allocated_by=actor))
        elif (target.contract_id is None) != (target.phone_order_id is None):
            account = _order_account(receipt, target, f"{where}.contract_id")
            if not counters.take(OrderAccount, account.pk, used="prepaid", within="total", amount=amount):
                account.refresh_from_db()
                raise InvalidInput(
                    _("Please correct the allocation."),
                    fields={
                        f"{where}.amount": [
                            _("Only %(open)s of the order is unpaid.") % {"open": account.total - account.prepaid}
                        ]
                    },
                )
            rows.append(Allocation(receipt=receipt, order=account, amount=amount, allocated_by=actor))
        else:
            raise InvalidInput(
                _("Please correct the allocation."),
                fields={f"{where}.invoice_id": [_("Name one invoice or one order.")]},
            )
    total = sum((row.amount for row in rows), Decimal("0"))
    if fresh:
        if total > receipt.amount:
            _refuse_beyond(receipt.amount)
        ReceiptBalance.objects.create(receipt=receipt, amount=receipt.amount, allocated=total)
    elif not counters.take(ReceiptBalance, receipt.pk, used="allocated", within="amount", amount=total):
        _refuse_beyond(ReceiptBalance.objects.get(pk=receipt.pk).unallocated)
    Allocation.objects.bulk_create(rows)
    record_event(
        receipt,
        "allocate",
        actor=actor,
        from_state=receipt.state,
        to_state=receipt.state,
        changes={"allocated": [None, ", ".join(f"{_target_text(row)} {row.amount}" for row in rows)]},
    )


def _refuse_beyond(left: Decimal) -> NoReturn:
    raise InvalidInput(
        _("Please correct the allocation."),
        fields={"targets": [_("Only %(left)s of the receipt is unallocated.") % {"left": left}]},
    )


def _target_text(row: Allocation) -> str:
    return row.invoice.invoice_number if row.invoice is not None else str(row.order)


@transaction.atomic
def allocation_reverse(*, actor: User, allocation_id: int, reason: str) -> Allocation:
    """Undo an allocation (never deleted): stamped with who, when and why; its amount is open again
    on the invoice or order and unallocated on the receipt."""
    require(actor, *FINANCE)
    if not (reason or "").strip():
        raise InvalidInput(_("Please give a reason."), fields={"reason": [_("This field is required.")]})
    allocation = (
        Allocation.objects.select_related("receipt", "invoice", "order")
        .filter(pk=allocation_id, receipt__in=Receipt.objects.visible_to(actor))
        .first()
    )
    if allocation is None:
        raise NotFound(_("Allocation not found."))
    stamped = Allocation.objects.filter(pk=allocation.pk, reversed_at__isnull=True).update(
        reversed_at=timezone.now(), reversed_by=actor, reverse_reason=reason.strip()[:300]
    )
    if stamped != 1:
        raise TransitionNotAllowed(_("This allocation was already reversed."))
    counters.give_back(ReceiptBalance, allocation.receipt_id, used="allocated", amount=allocation.amount)
    if allocation.invoice_id is not None:
        counters.give_back(InvoiceBalance, allocation.invoice_id, used="allocated", amount=allocation.amount)
    else:
        counters.give_back(OrderAccount, allocation.order_id, used="prepaid", amount=allocation.amount)
    receipt = allocation.receipt
    record_event(
        receipt,
        "unallocate",
        actor=actor,
        from_state=receipt.state,
        to_state=receipt.state,
        comment=reason.strip(),
        changes={"allocated": [f"{_target_text(allocation)} {allocation.amount}", None]},
    )
    allocation.refresh_from_db()
    return allocation


def receipt_void(*, receipt: Receipt, actor: User, reason: str) -> Receipt:
    """Void a receipt recorded in error (nothing of it allocated, its day not closed; the number is
    kept, with the reason)."""
    refuse_closed_day(receipt.received_on)
    return transition(RECEIPT_FLOW, receipt, "void", actor=actor, comment=reason, comment_field="reason")


RECEIPT_SERVICES = services_taking("receipt", {"void": (receipt_void, "reason")})


def apply_prepayments(invoice: Invoice, *, actor: User, source: Any = None) -> Decimal:
    """Move what was prepaid on the invoice's contract or order onto the invoice, oldest first and up
    to what the invoice has open: each prepayment allocation is reversed ("applied to the invoice")
    and the same receipt allocated to the invoice, so the invoice shows paid and the order's account
    gives the prepayment back. Returns the amount moved. ``source``: the contract or order read with
    its ``money_account`` (none read here)."""
    if source is not None and type(source).money_account.is_cached(source):
        account = getattr(source, "money_account", None)  # read with it: None when it has none
    else:
        account = OrderAccount.objects.filter(
            contract_id=invoice.contract_id, phone_order_id=invoice.phone_order_id
        ).first()
    if account is None or account.prepaid <= 0:
        return Decimal("0")
    left = InvoiceBalance.objects.get(pk=invoice.pk).open_amount
    moved = Decimal("0")
    now = timezone.now()
    for allocation in Allocation.objects.active().filter(order=account).select_related("receipt").order_by("pk"):
        if left <= 0:
            break
        share = min(left, allocation.amount)
        reason = _("Applied to invoice %(number)s") % {"number": invoice.invoice_number}
        Allocation.objects.filter(pk=allocation.pk, reversed_at__isnull=True).update(
            reversed_at=now, reversed_by=actor, reverse_reason=reason[:300]
        )
        counters.give_back(OrderAccount, account.pk, used="prepaid", amount=allocation.amount)
        rest = allocation.amount - share
        if not counters.take(
            InvoiceBalance, invoice.pk, used="allocated", within="total", minus=("reversed",), amount=share
        ):
            raise TransitionNotAllowed(_("The quantities changed meanwhile: reload the document and try again."))
        rows = [Allocation(receipt=allocation.receipt, invoice=invoice, amount=share, allocated_by=actor)]
        if rest > 0:  # what the invoice did not need stays prepaid on the order
            counters.must_take(OrderAccount, account.pk, used="prepaid", within="total", amount=rest)
            rows.append(Allocation(receipt=allocation.receipt, order=account, amount=rest, allocated_by=actor))
        Allocation.objects.bulk_create(rows)
        record_event(
            allocation.receipt,
            "allocate",
            actor=actor,
            from_state=allocation.receipt.state,
            to_state=allocation.receipt.state,
            comment=reason,
            changes={"allocated": [f"{account} {allocation.amount}", f"{invoice.invoice_number} {share}"]},
        )
        left -= share
        moved += share
    return moved
