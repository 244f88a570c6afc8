"""The deals benchmark (``salesops bench deals``): N deals from inquiry to a signed, archived contract.

Every step calls the same service the UI and the API call, on the configured database, each in the
transactions the service opens itself (nothing here wraps a deal in a transaction of its own). The
audit events, approval steps, notifications and stored scans the services write are kept: they are
part of the real cost, and the rows stay in the database afterwards.

The bench works in its own corner of the company, made on first use and reused afterwards: branch
``BENCH`` with one department, users named ``bench_*`` (no usable password: nobody logs in as them),
customers ``BENCH-C…`` and products ``BENCH-P…``.

Measured: contracts per second over the whole run (wall clock, set-up excluded), SQL statements per
contract (every statement Django sends through a cursor, counted with ``execute_wrapper``, which works
without DEBUG; savepoints are included, and on SQLite Django's own ``BEGIN``; the driver's implicit
``BEGIN``/``COMMIT`` are not), and p50/p95 of each step's time. The few reads that only choose who
acts next (the bench's "My tasks") are neither timed nor counted.
"""

import datetime
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone

from salesops.catalog.models import Product
from salesops.customers.models import Customer
from salesops.org.models import Branch, Company, Department, Region, User, UserRole
from salesops.org.roles import Role
from salesops.workflow.approvals import current_step, with_pending_step

from .choices import ContractState, InquiryState, QuotationState
from .lines import LineIn
from .models import Contract, Inquiry, Quotation
from .services import contracts, inquiries, quotations
from .services.inquiries import InquiryLineIn

PREFIX = "bench_"
BRANCH_CODE = "BENCH"
CUSTOMERS_PER_SALESPERSON = 5
SALESPEOPLE = 4

# (step, what it calls) in the order a deal takes them.
STEPS: tuple[tuple[str, str], ...] = (
    ("inquiry", "inquiry_create"),
    ("bid", "inquiry_decide_bid (+ inquiry_instruct if major)"),
    ("quotation", "quotation_create"),
    ("submit", "quotation_submit"),
    ("approve", "quotation_approve, each step of the chain"),
    ("issue", "quotation_issue"),
    ("contract", "contract_draft_from_quotation"),
    ("submit/confirm", "contract_submit (+ contract_confirm when asked)"),
    ("sign", "contract_sign with a PDF scan"),
    ("archive", "contract_archive by the sales office"),
)
STEP_NAMES = tuple(name for name, _ in STEPS)


def _minimal_pdf() -> bytes:
    """A small, well-formed one-page PDF (a real file, as a scanner would give)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


SCAN_PDF = _minimal_pdf()


# Set-up: the bench's staff, customers and products.


@dataclass
class BenchSetup:
    manager: User
    branch_manager: User
    boss: User
    office: User
    salespeople: list[User]
    customers: dict[int, list[Customer]]  # salesperson pk → their customers
    seeder: Product
    meter: Product
    created: bool  # made now rather than reused

    def by_role(self) -> dict[str, User]:
        """Who decides an approval step that names a role rather than a person."""
        return {Role.SALES_MANAGER: self.manager, Role.BRANCH_MANAGER: self.branch_manager, Role.LEADERSHIP: self.boss}

    def staff(self) -> list[User]:
        """The bench's own user objects (roles loaded), as a request loads its user once."""
        return [self.manager, self.branch_manager, self.boss, self.office, *self.salespeople]


def _user(username: str, role: str, *, branch: Branch, department: Department | None, manager=None) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            display_name=f"压测 {username.removeprefix(PREFIX)}",
            branch=branch,
            department=department,
            manager=manager,
        )
        user.set_unusable_password()
        user.save()
    UserRole.objects.get_or_create(user=user, role=role)
    return user


