"""An order's way through delivery for the demo, one service call per step, as the demo staff:
the contract signed for it (deals services), its requisitions and their approvals, notes,
outbounds, the customer's confirmations, returns; and the goods received before any of it."""

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from salesops.catalog.models import Product, Warehouse
from salesops.customers.models import Customer
from salesops.deals.bench import SCAN_PDF
from salesops.deals.lines import LineIn
from salesops.deals.services import contracts, quotations
from salesops.fulfilment import services
from salesops.fulfilment.services import Discrepancy, Pick, Shipment
from salesops.org.models import User
from salesops.workflow.approvals import current_step
from salesops.workflow.registry import act_on, document_type_of

from .clock import Story

# The warehouse each branch ships from.
SHIPS_FROM = {"HQ": "WH-JN", "QD": "WH-QD", "YT": "WH-JN"}
# Products delivered: whole units past the first thirty codes, whose opening stock the stock demo
# books today (these are received here, before the first delivery, so the ledger reads in order).
FIRST_DELIVERED_PRODUCT = 30
POOL_SIZE = 12
RECEIVED_EACH = 60
STOCKED_ON = 24  # working days back: the goods arrive before the first story starts
CARRIERS = [("顺丰速运", "SF"), ("德邦物流", "DPK"), ("中通快递", "ZT")]


@dataclass
class Demo:
    """What every story reads: the staff by username, the random generator, the working days back
    from today, the products delivered and the warehouses by code."""

    users: dict[str, User]
    rng: random.Random
    days: list[datetime.date]  # days[n]: the n-th working day before today; days[0] is today
    products: list[Product]
    warehouses: dict[str, Warehouse]

    def user(self, name: str) -> User:
        return self.users[name]


def delivered_products() -> list[Product]:
    """The products the stories sell and deliver (see ``FIRST_DELIVERED_PRODUCT``)."""
    products = Product.objects.filter(is_active=True).order_by("code")[FIRST_DELIVERED_PRODUCT:]
    return [p for p in products if services.scale_of(p.unit) == 0][:POOL_SIZE]


def stock_up(demo: Demo) -> Story:
    """The warehouse keeper receives the delivered products into both warehouses, before any story."""
    yield STOCKED_ON
    keeper = demo.user("warehouse1")
    for code in sorted(set(SHIPS_FROM.values())):
        for product in demo.products:
            services.stock_receive(
                actor=keeper,
                warehouse_id=demo.warehouses[code].pk,
                product_id=product.pk,
                quantity=RECEIVED_EACH,
                reason="采购入库",
            )


def approve(doc: Any, actor: User) -> Any:
    """``actor`` decides the pending approval step (the service refuses anyone else)."""
    action = document_type_of(doc).flow.decision_action("approve", doc.state)
    return act_on(doc, action, actor=actor)


def approve_all(doc: Any, demo: Demo) -> Any:
    while (step := current_step(doc)) is not None:
        doc = approve(doc, step.approver or demo.user("boss"))
    return doc


