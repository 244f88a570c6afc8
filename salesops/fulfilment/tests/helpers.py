"""Test data for the delivery documents: a signed contract with stock to ship it, and each step of
W4 and W8 through the services (approvals decided by whoever the kernel routed them to)."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from salesops.catalog.tests.factories import WarehouseFactory
from salesops.deals.tests import contract_factories as cf
from salesops.fulfilment import services
from salesops.fulfilment.models import OrderLine, RequisitionState, ReturnState
from salesops.fulfilment.services import Pick, Shipment, StockLine
from salesops.workflow.registry import act_on
from salesops.workflow.tests.kit import deciders, pending_step


def scan() -> SimpleUploadedFile:
    return SimpleUploadedFile("签收单.pdf", b"%PDF-1.4\n% signed by the customer\n", content_type="application/pdf")


class Order:
    """A signed contract of ``owner``'s (pump × 10, valve × 10), and the stock to ship it."""

    def __init__(self, staff, owner=None, *, stock: str = "100", signed_on: datetime.date | None = None):
        self.staff = staff
        self.owner = owner or staff.sales_a
        deal = cf.Deal(staff, self.owner)
        self.pump, self.valve, self.customer = deal.pump, deal.valve, deal.customer
        self.contract = cf.signed_contract(staff, deal, signed_on=signed_on)
        self.warehouse = WarehouseFactory(branch=staff.head_office, name="总部成品库")
        if Decimal(stock):
            services.stock_put(
                [StockLine(p, self.warehouse, Decimal(stock)) for p in (self.pump, self.valve)],
                kind="receipt",
                actor=staff.warehouse,
            )

    def order_lines(self) -> list[OrderLine]:
        return list(OrderLine.objects.filter(contract=self.contract).order_by("pk"))

    def contract_line_ids(self) -> list[int]:
        return [line.pk for line in self.contract.lines.order_by("pk")]

    def requisition(self, actor=None, lines: list[tuple[int, str]] | None = None, **extra: Any):
        """A draft requisition for ``lines`` (index of the contract line, quantity); None: all of it."""
        ids = self.contract_line_ids()
        picks = None if lines is None else [Pick(ids[i], q) for i, q in lines]
        return services.requisition_create(
            actor=actor or self.owner,
            contract_id=self.contract.pk,
            warehouse_id=self.warehouse.pk,
            address="山东省潍坊市奎文区胜利东街 88 号",
            consignee="王经理",
            consignee_phone="13800000000",
            lines=picks,
            **extra,
        )

    def approved_requisition(self, **kwargs: Any):
        requisition = self.requisition(**kwargs)
        requisition = act_on(requisition, "submit", actor=requisition.owner)
        return decide_all(requisition, RequisitionState.APPROVED)

    def note(self, requisition=None, lines=None, **extra: Any):
        requisition = requisition or self.approved_requisition()
        return services.note_issue(actor=self.staff.back_office, requisition_id=requisition.pk, lines=lines, **extra)

    def outbound(self, note=None, lines=None, **extra: Any):
        note = note or self.note()
        return services.outbound_book(
            actor=self.staff.warehouse, note_id=note.pk, shipment=shipment(), lines=lines, **extra
        )

    def confirmation(self, outbound=None, **extra: Any):
        outbound = outbound or self.outbound()
        return services.confirmation_record(
            actor=self.staff.back_office,
            outbound_id=outbound.pk,
            signed_by="王经理",
            signed_on=timezone.localdate(),
            sign_kind="stamp",
            scan=extra.pop("scan", scan()),
            **extra,
        )


def shipment(**extra: Any) -> Shipment:
    values = {
        "method": "express",
        "carrier": "顺丰速运",
        "tracking_numbers": ["SF1234567890123"],
        "consignee_phone": "13800000000",
        "freight_payer": "company",
        "packages": 2,
        "weight_kg": Decimal("35.50"),
    }
    values.update(extra)
    return Shipment(**values)


def decide_all(doc, done_state: str):
    """Approve every pending step as the person (or first holder) it is routed to."""
    for _ in range(6):
        step = pending_step(doc)
        if step is None:
            break
        doc = act_on(doc, "approve" if "approve" in type_actions(doc) else "confirm", actor=deciders(doc, step)[0])
    assert doc.state == done_state, doc.state
    return doc


def type_actions(doc) -> set[str]:
    from salesops.workflow.registry import document_type_of

    return set(document_type_of(doc).flow.transitions)


def verified_return(order: Order, outbound, quantity: str = "2", kind: str = "return"):
    """A return request for ``quantity`` of the outbound's first line, confirmed, checked, verified and
    confirmed in red: ready for the red note."""
    line = outbound.lines.order_by("pk").first()
    request = services.return_create(
        actor=order.owner,
        customer_id=order.customer.pk,
        kind=kind,
        reason="客户现场验收发现外壳划伤",
        lines=[Pick(line.pk, quantity)],
    )
    request = act_on(request, "submit", actor=order.owner)
    request = decide_all(request, ReturnState.CONFIRMED)
    request = services.return_check(
        request=request, actor=order.owner, checks={rl.pk: (True, True, True) for rl in request.lines.all()}
    )
    request = services.return_verify(
        request=request, actor=order.staff.technical, passed=True, notes="序列号与出库记录一致"
    )
    return services.return_confirm_red(request=request, actor=order.owner.manager or order.staff.manager1)