@transaction.atomic
def ensure_bench_setup() -> BenchSetup:
    """The bench's branch, staff, customers and products: made the first time, reused afterwards."""
    created = not User.objects.filter(username=f"{PREFIX}manager").exists()
    region, _ = Region.objects.get_or_create(code=BRANCH_CODE, defaults={"name": "压测区域"})
    branch, _ = Branch.objects.get_or_create(
        code=BRANCH_CODE, defaults={"company": Company.current(), "name": "压测分公司", "region": region}
    )
    department = Department.objects.filter(branch=branch).order_by("pk").first()
    if department is None:
        department = Department.objects.create(branch=branch, name="压测销售部")
    manager = _user(f"{PREFIX}manager", Role.SALES_MANAGER, branch=branch, department=department)
    # The branch has its own manager (W4.2: a branch's requisition goes to them before the sales
    # manager), as a policy asking for a branch manager finds them.
    branch_manager = _user(f"{PREFIX}branchmgr", Role.BRANCH_MANAGER, branch=branch, department=None)
    if department.manager_id != manager.pk:
        department.manager = manager
        department.save(update_fields=["manager"])
    if branch.manager_id != branch_manager.pk:
        branch.manager = branch_manager
        branch.save(update_fields=["manager"])
    boss = _user(f"{PREFIX}boss", Role.LEADERSHIP, branch=branch, department=None)
    office = _user(f"{PREFIX}office", Role.BACK_OFFICE, branch=branch, department=None)
    salespeople = [
        _user(f"{PREFIX}sales{n}", Role.SALESPERSON, branch=branch, department=department, manager=manager)
        for n in range(1, SALESPEOPLE + 1)
    ]
    customers: dict[int, list[Customer]] = {}
    for s_index, sales in enumerate(salespeople, start=1):
        customers[sales.pk] = []
        for c_index in range(1, CUSTOMERS_PER_SALESPERSON + 1):
            code = f"BENCH-C{s_index}{c_index:02d}"
            customer, _ = Customer.objects.get_or_create(
                code=code,
                defaults={
                    "name": f"压测农机客户{s_index}{c_index:02d}",
                    "kind": "end_user",
                    "region": region,
                    "owner": sales,
                    "branch": branch,
                    "department": department,
                },
            )
            customers[sales.pk].append(customer)
    seeder, _ = Product.objects.get_or_create(
        code="BENCH-P001",
        defaults={
            "name": "压测播种机",
            "unit": "台",
            "standard_price": Decimal("1000.00"),
            "floor_price": Decimal("800.00"),
            "tax_rate": Decimal("0.13"),
        },
    )
    meter, _ = Product.objects.get_or_create(
        code="BENCH-P002",
        defaults={
            "name": "压测排种器",
            "unit": "套",
            "standard_price": Decimal("250.00"),
            "floor_price": Decimal("200.00"),
            "tax_rate": Decimal("0.13"),
        },
    )
    # Fresh objects: roles are cached per instance, as a request caches them for its user.
    # Loaded as a request loads its user (org.lockout.AccountLockBackend.get_user).
    bench_users = User.objects.filter(username__startswith=PREFIX).select_related("branch", "department")
    users = {u.pk: u for u in bench_users.prefetch_related("role_links")}
    return BenchSetup(
        manager=users[manager.pk],
        branch_manager=users[branch_manager.pk],
        boss=users[boss.pk],
        office=users[office.pk],
        salespeople=[users[s.pk] for s in salespeople],
        customers=customers,
        seeder=seeder,
        meter=meter,
        created=created,
    )


# Measuring.


# Transaction control, counted apart: SQLite's BEGIN IMMEDIATE goes through the cursor (one per
# service call), PostgreSQL's driver sends its BEGIN unseen; the statements that read and write
# are the same on both and are what the goals count.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


class StatementCounter:
    """An ``execute_wrapper``: counts the statements sent while it is not paused, transaction
    control (``control``) apart."""

    def __init__(self) -> None:
        self.count = 0
        self.control = 0
        self.paused = False

    def __call__(self, execute, sql, params, many, context):
        if not self.paused:
            if sql.lstrip()[:9].upper().startswith(TRANSACTION_CONTROL):
                self.control += 1
            else:
                self.count += 1
        return execute(sql, params, many, context)

    @contextmanager
    def pause(self) -> Iterator[None]:
        self.paused = True
        try:
            yield
        finally:
            self.paused = False


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class BenchResult:
    contracts: int
    seconds: float
    statements: int
    vendor: str
    database: str
    server: str
    setup_created: bool
    step_seconds: dict[str, list[float]] = field(default_factory=dict)
    step_statements: dict[str, int] = field(default_factory=dict)
    control: int = 0  # BEGIN and the like, not in ``statements``

    @property
    def per_second(self) -> float:
        return self.contracts / self.seconds if self.seconds else 0.0

    @property
    def statements_per_contract(self) -> float:
        return self.statements / self.contracts if self.contracts else 0.0


class BenchFailed(Exception):
    """A deal could not go through: which one, at which step, and why."""


