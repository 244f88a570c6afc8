"""Goods requisitions (W4.1-4.3): raised from a signed contract or a confirmed phone order, whole or
in part, taking from what each sold line has open; approved through the kernel's chain (a branch's
by its branch manager first, then the sales manager); archived by the sales office (R10).
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core import counters
from salesops.core.errors import InvalidInput, TransitionNotAllowed
from salesops.core.policy import require
from salesops.org.models import User
from salesops.workflow.registry import services_taking
from salesops.workflow.services import document_create, transition

from ..deadlines import ship_by
from ..models import OrderLine, Requisition, RequisitionLine
from ..permissions import REQUESTERS
from ..workflows import REQUISITION_FLOW
from .picking import Pick, picked, refuse_first


def deliverable_source(actor: User, contract_id: int | None, phone_order_id: int | None) -> Any:
    """The signed contract or confirmed phone order, as the actor sees it, with its lines."""
    from salesops.deals.choices import ContractState, PhoneOrderState
    from salesops.deals.selectors.contracts import contract_to_deliver
    from salesops.deals.selectors.orders import phone_order_get_for

    if (contract_id is None) == (phone_order_id is None):
        message = _("Raise a requisition from one signed contract or one confirmed phone order.")
        raise InvalidInput(message, fields={"contract_id": [message]})
    if contract_id is not None:
        contract = contract_to_deliver(user=actor, pk=contract_id)
        if contract.state not in (ContractState.SIGNED, ContractState.ARCHIVED):
            raise TransitionNotAllowed(_("Only a signed contract is delivered."))
        return contract
    order = phone_order_get_for(user=actor, pk=phone_order_id)
    if order.state != PhoneOrderState.CONFIRMED:
        raise TransitionNotAllowed(_("Only a confirmed phone or fax order is delivered."))
    return order


def _source_key(source: Any) -> str:
    return "contract" if source._meta.model_name == "contract" else "phone_order"


def sold_lines(source: Any) -> list[OrderLine]:
    """Fulfilment's record of each line of the source; a line never delivered yet is a new, unsaved
    one with nothing counted (a read never writes)."""
    key = {_source_key(source): source}
    known = {line.source_line_id: line for line in OrderLine.objects.filter(**key).select_related("product")}
    return [
        known.get(line.pk)
        or OrderLine(
            **key, source_line_id=line.pk, product=line.product, quantity=line.quantity, unit_price=line.unit_price
        )
        for line in source.lines.all()
    ]


def order_lines_of(source: Any) -> list[OrderLine]:
    """The source's sold lines, made the first time it is delivered.

    The new ones are inserted in one statement that returns their ids. When another requisition
    made the same line first, the insert meets it (the line's own unique key) and returns that
    line's id; what the other requisition asked for is then not counted here, and the conditional
    take (``counters.take_lines``) refuses any quantity no longer open, as it does for any
    requisition that took from the line meanwhile."""
    lines = sold_lines(source)
    new = [line for line in lines if line.pk is None]
    if new:
        OrderLine.objects.bulk_create(
            new,
            update_conflicts=True,
            unique_fields=[_source_key(source), "source_line_id"],
            update_fields=["quantity"],
        )
    return sorted(lines, key=lambda line: line.pk)


@transaction.atomic
def requisition_create(
    *,
    actor: User,
    warehouse_id: int,
    address: str,
    consignee: str,
    consignee_phone: str,
    contract_id: int | None = None,
    phone_order_id: int | None = None,
    lines: Sequence[Pick] | None = None,
    wanted_on: datetime.date | None = None,
    note: str = "",
) -> Requisition:
    """A requisition for ``lines`` (the contract's or order's line id and quantity; ``None``:
    everything still open).
    A line asking more than its sold line has open is refused, naming it; nothing is written."""
    from .stock import _warehouse

    require(actor, *REQUESTERS)
    source = deliverable_source(actor, contract_id, phone_order_id)
    warehouse = _warehouse(warehouse_id)
    chosen = picked(
        lines, order_lines_of(source), lambda line: line.open_quantity, key=lambda line: line.source_line_id
    )
    deadline = ship_by(source.signed_on) if contract_id is not None else None
    requisition = document_create(
        Requisition,
        flow=REQUISITION_FLOW,
        actor=actor,
        owner=actor,
        contract=source if contract_id is not None else None,
        phone_order=source if phone_order_id is not None else None,
        customer=source.customer,
        warehouse=warehouse,
        from_branch=not (actor.branch and actor.branch.is_head_office),
        wanted_on=wanted_on,
        address=(address or "").strip(),
        consignee=(consignee or "").strip(),
        consignee_phone=(consignee_phone or "").strip(),
        note=(note or "").strip(),
        ship_by=deadline.day if deadline else None,
        ship_by_provisional=bool(deadline and deadline.provisional),
    )
    refused = counters.take_lines(
        OrderLine, [(line.pk, quantity) for line, quantity in chosen], used="requested", within="quantity"
    )
    if refused:
        raise refuse_first(chosen, refused, counters=["requested"], open_of=lambda line: line.open_quantity)
    RequisitionLine.objects.bulk_create(
        [
            RequisitionLine(requisition=requisition, order_line=order_line, product=order_line.product, quantity=qty)
            for order_line, qty in chosen
        ]
    )
    return requisition


def requisition_submit(*, requisition: Requisition, actor: User, comment: str = "") -> Requisition:
    # The branch comes with the row: the chain's branch step is routed to its manager.
    return transition(
        REQUISITION_FLOW, requisition, "submit", actor=actor, comment=comment, related=("customer", "branch")
    )


def requisition_approve(*, requisition: Requisition, actor: User, comment: str = "") -> Requisition:
    """One approval step; the last one stamps the approval time (the flow's ``approval_stamp``: R10
    counts from it)."""
    # The customer comes with the row: the next approver's notification names it.
    return transition(REQUISITION_FLOW, requisition, "approve", actor=actor, comment=comment, related=("customer",))


def requisition_archive(*, requisition: Requisition, actor: User, comment: str = "") -> Requisition:
    return transition(
        REQUISITION_FLOW,
        requisition,
        "archive",
        actor=actor,
        comment=comment,
        values={"archived_at": timezone.now(), "archived_by": actor},
    )


@transaction.atomic
def requisition_cancel(*, requisition: Requisition, actor: User, reason: str) -> Requisition:
    """Cancel a requisition nothing was issued from (the flow's guard, under the row's lock, so no note
    is issued meanwhile); its quantities are open again on the sold lines."""
    done = transition(REQUISITION_FLOW, requisition, "cancel", actor=actor, comment=reason, comment_field="reason")
    for line in RequisitionLine.objects.filter(requisition=done):
        counters.give_back(OrderLine, line.order_line_id, used="requested", amount=line.quantity)
    return done


REQUISITION_SERVICES = services_taking(
    "requisition",
    {
        "submit": requisition_submit,
        "approve": requisition_approve,
        "archive": requisition_archive,
        "cancel": (requisition_cancel, "reason"),
    },
)
