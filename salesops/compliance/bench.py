"""``salesops bench compliance --documents N``: a full sweep over N documents per rule.

It fills, for each wired rule, N documents of the bench branch dated in two months of 2025
(``SINCE`` .. ``TODAY``), one in a hundred breaking the rule, bulk-inserted: the checks read what
is stored, whatever made it. Then it sweeps twice with ``today=TODAY`` and times each rule: the
first sweep records the breaches (a few statements per new violation), the second finds them
again and records nothing, and its statements are the check's own, the same for any N.
The rows stay; a later run on the same database reuses them with the same N and refuses another.
"""

import datetime
import time
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from salesops.deals.bench import StatementCounter, ensure_bench_setup
from salesops.deals.models import Contract, Inquiry, Quotation
from salesops.expenses.models import ExpenseRequest, SpecialFee
from salesops.workflow.models import ApprovalStep, StepStatus

from . import services
from .models import Violation

TODAY = datetime.date(2025, 6, 30)
SINCE = datetime.date(2025, 5, 1)
DAYS = (TODAY - SINCE).days + 1
BREAK_EVERY = 100
BATCH = 2000
MARK = "BCH"  # numbers of the bench's documents: <type prefix>BCH<nnnnnnnn>


class BenchTaken(Exception):
    """The database holds bench documents of another size (they are never deleted)."""


def _day(n: int) -> datetime.date:
    return SINCE + datetime.timedelta(days=n % DAYS)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _common(setup, n: int, prefix: str) -> dict:
    owner = setup.salespeople[n % len(setup.salespeople)]
    return {
        "number": f"{prefix}{MARK}{n:08d}",
        "owner": owner,
        "branch_id": owner.branch_id,
        "department_id": owner.department_id,
        "created_at": _at(_day(n)),
    }


def _breaks(n: int) -> bool:
    return n % BREAK_EVERY == 0


def _fill(count: int) -> None:
    setup = ensure_bench_setup()
    customers = {s.pk: setup.customers[s.pk][0] for s in setup.salespeople}
    office = setup.office
    fee_type = ContentType.objects.get_for_model(SpecialFee)
    expense_type = ContentType.objects.get_for_model(ExpenseRequest)
    with transaction.atomic():
        quotation = None
        for start in range(1, count + 1, BATCH):
            numbers = range(start, min(start + BATCH, count + 1))
            contracts, quotations, inquiries, expenses, fees = [], [], [], [], []
            for n in numbers:
                common = _common(setup, n, "")
                customer = customers[common["owner"].pk]
                day = _day(n)
                quotations.append(
                    Quotation(
                        **{**common, "number": f"BJ{MARK}{n:08d}"},
                        customer=customer,
                        state="issued",
                        valid_until=TODAY,
                        issued_at=_at(day),
                        is_non_standard=_breaks(n),
                    )
                )
                inquiries.append(
                    Inquiry(
                        **{**common, "number": f"XJ{MARK}{n:08d}"},
                        customer=customer,
                        source="visit",
                        title=f"压测询价 {n}",
                        state="reported",
                        received_on=day - datetime.timedelta(days=7 if _breaks(n) else 0),
                    )
                )
                expenses.append(
                    ExpenseRequest(
                        **{**common, "number": f"FY{MARK}{n:08d}"},
                        category="travel",
                        amount=Decimal("100.00"),
                        planned_on=day,
                        purpose="压测",
                        state="approved",
                        incurred_before_approval=_breaks(n),
                        incurred_on=day if _breaks(n) else None,
                    )
                )
                fees.append(
                    SpecialFee(
                        **{**common, "number": f"TS{MARK}{n:08d}"},
                        customer=customer,
                        kind="marketing",
                        amount=Decimal("100.00"),
                        reason="压测",
                        state="paid",
                        paid_on=day,
                    )
                )
            Quotation.objects.bulk_create(quotations)
            quotation = quotation or quotations[0]
            for n in numbers:
                common = _common(setup, n, "")
                day = _day(n)
                contracts.append(
                    Contract(
                        **{**common, "number": f"HT{MARK}{n:08d}"},
                        customer=customers[common["owner"].pk],
                        quotation=quotation,
                        state="signed" if _breaks(n) else "archived",
                        signed_on=day,
                        archived_at=None if _breaks(n) else _at(day, 16),
                        archived_by=None if _breaks(n) else office,
                    )
                )
            Contract.objects.bulk_create(contracts)
            Inquiry.objects.bulk_create(inquiries)
            ExpenseRequest.objects.bulk_create(expenses)
            made_fees = SpecialFee.objects.bulk_create(fees)
            steps = [
                # leadership's instruction on every fee but the breaking ones (R6)
                ApprovalStep(
                    content_type=fee_type, object_id=fee.pk, sequence=20, role="leadership", status=StepStatus.APPROVED
                )
                for n, fee in zip(numbers, made_fees, strict=True)
                if not _breaks(n)
            ]
            made_expenses = ExpenseRequest.objects.filter(number__in=[f"FY{MARK}{n:08d}" for n in numbers])
            steps += [
                # an approval pending with the manager: for a day, or for weeks on the breaking ones (D7)
                ApprovalStep(
                    content_type=expense_type,
                    object_id=expense.pk,
                    sequence=10,
                    role="sales_manager",
                    approver=setup.manager,
                    status=StepStatus.PENDING,
                    pending_since=_at(
                        TODAY - datetime.timedelta(days=30 if int(expense.number[-8:]) % BREAK_EVERY == 0 else 0)
                    ),
                )
                for expense in made_expenses.only("pk", "number")
            ]
            ApprovalStep.objects.bulk_create(steps)


