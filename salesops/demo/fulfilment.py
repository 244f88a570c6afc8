"""Demo deliveries (W4, W8, R7): contracts of the last weeks delivered through the fulfilment
services by the demo staff, in every state the documents take.

Each story below is a script of steps on working days counted back from today; the loader plays
all steps in date order, each as of its day (``clock.as_of``), so numbers, audit trails, approval
steps and the stock ledger read as the weeks went. Every contract is made for its story through
the deals services (quotation, approval, contract, signing with the scan), for goods received into
stock before the first of them ("采购入库"), products past the first thirty, whose opening stock
the stock demo books today.

What the stories leave: requisitions pending at the branch manager (branchmgr1) and at the sales
managers, one approved and waiting for its note, the rest archived; notes issued (warehouse1's
queue), partly shipped, closed short, voided and reissued; outbounds waiting for the customer's
confirmation; confirmations recorded (one with a discrepancy and its follow-up open) and
archived; a return back in stock, an exchange (red note and a new delivery note), a failed
authenticity check, a return at the technical department; a shipment delay waiting for the
manager and one accepted.
"""

import datetime
import heapq
import random
from collections.abc import Callable, Generator, Sequence
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
from salesops.fulfilment.models import ReturnKind
from salesops.fulfilment.services import Discrepancy, Pick, Shipment
from salesops.org.calendar import load as load_calendar
from salesops.org.models import User
from salesops.workflow.approvals import current_step
from salesops.workflow.registry import act_on, document_type_of

from .clock import as_of

# The warehouse each branch ships from.
SHIPS_FROM = {"HQ": "WH-JN", "QD": "WH-QD", "YT": "WH-JN"}
# Products delivered here: whole units past the first thirty codes (see the module docstring).
FIRST_DELIVERED_PRODUCT = 30
POOL_SIZE = 12
RECEIVED_EACH = 60
STOCKED_ON = 24  # working days back: the goods arrive before the first story starts
CARRIERS = [("顺丰速运", "SF"), ("德邦物流", "DPK"), ("中通快递", "ZT")]

# A story yields the working day (counted back from today, 0 = today) of its next step.
Story = Generator[int, None, None]


@dataclass
class Demo:
    users: dict[str, User]
    rng: random.Random
    days: list[datetime.date]  # days[n]: the n-th working day before today; days[0] is today
    products: list[Product]
    warehouses: dict[str, Warehouse]

    def user(self, name: str) -> User:
        return self.users[name]


def load_demo_fulfilment(*, rng: random.Random, users: dict[str, User], today: datetime.date) -> int:
    """Play every story; return the number of contracts delivered (or on their way)."""
    demo = Demo(
        users=users,
        rng=rng,
        days=_working_days_back(today, STOCKED_ON + 1),
        products=_pool(),
        warehouses={w.code: w for w in Warehouse.objects.all()},
    )
    _play(demo, [_stock_up(demo), *(story(demo) for story in STORIES)])
    return len(STORIES)


def _working_days_back(today: datetime.date, count: int) -> list[datetime.date]:
    calendar = load_calendar()
    days = [today]
    day = today
    while len(days) < count:
        day -= datetime.timedelta(days=1)
        if calendar.is_workday(day):
            days.append(day)
    return days


def _pool() -> list[Product]:
    products = Product.objects.filter(is_active=True).order_by("code")[FIRST_DELIVERED_PRODUCT:]
    return [p for p in products if services.scale_of(p.unit) == 0][:POOL_SIZE]


def _play(demo: Demo, stories: Sequence[Story]) -> None:
    """Run the stories' steps in date order (stories in their given order within a day), each step
    as of its day: from 09:00, a few minutes after the day's step before it (today: now)."""
    queue: list[tuple[int, int, Story]] = []
    for index, story in enumerate(stories):
        queue.append((-next(story), index, story))
    heapq.heapify(queue)
    steps_on: dict[int, int] = {}
    while queue:
        back, index, story = heapq.heappop(queue)
        days_back = -back
        taken = steps_on.get(days_back, 0)
        steps_on[days_back] = taken + 1
        try:
            if days_back == 0:
                following = next(story)
            else:
                moment = datetime.datetime.combine(demo.days[days_back], datetime.time(9)) + datetime.timedelta(
                    minutes=7 * taken
                )
                with as_of(timezone.make_aware(moment)):
                    following = next(story)
        except StopIteration:
            continue
        if following > days_back:
            raise ValueError(f"story {index} steps back from day {days_back} to {following}")
        heapq.heappush(queue, (-following, index, story))


# What every story does, one service call each.


def _stock_up(demo: Demo) -> Story:
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


def _approve(doc: Any, actor: User) -> Any:
    """``actor`` decides the pending approval step (the service refuses anyone else)."""
    action = document_type_of(doc).flow.decision_action("approve", doc.state)
    return act_on(doc, action, actor=actor)