class StepRecorder:
    """Times each step of a run and counts its statements, into ``result.step_seconds`` (one entry
    per run of the step) and ``result.step_statements`` (the total), both keyed by step name."""

    def __init__(self, result: Any, counter: StatementCounter) -> None:
        self.result = result
        self.counter = counter

    def step(self, name: str, call: Callable[[], Any]) -> Any:
        before = self.counter.count
        started = time.perf_counter()
        value = call()
        self.result.step_seconds[name].append(time.perf_counter() - started)
        self.result.step_statements[name] += self.counter.count - before
        return value


def decider(doc: Any, setup: BenchSetup) -> User:
    """Who decides the document's pending approval step (the reporting line's person, or a role holder)."""
    step = current_step(doc)
    if step is None:
        raise BenchFailed(f"{doc.number} is {doc.state} but no approval step is pending")
    # The decider opens the step My tasks lists, and decides it (as the task page hands it on).
    with_pending_step(doc, step)
    if step.approver_id:
        # The bench's own user object, roles loaded, like every other actor here (as a request
        # loads its user once); another approver as the step names them.
        staff = {user.pk: user for user in setup.staff()}
        return staff.get(step.approver_id) or step.approver
    person = setup.by_role().get(step.role)
    if person is None:
        raise BenchFailed(f"the approval policy asks for role {step.role!r}; the bench has nobody with it")
    return person