@dataclass
class Order:
    """One story's contract and what was delivered from it."""

    demo: Demo
    owner: User
    customer: Customer
    contract: Any = None
    requisitions: list[Any] = field(default_factory=list)
    notes: list[Any] = field(default_factory=list)
    outbounds: list[Any] = field(default_factory=list)

    @classmethod
    def signed(cls, demo: Demo, owner_name: str, quantities: Sequence[int] = (2, 3)) -> "Order":
        """A contract of the salesperson's, for two products, signed and archived today (as of the
        step's day)."""
        owner = demo.user(owner_name)
        customers = list(Customer.objects.filter(owner=owner).order_by("pk")[:20])
        order = cls(demo, owner, demo.rng.choice(customers))
        products = demo.rng.sample(demo.products, len(quantities))
        today = timezone.localdate()
        quotation = quotations.quotation_create(
            actor=owner,
            customer_id=order.customer.pk,
            valid_until=today + datetime.timedelta(days=30),
            lines=[LineIn(p.pk, Decimal(q), p.standard_price) for p, q in zip(products, quantities, strict=True)],
            payment_terms="on_delivery",
            delivery_time="合同签订后次日发货",
            delivery_place=order.customer.address or "客户仓库",
            warranty="一年",
        )
        quotation = quotations.quotation_submit(quotation=quotation, actor=owner)
        quotation = approve_all(quotation, demo)
        quotation = quotations.quotation_issue(quotation=quotation, actor=owner)
        contract = contracts.contract_draft_from_quotation(actor=owner, quotation=quotation)
        contract = approve_all(contracts.contract_submit(actor=owner, contract=contract), demo)
        scan = SimpleUploadedFile("signed-contract.pdf", SCAN_PDF, content_type="application/pdf")
        contract = contracts.contract_sign(actor=owner, contract=contract, signed_on=today, scan=scan)
        # The sales office archives it the day it is signed (W3.5); archived, it is still delivered.
        order.contract = contracts.contract_archive(actor=demo.user("office1"), contract=contract)
        return order

    @property
    def warehouse(self) -> Warehouse:
        return self.demo.warehouses[SHIPS_FROM[self.owner.branch.code]]

    def requisition(self, lines: Sequence[tuple[int, int]] | None = None, *, submit: bool = True) -> Any:
        """A requisition for ``lines`` (index of the contract line, quantity; None: all of it)."""
        ids = list(self.contract.lines.order_by("pk").values_list("pk", flat=True))
        picks = None if lines is None else [Pick(ids[i], q) for i, q in lines]
        requisition = services.requisition_create(
            actor=self.owner,
            contract_id=self.contract.pk,
            warehouse_id=self.warehouse.pk,
            address=self.customer.address or "客户仓库",
            consignee=self.customer.decision_maker or "收货人",
            consignee_phone=self.customer.phone or "0531-8866 1288",
            lines=picks,
        )
        if submit:
            requisition = services.requisition_submit(requisition=requisition, actor=self.owner)
        self.requisitions.append(requisition)
        return requisition

    def approve(self, *names: str) -> Any:
        """The last requisition, approved by each named manager in turn (as the chain routes it)."""
        requisition = self.requisitions[-1]
        for name in names:
            requisition = services.requisition_approve(requisition=requisition, actor=self.demo.user(name))
        self.requisitions[-1] = requisition
        return requisition

    def note(self, **extra: Any) -> Any:
        note = services.note_issue(actor=self.demo.user("office1"), requisition_id=self.requisitions[-1].pk, **extra)
        self.notes.append(note)
        return note

    def archive_requisition(self) -> None:
        act_on(self.requisitions[-1], "archive", actor=self.demo.user("office1"))

    def ship(self, note: Any = None, lines: Sequence[tuple[int, int]] | None = None, short_reason: str = "") -> Any:
        """The warehouse books the outbound of ``note`` (default: the last one): ``lines`` by index of
        the note's line and quantity; None: all that is open."""
        note = note or self.notes[-1]
        ids = list(note.lines.order_by("pk").values_list("pk", flat=True))
        carrier, prefix = self.demo.rng.choice(CARRIERS)
        outbound = services.outbound_book(
            actor=self.demo.user("warehouse1"),
            note_id=note.pk,
            shipment=Shipment(
                method="express" if prefix != "DPK" else "freight",
                carrier=carrier,
                tracking_numbers=[f"{prefix}{self.demo.rng.randint(10**11, 10**12 - 1)}"],
                consignee_phone=self.customer.phone or "0531-8866 1288",
                freight_payer="company",
                packages=self.demo.rng.randint(1, 4),
                weight_kg=Decimal(self.demo.rng.randint(20, 400)),
            ),
            lines=None if lines is None else [Pick(ids[i], q) for i, q in lines],
            short_reason=short_reason,
        )
        self.outbounds.append(outbound)
        return outbound

    def confirm(self, outbound: Any = None, discrepancies: Sequence[Discrepancy] = ()) -> Any:
        outbound = outbound or self.outbounds[-1]
        return services.confirmation_record(
            actor=self.owner,
            outbound_id=outbound.pk,
            signed_by=self.customer.decision_maker or "收货人",
            signed_on=timezone.localdate(),
            sign_kind=self.demo.rng.choice(["stamp", "signature", "both"]),
            scan=SimpleUploadedFile("签收单.pdf", SCAN_PDF, content_type="application/pdf"),
            discrepancies=discrepancies,
        )

    def archive(self, doc: Any) -> Any:
        return act_on(doc, "archive", actor=self.demo.user("office1"))

    def returned(self, kind: str, reason: str, quantity: int = 1) -> Any:
        """A return (or exchange) of ``quantity`` of the first delivered line, confirmed by the manager."""
        line = self.outbounds[0].lines.order_by("pk").first()
        request = services.return_create(
            actor=self.owner, customer_id=self.customer.pk, kind=kind, reason=reason, lines=[Pick(line.pk, quantity)]
        )
        request = services.return_submit(request=request, actor=self.owner)
        return approve(request, self.owner.manager)

    def check(self, request: Any) -> Any:
        checks = {line.pk: (True, True, True) for line in request.lines.all()}
        return services.return_check(request=request, actor=self.owner, checks=checks)