def _approve_all(doc: Any, demo: Demo) -> Any:
    while (step := current_step(doc)) is not None:
        doc = _approve(doc, step.approver or demo.user("boss"))
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
        quotation = _approve_all(quotation, demo)
        quotation = quotations.quotation_issue(quotation=quotation, actor=owner)
        contract = contracts.contract_draft_from_quotation(actor=owner, quotation=quotation)
        contract = _approve_all(contracts.contract_submit(actor=owner, contract=contract), demo)
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
        return _approve(request, self.owner.manager)

    def check(self, request: Any) -> Any:
        checks = {line.pk: (True, True, True) for line in request.lines.all()}
        return services.return_check(request=request, actor=self.owner, checks=checks)


def _delivered(order: Order, day: int, *approvers: str) -> Story:
    """Signed on ``day``: requisition, approvals, note and the requisition archived that day; the
    goods leave the next working day (R7) and the customer's confirmation comes two days after,
    archived the day after that. Ends on the archiving day."""
    order.requisition()
    order.approve(*approvers)
    order.note()
    order.archive_requisition()
    yield day - 1
    order.ship()
    yield day - 3
    confirmation = order.confirm()
    yield day - 4
    order.archive(confirmation)


def delivered_and_archived(demo: Demo) -> Story:
    yield 18
    order = Order.signed(demo, "sales1")
    yield from _delivered(order, 18, "manager1")


def phased_delivery(demo: Demo) -> Story:
    """Partial deliveries: the contract's first line now, the second a week and a half later."""
    yield 16
    order = Order.signed(demo, "sales2", (4, 6))
    order.requisition([(0, 4)])
    order.approve("manager1")
    order.note()
    order.archive_requisition()
    yield 15
    order.ship()
    yield 13
    order.archive(order.confirm())
    yield 8
    order.requisition([(1, 6)])
    order.approve("manager1")
    order.note()
    order.archive_requisition()
    yield 7
    order.ship()
    yield 5
    order.archive(order.confirm())


def partly_shipped(demo: Demo) -> Story:
    """Part of a note ships, the rest waits for stock (the note stays in the warehouse's queue)."""
    yield 6
    order = Order.signed(demo, "sales3", (5, 2))
    order.requisition()
    order.approve("manager1")
    order.note()
    order.archive_requisition()
    yield 5
    order.ship(lines=[(0, 3), (1, 2)], short_reason="库存不足，余下 2 件到货后发出")
    yield 3
    order.archive(order.confirm())


def closed_short(demo: Demo) -> Story:
    """A short shipment: the customer takes less and the office closes the rest of the note."""
    yield 12
    order = Order.signed(demo, "sales2", (6, 2))
    order.requisition()
    order.approve("manager1")
    order.note()
    order.archive_requisition()
    yield 11
    order.ship(lines=[(0, 4), (1, 2)], short_reason="客户场地有限，本次只收 4 台")
    yield 10
    services.note_close(note=order.notes[-1], actor=demo.user("office1"), reason="客户取消剩余 2 台")
    yield 8
    order.archive(order.confirm())


def voided_and_reissued(demo: Demo) -> Story:
    """R8: a note with the wrong address is voided (its number kept) and reissued corrected."""
    yield 10
    order = Order.signed(demo, "sales3")
    order.requisition()
    order.approve("manager1")
    wrong = order.note(address="济南市历城区工业北路（地址有误）")
    corrected = services.note_reissue(
        note=wrong,
        actor=demo.user("office1"),
        reason="收货地址写错，按客户来电更正",
        address=order.customer.address or "客户新仓库",
    )
    order.notes.append(corrected)
    order.archive_requisition()
    yield 9
    order.ship()
    yield 7
    order.archive(order.confirm())


def awaiting_confirmation(demo: Demo) -> Story:
    """A branch salesperson's shipment, out with the carrier: the signed confirmation is to come."""
    yield 3
    order = Order.signed(demo, "sales6")
    order.requisition()
    order.approve("manager1")  # no manager of the 烟台 branch: the chain goes up the line
    order.note()
    order.archive_requisition()
    yield 2
    order.ship()


def with_discrepancy(demo: Demo) -> Story:
    """The customer signs for a damaged unit: the follow-up stays open, the office has it to archive."""
    yield 9
    order = Order.signed(demo, "sales4")
    order.requisition()
    order.approve("branchmgr1", "manager2")
    order.note()
    order.archive_requisition()
    yield 8
    outbound = order.ship()
    yield 6
    line = outbound.lines.order_by("pk").first()
    order.confirm(discrepancies=[Discrepancy(line.pk, damaged=1, remark="外包装破损，一件漏油")])


