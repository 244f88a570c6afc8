"""The order-to-cash benchmark (``salesops bench o2c``): N orders from the customer's inquiry to the
customer's signed confirmation of the delivery.

Each order first runs the deals bench's whole deal (``salesops.deals.bench.run_deal``: inquiry, bid,
quotation and its approval, contract signed with its scan and archived), then delivers it (W4):
the salesperson raises the goods requisition for the whole contract and submits it; the branch
manager and then the sales manager approve it (the bench branch is not the head office); the sales
office issues the delivery note; the warehouse books the outbound by express courier; the
salesperson records the customer's signed confirmation with its scan. Every step calls the service
the UI and the API call, as the user the regulation names, in the transactions the service opens.

The bench reuses the deals bench's corner of the company (branch ``BENCH``, users ``bench_*``,
customers ``BENCH-C…``, products ``BENCH-P…``) and adds a warehouse keeper ``bench_warehouse`` and a
warehouse ``BENCH-W``, stocked through ``stock_receive`` before the clock starts with what the run
will ship. Measured as the deals bench measures (see its docstring); besides the whole order, the
statements of the fulfilment steps alone are reported, against the goal of 60 per order.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone

from salesops.catalog.models import Warehouse
from salesops.deals.bench import (
    BRANCH_CODE,
    PREFIX,
    SCAN_PDF,
    BenchFailed,
    BenchSetup,
    StatementCounter,
    StepRecorder,
    control_line,
    decider,
    ensure_bench_setup,
    percentile,
    run_deal,
    where,
)
from salesops.deals.bench import STEP_NAMES as DEAL_STEPS
from salesops.deals.models import Contract
from salesops.org.models import Branch, User, UserRole
from salesops.org.roles import Role

from . import services
from .models import Confirmation, Outbound, OutboundState, RequisitionState, StockLevel
from .services import Shipment

WAREHOUSE_CODE = "BENCH-W"
# What one deal of the deals bench sells: 2 seeders and 4 seed meters.
PER_ORDER = {"BENCH-P001": Decimal("2"), "BENCH-P002": Decimal("4")}
# The fulfilment steps, in the order a delivery takes them (the deal's steps come first).
FULFILMENT_STEPS: tuple[tuple[str, str], ...] = (
    ("requisition", "requisition_create by the salesperson (the whole contract)"),
    ("req. submit", "requisition_submit"),
    ("req. approve", "requisition_approve: branch manager, then sales manager"),
    ("note", "note_issue by the sales office"),
    ("outbound", "outbound_book by the warehouse"),
    ("confirmation", "confirmation_record with the signed scan, by the salesperson"),
)
FULFILMENT_STEP_NAMES = tuple(name for name, _ in FULFILMENT_STEPS)
STEP_NAMES = (*DEAL_STEPS, *FULFILMENT_STEP_NAMES)
GOAL = 60  # SQL statements for the fulfilment steps of one order (issue 9)


@dataclass
class O2CSetup:
    deals: BenchSetup
    keeper: User
    warehouse: Warehouse


@transaction.atomic
def ensure_o2c_setup() -> O2CSetup:
    """The deals bench's staff plus a warehouse keeper and a warehouse: made once, reused afterwards."""
    deals = ensure_bench_setup()
    branch = Branch.objects.get(code=BRANCH_CODE)
    keeper = User.objects.filter(username=f"{PREFIX}warehouse").first()
    if keeper is None:
        keeper = User(username=f"{PREFIX}warehouse", display_name="压测 仓管", branch=branch)
        keeper.set_unusable_password()
        keeper.save()
    UserRole.objects.get_or_create(user=keeper, role=Role.WAREHOUSE)
    warehouse, _ = Warehouse.objects.get_or_create(
        code=WAREHOUSE_CODE, defaults={"name": "压测成品库", "branch": branch, "keeper": keeper}
    )
    # As a request loads its user (org.lockout.AccountLockBackend.get_user).
    keeper = User.objects.select_related("branch", "department").prefetch_related("role_links").get(pk=keeper.pk)
    return O2CSetup(deals=deals, keeper=keeper, warehouse=warehouse)