@dataclass
class RuleTiming:
    code: str
    first_seconds: float
    first_statements: int
    found: int
    again_seconds: float
    again_statements: int


def _sweep(code: str, counter: StatementCounter) -> tuple[float, int, int]:
    before = counter.count
    start = time.perf_counter()
    found = services.sweep(today=TODAY, since=SINCE, codes=[code]).get(code, 0)
    return time.perf_counter() - start, counter.count - before, found


def run_compliance_bench(count: int, codes: list[str] | None = None) -> list[RuleTiming]:
    held = Contract.objects.filter(number__startswith=f"HT{MARK}").count()
    if held == 0:
        _fill(count)
        if connection.vendor == "postgresql":
            # Bulk-loaded tables have no statistics yet (autovacuum gets to them later): without
            # them the planner nests loops over 100,000 rows, which a production database never does.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    elif held != count:
        raise BenchTaken(f"the database holds {held} bench documents per rule already; use --documents {held}")
    services.current_rule_set()
    timings = []
    counter = StatementCounter()
    wanted = codes or ["W3.5", "R4", "W2.1", "R3", "R6", "D7"]
    with connection.execute_wrapper(counter):
        for code in wanted:
            first_seconds, first_statements, found = _sweep(code, counter)
            again_seconds, again_statements, _none = _sweep(code, counter)
            timings.append(RuleTiming(code, first_seconds, first_statements, found, again_seconds, again_statements))
    return timings


def compliance_report(count: int, timings: list[RuleTiming]) -> str:
    lines = [
        f"salesops bench compliance: {count} documents per rule, one in {BREAK_EVERY} breaking it",
        f"database: {connection.vendor}; violations on record: {Violation.objects.count()}",
        "",
        f"{'rule':6} {'1st sweep s':>11} {'SQL':>7} {'new':>6}   {'2nd sweep s':>11} {'SQL':>5}",
    ]
    for t in timings:
        lines.append(
            f"{t.code:6} {t.first_seconds:11.3f} {t.first_statements:7d} {t.found:6d}   "
            f"{t.again_seconds:11.3f} {t.again_statements:5d}"
        )
    return "\n".join(lines) + "\n"
