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
import random
from collections.abc import Callable

from salesops.catalog.models import Warehouse
from salesops.fulfilment import services
from salesops.fulfilment.models import ReturnKind
from salesops.fulfilment.services import Discrepancy
from salesops.org.models import User
from salesops.workflow.registry import act_on

from .clock import Story, play, working_days_back
from .orders import STOCKED_ON, Demo, Order, approve, delivered_products, stock_up


def load_demo_fulfilment(*, rng: random.Random, users: dict[str, User], today: datetime.date) -> int:
    """Play every story; return the number of contracts delivered (or on their way)."""
    demo = Demo(
        users=users,
        rng=rng,
        days=working_days_back(today, STOCKED_ON + 1),
        products=delivered_products(),
        warehouses={w.code: w for w in Warehouse.objects.all()},
    )
    play([stock_up(demo), *(story(demo) for story in STORIES)], demo.days)
    return len(STORIES)


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
    approve(delay, demo.user("manager2"))
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