def stock_up(setup: O2CSetup, orders: int) -> None:
    """Receive into the bench warehouse what ``orders`` more orders ship, as the warehouse books it."""
    on_hand = dict(
        StockLevel.objects.filter(warehouse=setup.warehouse).values_list("product__code", "quantity"),
    )
    for product in (setup.deals.seeder, setup.deals.meter):
        wanted = PER_ORDER[product.code] * orders - on_hand.get(product.code, Decimal(0))
        if wanted > 0:
            services.stock_receive(
                actor=setup.keeper,
                warehouse_id=setup.warehouse.pk,
                product_id=product.pk,
                quantity=wanted,
                reason="压测备货",
            )


def _shipment() -> Shipment:
    return Shipment(
        method="express",
        carrier="顺丰速运",
        tracking_numbers=["SF1000000000001"],
        consignee_phone="13800000000",
        freight_payer="company",
        packages=2,
        weight_kg=Decimal("180.00"),
    )


def deliver(
    contract: Contract,
    setup: O2CSetup,
    steps: StepRecorder,
    counter: StatementCounter,
    *,
    decide: Callable[[Any, BenchSetup], User] = decider,
) -> Confirmation:
    """W4 for one signed contract: requisition, its approvals (each by whoever ``decide`` names,
    uncounted), note, outbound, confirmation."""
    sales = next(s for s in setup.deals.salespeople if s.pk == contract.owner_id)
    office, keeper = setup.deals.office, setup.keeper
    requisition = steps.step(
        "requisition",
        lambda: services.requisition_create(
            actor=sales,
            contract_id=contract.pk,
            warehouse_id=setup.warehouse.pk,
            address="山东省潍坊市奎文区胜利东街 88 号",
            consignee="王经理",
            consignee_phone="13800000000",
        ),
    )
    requisition = steps.step("req. submit", lambda: services.requisition_submit(requisition=requisition, actor=sales))

    def approve():
        doc = requisition
        while doc.state == RequisitionState.PENDING:
            with counter.pause():
                approver = decide(doc, setup.deals)
            doc = services.requisition_approve(requisition=doc, actor=approver)
        return doc

    requisition = steps.step("req. approve", approve)
    if requisition.state != RequisitionState.APPROVED:
        raise BenchFailed(f"requisition {requisition.number} ended {requisition.state}, not approved")
    note = steps.step("note", lambda: services.note_issue(actor=office, requisition_id=requisition.pk))
    outbound = steps.step(
        "outbound", lambda: services.outbound_book(actor=keeper, note_id=note.pk, shipment=_shipment())
    )
    scan = SimpleUploadedFile("签收单.pdf", SCAN_PDF, content_type="application/pdf")
    return steps.step(
        "confirmation",
        lambda: services.confirmation_record(
            actor=sales,
            outbound_id=outbound.pk,
            signed_by="王经理",
            signed_on=timezone.localdate(),
            sign_kind="stamp",
            scan=scan,
        ),
    )


@dataclass
class O2CResult:
    """The figures of a run; ``steps`` names the steps each order took (the deal's, the delivery's,
    and the money steps when the receivables bench runs them after)."""

    orders: int
    seconds: float
    statements: int
    vendor: str
    database: str
    server: str
    setup_created: bool
    step_seconds: dict[str, list[float]] = field(default_factory=dict)
    step_statements: dict[str, int] = field(default_factory=dict)
    steps: tuple[str, ...] = STEP_NAMES
    control: int = 0  # BEGIN and the like, not in ``statements``

    @property
    def per_second(self) -> float:
        return self.orders / self.seconds if self.seconds else 0.0

    def per_order(self, statements: int) -> float:
        return statements / self.orders if self.orders else 0.0

    @property
    def fulfilment_statements(self) -> int:
        return sum(self.step_statements[step] for step in FULFILMENT_STEP_NAMES)


def _steps_done(result: O2CResult, index: int) -> int:
    return sum(1 for step in result.steps if len(result.step_seconds[step]) > index)