def return_done(demo: Demo) -> Story:
    """A return: checked, verified, confirmed in red, the red note issued and received back."""
    yield 20
    order = Order.signed(demo, "sales1")
    yield from _delivered(order, 20, "manager1")
    yield 11
    request = order.returned(ReturnKind.RETURN, "客户现场验收发现外壳划伤")
    yield 10
    request = order.check(request)
    yield 9
    request = services.return_verify(
        request=request, actor=demo.user("tech1"), passed=True, notes="序列号与出库记录一致"
    )
    request = services.return_confirm_red(request=request, actor=demo.user("manager1"))
    yield 8
    red = services.red_note_issue(actor=demo.user("office1"), return_id=request.pk)
    yield 7
    act_on(red, "receive", actor=demo.user("warehouse1"))


def exchange(demo: Demo) -> Story:
    """An exchange: the red note takes the wrong unit back, a new delivery note sends the right one."""
    yield 17
    order = Order.signed(demo, "sales5")
    yield from _delivered(order, 17, "branchmgr1", "manager2")
    yield 9
    request = order.returned(ReturnKind.EXCHANGE, "型号发错，客户要求换货")
    yield 8
    request = order.check(request)
    yield 7
    request = services.return_verify(request=request, actor=demo.user("tech1"), passed=True, notes="包装完好，可换货")
    request = services.return_confirm_red(request=request, actor=demo.user("manager2"))
    yield 6
    red = services.red_note_issue(actor=demo.user("office1"), return_id=request.pk)
    yield 5
    act_on(red, "receive", actor=demo.user("warehouse1"))
    note = services.note_issue(actor=demo.user("office1"), return_id=request.pk)
    yield 4
    order.ship(note)


def failed_check(demo: Demo) -> Story:
    """The technical department finds the goods are not the company's: the return ends there."""
    yield 15
    order = Order.signed(demo, "sales3")
    yield from _delivered(order, 15, "manager1")
    yield 8
    request = order.returned(ReturnKind.RETURN, "客户称使用一周后漏油")
    yield 7
    request = order.check(request)
    yield 6
    services.return_verify(
        request=request, actor=demo.user("tech1"), passed=False, notes="铭牌序列号非我司产品，不予退货"
    )


def at_the_technical_department(demo: Demo) -> Story:
    yield 13
    order = Order.signed(demo, "sales6")
    yield from _delivered(order, 13, "manager1")
    yield 3
    request = order.returned(ReturnKind.RETURN, "客户反映噪音偏大，申请退货")
    yield 1
    order.check(request)


def pending_at_the_branch_manager(demo: Demo) -> Story:
    yield 1
    order = Order.signed(demo, "sales4")
    yield 0
    order.requisition()


def pending_at_the_branch_sales_manager(demo: Demo) -> Story:
    yield 2
    order = Order.signed(demo, "sales5")
    yield 1
    order.requisition()
    order.approve("branchmgr1")


def pending_at_the_sales_manager(demo: Demo) -> Story:
    yield 1
    order = Order.signed(demo, "sales1")
    yield 0
    order.requisition()


def approved_to_issue(demo: Demo) -> Story:
    yield 2
    order = Order.signed(demo, "sales2")
    yield 1
    order.requisition()
    order.approve("manager1")


def issued_to_ship(demo: Demo) -> Story:
    """A note in the warehouse's queue; its requisition, all on the note, waits to be archived."""
    yield 1
    order = Order.signed(demo, "sales3")
    order.requisition()
    order.approve("manager1")
    yield 0
    order.note()


def delay_pending(demo: Demo) -> Story:
    yield 1
    order = Order.signed(demo, "sales1", (1, 2))
    yield 0
    delay = services.delay_create(
        actor=order.owner,
        contract_id=order.contract.pk,
        reason="out_of_stock",
        ship_on=demo.days[0] + datetime.timedelta(days=10),
        detail="驾驶室总成需排产，预计 10 天后发货",
    )
    act_on(delay, "submit", actor=order.owner)


def delay_accepted(demo: Demo) -> Story:
    """The customer asked to ship later; the manager accepted it, and the goods left on that day."""
    yield 8
    order = Order.signed(demo, "sales4")
    delay = services.delay_create(
        actor=order.owner,
        contract_id=order.contract.pk,
        reason="customer_asked",
        ship_on=demo.days[3],
        detail="客户仓库改造，要求推迟一周发货",
    )
    delay = act_on(delay, "submit", actor=order.owner)
    yield 7
    _approve(delay, demo.user("manager2"))
    yield 3
    order.requisition()
    order.approve("branchmgr1", "manager2")
    order.note()
    order.archive_requisition()
    order.ship()


STORIES: tuple[Callable[[Demo], Story], ...] = (
    return_done,
    delivered_and_archived,
    exchange,
    phased_delivery,
    failed_check,
    at_the_technical_department,
    closed_short,
    voided_and_reissued,
    with_discrepancy,
    delay_accepted,
    partly_shipped,
    awaiting_confirmation,
    approved_to_issue,
    pending_at_the_branch_sales_manager,
    pending_at_the_branch_manager,
    pending_at_the_sales_manager,
    issued_to_ship,
    delay_pending,
)
