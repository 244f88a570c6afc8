"""``salesops bench register --contracts N``: how the month's contract register (R15) holds up at a
real month's size.

It fills one past month (``BENCH_PERIOD``) with N contract numbers of the bench branch, every tenth
voided with a reason and one number missing (a gap), bulk-inserted: the register reads what is
stored, whatever made it. Numbers are never deleted, so a database holds one bench month: a later
run reuses it with the same N and refuses another N. Then it times, as the sales office asks for
them, the register page's read (summary and the first page of rows), the whole month's read and
the PDF (WeasyPrint), and counts their SQL statements.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import translation

from salesops.core.models import NumberSequence
from salesops.core.pdf import render_pdf

from .bench import StatementCounter, ensure_bench_setup
from .models import Contract, Quotation
from .selectors import register as register_selectors

BENCH_PERIOD = "200001"
MISSING = 7  # a number no contract holds: the gap the register must name


@dataclass
class Timing:
    name: str
    seconds: float
    statements: int
    size: str = ""


def _fill_month(count: int) -> None:
    setup = ensure_bench_setup()
    owner = setup.salespeople[0]
    customer = setup.customers[owner.pk][0]
    common = {"owner": owner, "branch": owner.branch, "department": owner.department, "customer": customer}
    with transaction.atomic():
        quotation = Quotation.objects.create(
            number=f"BJ{BENCH_PERIOD}0001", state="issued", valid_until="2000-02-01", **common
        )
        Contract.objects.bulk_create(
            (
                Contract(
                    number=f"HT{BENCH_PERIOD}{n:04d}",
                    state="voided" if n % 10 == 0 else "confirmed",
                    void_reason=f"客户取消订单 {n}" if n % 10 == 0 else "",
                    quotation=quotation,
                    total_amount=Decimal("1000.00") * n,
                    **common,
                )
                for n in range(1, count + 1)
                if n != MISSING
            ),
            batch_size=500,
        )
        NumberSequence.objects.create(prefix="HT", period=BENCH_PERIOD, last=count)


def _timed(name: str, call: Callable[[], Any], counter: StatementCounter) -> tuple[Timing, Any]:
    before = counter.count
    start = time.perf_counter()
    result = call()
    return Timing(name, time.perf_counter() - start, counter.count - before), result


class MonthTaken(Exception):
    """The bench month already holds another number of contracts (numbers are never deleted)."""


def run_register_bench(count: int) -> list[Timing]:
    held = Contract.objects.filter(number__startswith=f"HT{BENCH_PERIOD}").count()
    if held == 0:
        _fill_month(count)
    elif held != count - 1:
        raise MonthTaken(f"month {BENCH_PERIOD} holds {held + 1} numbers already; bench on a fresh database")
    office = ensure_bench_setup().office
    counter = StatementCounter()
    timings = []
    with connection.execute_wrapper(counter):
        page, _sheet = _timed(
            "page (summary + 100 rows)",
            lambda: register_selectors.register_page_for(user=office, period=BENCH_PERIOD),
            counter,
        )
        timings.append(page)
        whole, sheet = _timed(
            "whole month", lambda: register_selectors.register_get_for(user=office, period=BENCH_PERIOD), counter
        )
        timings.append(whole)

        def print_pdf() -> bytes:
            with translation.override("zh-hans"):
                context = {"sheet": sheet, "grid": register_selectors.register_print(sheet)}
                return render_pdf("deals/print/register.html", context)

        pdf, content = _timed("PDF", print_pdf, counter)
        pdf.size = f"{len(content) / 1024:.0f} KB"
        timings.append(pdf)
    return timings


def register_report(count: int, timings: list[Timing]) -> str:
    vendor = connection.vendor
    lines = [
        f"salesops bench register: one month of {count} contract numbers (every tenth voided, one gap)",
        f"database: {vendor}",
        "",
        f"{'what':28} {'seconds':>8} {'SQL':>5}  size",
    ]
    for t in timings:
        lines.append(f"{t.name:28} {t.seconds:8.3f} {t.statements:5d}  {t.size}")
    return "\n".join(lines) + "\n"