# What runs after an order's delivery (the receivables bench's money steps): (the signed contract,
# the confirmation, the setup, the step recorder, the counter).
After = Callable[[Contract, Confirmation, O2CSetup, StepRecorder, StatementCounter], None]


def run_o2c(
    orders_wanted: int,
    *,
    progress: Callable[[int], None] | None = None,
    after: After | None = None,
    more_steps: tuple[str, ...] = (),
) -> O2CResult:
    """Run ``orders_wanted`` orders (each then through ``after``, whose steps ``more_steps`` names);
    raises BenchFailed naming the order and step that failed."""
    steps_named = (*STEP_NAMES, *more_steps)
    connection.ensure_connection()
    vendor, name, server = where()
    setup = ensure_o2c_setup()
    stock_up(setup, orders_wanted)
    result = O2CResult(
        orders=0,
        seconds=0.0,
        statements=0,
        vendor=vendor,
        database=name,
        server=server,
        setup_created=setup.deals.created,
        step_seconds={step: [] for step in steps_named},
        step_statements=dict.fromkeys(steps_named, 0),
        steps=steps_named,
    )
    counter = StatementCounter()
    steps = StepRecorder(result, counter)
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        for index in range(orders_wanted):
            try:
                contract = run_deal(index, setup.deals, steps, counter)
                confirmation = deliver(contract, setup, steps, counter)
                if after is not None:
                    after(contract, confirmation, setup, steps, counter)
            except BenchFailed as exc:
                raise BenchFailed(f"order {index + 1}: {exc}") from exc
            except Exception as exc:
                step = steps_named[min(_steps_done(result, index), len(steps_named) - 1)]
                raise BenchFailed(f"order {index + 1}, step {step}: {type(exc).__name__}: {exc}") from exc
            with counter.pause():
                if not Outbound.objects.filter(pk=confirmation.outbound_id, state=OutboundState.CONFIRMED).exists():
                    raise BenchFailed(f"order {index + 1}: outbound {confirmation.outbound_id} not confirmed")
            result.orders += 1
            if progress is not None:
                progress(result.orders)
        result.seconds = time.perf_counter() - started
    result.statements, result.control = counter.count, counter.control
    return result


def _row(name: str, times: list[float], statements: float) -> str:
    p50 = percentile(times, 50) * 1000 if times else 0.0
    p95 = percentile(times, 95) * 1000 if times else 0.0
    return f"{name:<16}{p50:9.2f}{p95:9.2f}{statements:11.1f}"


def o2c_report(result: O2CResult, *, span: str = "inquiry to the customer's signed confirmation") -> str:
    """The figures as a small plain-text table."""
    n = result.orders
    fulfilment = result.per_order(result.fulfilment_statements)
    lines = [
        f"salesops bench o2c: {n} orders, {span}, through the services",
        f"database: {result.vendor} · {result.database} ({result.server})",
        "bench staff: branch BENCH, users bench_*, warehouse {} ({})".format(
            WAREHOUSE_CODE, "created now" if result.setup_created else "reused"
        ),
        "requisitions of a branch (W4.2): the branch manager approves, then the sales manager",
        "",
        f"orders per second             {result.per_second:10.1f}   ({n} in {result.seconds:.1f} s)",
        f"SQL statements / order        {result.per_order(result.statements):10.1f}   ({result.statements} in all)",
        control_line(result.control, n, "order"),
        f"SQL / order, fulfilment steps {fulfilment:10.1f}   (goal: at most {GOAL})",
        "",
        f"{'step':<16}{'p50 ms':>9}{'p95 ms':>9}{'SQL/order':>11}",
    ]
    for step in result.steps:
        lines.append(_row(step, result.step_seconds[step], result.per_order(result.step_statements[step])))
    whole = [sum(result.step_seconds[s][i] for s in result.steps) for i in range(n)]
    delivery = [sum(result.step_seconds[s][i] for s in FULFILMENT_STEP_NAMES) for i in range(n)]
    if n:
        lines.append(_row("fulfilment", delivery, fulfilment))
        lines.append(_row("whole order", whole, result.per_order(sum(result.step_statements.values()))))
    return "\n".join(lines) + "\n"