def run_deal(index: int, setup: BenchSetup, deal: StepRecorder, counter: StatementCounter) -> Contract:
    sales = setup.salespeople[index % len(setup.salespeople)]
    customers = setup.customers[sales.pk]
    customer = customers[(index // len(setup.salespeople)) % len(customers)]
    today = timezone.localdate()

    inquiry: Inquiry = deal.step(
        "inquiry",
        lambda: inquiries.inquiry_create(
            actor=sales,
            customer_id=customer.pk,
            kind="inquiry",
            source="phone",
            title=f"压测询价 {index + 1}",
            description="客户需要 2 台播种机和 4 套排种器",
            deadline_on=today + datetime.timedelta(days=10),
            estimated_amount=Decimal("3000.00"),
            lines=[InquiryLineIn(setup.seeder.pk, Decimal("2")), InquiryLineIn(setup.meter.pk, Decimal("4"))],
        ),
    )

    def bid() -> Inquiry:
        doc = inquiries.inquiry_decide_bid(inquiry=inquiry, actor=setup.manager)
        if doc.state == InquiryState.DECIDING:  # major: leadership instructs
            doc = inquiries.inquiry_instruct(inquiry=doc, actor=setup.boss)
        return doc

    inquiry = deal.step("bid", bid)
    lines = [
        LineIn(product_id=setup.seeder.pk, quantity=Decimal("2"), unit_price=Decimal("1000.00")),
        LineIn(product_id=setup.meter.pk, quantity=Decimal("4"), unit_price=Decimal("250.00")),
    ]
    quotation: Quotation = deal.step(
        "quotation",
        lambda: quotations.quotation_create(
            actor=sales,
            inquiry_id=inquiry.pk,
            valid_until=today + datetime.timedelta(days=30),
            lines=lines,
            payment_terms="on_delivery",
            delivery_time="合同签订后 15 天",
            delivery_place="客户仓库",
            warranty="一年",
        ),
    )
    quotation = deal.step("submit", lambda: quotations.quotation_submit(quotation=quotation, actor=sales))

    def approve() -> Quotation:
        doc = quotation
        while doc.state == QuotationState.PENDING:
            with counter.pause():
                approver = decider(doc, setup)
            doc = quotations.quotation_approve(quotation=doc, actor=approver)
        return doc

    quotation = deal.step("approve", approve)
    quotation = deal.step("issue", lambda: quotations.quotation_issue(quotation=quotation, actor=sales))
    contract: Contract = deal.step(
        "contract", lambda: contracts.contract_draft_from_quotation(actor=sales, quotation=quotation)
    )

    def submit_confirm() -> Contract:
        doc = contracts.contract_submit(actor=sales, contract=contract)
        while doc.state == ContractState.PENDING:
            with counter.pause():
                approver = decider(doc, setup)
            doc = contracts.contract_confirm(actor=approver, contract=doc)
        return doc

    contract = deal.step("submit/confirm", submit_confirm)
    scan = SimpleUploadedFile("signed-contract.pdf", SCAN_PDF, content_type="application/pdf")
    contract = deal.step(
        "sign", lambda: contracts.contract_sign(actor=sales, contract=contract, signed_on=today, scan=scan)
    )
    contract = deal.step("archive", lambda: contracts.contract_archive(actor=setup.office, contract=contract))
    if contract.state != ContractState.ARCHIVED:
        raise BenchFailed(f"contract {contract.number} ended {contract.state}, not archived")
    return contract


def where() -> tuple[str, str, str]:
    """The database the bench runs on: vendor, name, server version."""
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor == "postgresql":
        host = connection.settings_dict.get("HOST") or "local socket"
        port = connection.settings_dict.get("PORT") or ""
        number = connection.pg_version
        server = f"PostgreSQL {number // 10000}.{number % 10000} at {host}{':' + str(port) if port else ''}"
    elif connection.vendor == "sqlite":
        import sqlite3

        server = f"SQLite {sqlite3.sqlite_version}"
    else:
        server = connection.display_name
    return connection.vendor, name, server


def run_bench(contracts_wanted: int, *, progress: Callable[[int], None] | None = None) -> BenchResult:
    """Run ``contracts_wanted`` deals; raises BenchFailed naming the deal and step that failed."""
    connection.ensure_connection()
    vendor, name, server = where()
    setup = ensure_bench_setup()
    result = BenchResult(
        contracts=0,
        seconds=0.0,
        statements=0,
        vendor=vendor,
        database=name,
        server=server,
        setup_created=setup.created,
        step_seconds={step: [] for step in STEP_NAMES},
        step_statements=dict.fromkeys(STEP_NAMES, 0),
    )
    counter = StatementCounter()
    deal = StepRecorder(result, counter)
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        for index in range(contracts_wanted):
            try:
                run_deal(index, setup, deal, counter)
            except BenchFailed as exc:
                raise BenchFailed(f"deal {index + 1}: {exc}") from exc
            except Exception as exc:
                step = STEP_NAMES[min(_steps_done(result, index), len(STEP_NAMES) - 1)]
                raise BenchFailed(f"deal {index + 1}, step {step}: {type(exc).__name__}: {exc}") from exc
            result.contracts += 1
            if progress is not None:
                progress(result.contracts)
        result.seconds = time.perf_counter() - started
    result.statements, result.control = counter.count, counter.control
    return result


def control_line(control: int, units: int, unit: str) -> str:
    per = control / units if units else 0.0
    return f"transaction control / {unit:<8}{per:10.1f}   (BEGIN …, not among the statements above)"


def _steps_done(result: BenchResult, index: int) -> int:
    """How many steps deal ``index`` finished (each finished step appended one timing)."""
    return sum(1 for step in STEP_NAMES if len(result.step_seconds[step]) > index)


def report(result: BenchResult) -> str:
    """The figures as a small plain-text table."""
    n = result.contracts
    lines = [
        f"salesops bench deals: {n} contracts, inquiry to signed and archived contract, through the services",
        f"database: {result.vendor} · {result.database} ({result.server})",
        "bench staff: branch BENCH, users bench_* ({})".format("created now" if result.setup_created else "reused"),
        "",
        f"contracts per second      {result.per_second:10.1f}   ({n} in {result.seconds:.1f} s)",
        f"SQL statements / contract {result.statements_per_contract:10.1f}   ({result.statements} in all)",
        control_line(result.control, n, "contract"),
        "",
        f"{'step':<16}{'p50 ms':>9}{'p95 ms':>9}{'SQL/contract':>14}",
    ]
    for step in STEP_NAMES:
        times = result.step_seconds[step]
        p50 = percentile(times, 50) * 1000 if times else 0.0
        p95 = percentile(times, 95) * 1000 if times else 0.0
        per = result.step_statements[step] / n if n else 0.0
        lines.append(f"{step:<16}{p50:9.2f}{p95:9.2f}{per:14.1f}")
    per_deal = [sum(result.step_seconds[s][i] for s in STEP_NAMES) for i in range(n)]
    if per_deal:
        steps_sql = sum(result.step_statements.values()) / n
        lines.append(
            f"{'whole deal':<16}{percentile(per_deal, 50) * 1000:9.2f}"
            f"{percentile(per_deal, 95) * 1000:9.2f}{steps_sql:14.1f}"
        )
    return "\n".join(lines) + "\n"
