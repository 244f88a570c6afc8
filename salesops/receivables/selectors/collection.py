"""The collection rate (收款率, D2) per salesperson or branch and period, against its target.

For a period (a month, a quarter or a year; the first and last day included):

- **due** is, over the blue invoices issued by the period's last day and due by it, what was open
  at the period's start: the invoice's total, less what red invoices issued by the period's last
  day reversed, less what was allocated to it before the period began (never below zero). That is
  the arrears carried into the period plus what falls due in it (an invoice issued in the period
  and due in it counts in full);
- **collected** is what was allocated to those same invoices during the period;
- **rate** = collected ÷ due (none when nothing was due).

An invoice paid before it falls due counts in neither figure of any period; a prepayment on an
order counts once it is allocated to the order's invoice. A reversed allocation (a mistake, undone
with a reason) counts nowhere. Each customer's invoices count for the customer's salesperson and
branch as they are now; the reader sees the customers ``Customer.objects.visible_to`` gives them
(a sales manager their team, leadership everyone).

Bills (bank and commercial acceptance bills, ``ReceivablesSettings.bills_count``): counted when
received (签收, the receipt's allocation) by default. Counted "at maturity", a bill's allocations
count neither as paid before the period nor as collected in it until the instruments register links
each bill to its receipt with its maturity date: until then a bill receipt leaves its invoices due.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Q
from django.db.models.functions import Abs
from django.utils import timezone
from django.utils.translation import gettext

from ..models import (
    Allocation,
    BillCounting,
    CollectionTarget,
    Invoice,
    PeriodKind,
    ReceiptMethod,
    ReceiptState,
    ReceivablesSettings,
)
from .balances import ZERO, summed

BILL_METHODS = (ReceiptMethod.BANK_BILL, ReceiptMethod.COMMERCIAL_BILL)
RATE_PLACES = Decimal("0.0001")
BY_SALESPERSON, BY_BRANCH = "salesperson", "branch"


@dataclass(frozen=True)
class Period:
    """A month, quarter or year (``kind``), or any span of days (``kind`` empty: no target applies)."""

    kind: str
    start: datetime.date
    end: datetime.date  # included

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == PeriodKind.YEAR:
            return str(self.start.year)
        return f"{self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"

    @classmethod
    def containing(cls, kind: str, day: datetime.date) -> "Period":
        if kind == PeriodKind.YEAR:
            return cls(kind, datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31))
        months = 3 if kind == PeriodKind.QUARTER else 1
        first_month = (day.month - 1) // months * months + 1
        start = datetime.date(day.year, first_month, 1)
        return cls(kind, start, _add_months(start, months) - datetime.timedelta(days=1))

    @classmethod
    def parse(cls, text: str) -> "Period | None":
        """``2026`` (a year), ``2026-Q4`` (a quarter) or ``2026-12`` (a month); None for anything else."""
        text = (text or "").strip().upper()
        try:
            if len(text) == 4 and text.isdigit():
                return cls.containing(PeriodKind.YEAR, datetime.date(int(text), 1, 1))
            year, _sep, part = text.partition("-")
            if len(year) != 4 or not year.isdigit():
                return None
            if part.startswith("Q") and part[1:] in {"1", "2", "3", "4"}:
                return cls.containing(PeriodKind.QUARTER, datetime.date(int(year), int(part[1:]) * 3, 1))
            if len(part) == 2 and part.isdigit():
                return cls.containing(PeriodKind.MONTH, datetime.date(int(year), int(part), 1))
        except ValueError:
            return None
        return None

    def previous(self) -> "Period":
        return Period.containing(self.kind, self.start - datetime.timedelta(days=1))

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as local instants: from its first day's midnight to the midnight after its last."""
        start = timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))
        end = timezone.make_aware(datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min))
        return start, end


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class CollectionRow:
    """One salesperson's or branch's figures (``subject`` None: the total)."""

    subject: Any
    due: Decimal
    collected: Decimal
    target: Decimal | None = None

    @property
    def rate(self) -> Decimal | None:
        return (self.collected / self.due).quantize(RATE_PLACES) if self.due > 0 else None

    @property
    def gap(self) -> Decimal | None:
        """Actual rate less target (negative: behind)."""
        return None if self.rate is None or self.target is None else self.rate - self.target

    @property
    def rate_percent(self) -> str | None:
        return percent(self.rate)

    @property
    def target_percent(self) -> str | None:
        return percent(self.target)

    @property
    def gap_percent(self) -> str | None:
        """The gap in percentage points, signed (``+2.5`` ahead, ``-10.0`` behind)."""
        return None if self.gap is None else f"{'+' if self.gap >= 0 else ''}{percent(self.gap)}"


@dataclass(frozen=True)
class CollectionReport:
    period: Period
    by: str
    bills_count: str
    rows: list[CollectionRow]

    @property
    def total(self) -> CollectionRow:
        return CollectionRow(
            subject=None,
            due=sum((row.due for row in self.rows), ZERO),
            collected=sum((row.collected for row in self.rows), ZERO),
        )


def _figures(customers: Any, period: Period, bills_count: str) -> list[dict[str, Any]]:
    """Per blue invoice that counts in ``period``: its customer's salesperson and branch, due and
    collected. One query."""
    start_at, end_at = period.moments()
    allocations = Allocation.objects.active().filter(receipt__state=ReceiptState.RECORDED, invoice__isnull=False)
    if bills_count == BillCounting.MATURITY:
        allocations = allocations.exclude(receipt__method__in=BILL_METHODS)
    reds = Invoice.objects.filter(red_of__isnull=False, issued_on__lte=period.end)
    rows = (
        Invoice.objects.filter(
            red_of__isnull=True, customer__in=customers, issued_on__lte=period.end, due_on__lte=period.end
        )
        .annotate(
            reversed_by_end=summed(reds, Abs("total_amount"), by="red_of"),
            paid_before=summed(allocations.filter(allocated_at__lt=start_at), "amount", by="invoice"),
            collected=summed(
                allocations.filter(allocated_at__gte=start_at, allocated_at__lt=end_at), "amount", by="invoice"
            ),
        )
        .filter(total_amount__gt=F("reversed_by_end") + F("paid_before"))
        .order_by()
        .values("customer__owner", "customer__branch", "total_amount", "reversed_by_end", "paid_before", "collected")
    )
    return [
        {
            "salesperson": row["customer__owner"],
            "branch": row["customer__branch"],
            "due": row["total_amount"] - row["reversed_by_end"] - row["paid_before"],
            "collected": row["collected"],
        }
        for row in rows
    ]


def _visible_customers(user, salesperson_id: int | None, branch_id: int | None) -> Any:
    from salesops.customers.models import Customer

    customers = Customer.objects.visible_to(user)
    if salesperson_id:
        customers = customers.filter(owner_id=salesperson_id)
    if branch_id:
        customers = customers.filter(branch_id=branch_id)
    return customers


def collection_rate(
    *,
    user,
    period: Period,
    by: str = BY_SALESPERSON,
    salesperson_id: int | None = None,
    branch_id: int | None = None,
    bills_count: str | None = None,
) -> CollectionReport:
    """The period's due, collected and rate per salesperson (or branch) of the customers ``user``
    sees, each with its target for the period when one is set. Three queries (and the settings')."""
    from salesops.org.models import Branch, User

    bills_count = bills_count or ReceivablesSettings.current().bills_count
    totals: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for figure in _figures(_visible_customers(user, salesperson_id, branch_id), period, bills_count):
        sums = totals[figure[by]]
        sums[0] += figure["due"]
        sums[1] += figure["collected"]
    model: Any = Branch if by == BY_BRANCH else User
    subjects = model.objects.in_bulk(list(totals))
    targets = targets_for(period, by, list(totals))
    rows = [
        CollectionRow(subject=subjects[key], due=due, collected=collected, target=targets.get(key))
        for key, (due, collected) in totals.items()
    ]
    rows.sort(key=lambda row: (row.rate is None, row.rate or ZERO, str(row.subject)))
    return CollectionReport(period=period, by=by, bills_count=bills_count, rows=rows)


def targets_for(period: Period, by: str, keys: list[int]) -> dict[int, Decimal]:
    """The target rate set for each salesperson (or branch) of ``keys`` for exactly this period."""
    if not period.kind or not keys:
        return {}
    field = "branch_id" if by == BY_BRANCH else "salesperson_id"
    found = CollectionTarget.objects.filter(
        Q(**{f"{field}__in": keys}), period_kind=period.kind, period_start=period.start
    ).values_list(field, "target_rate")
    return dict(found)


def collection_trend(
    *,
    user,
    period: Period,
    count: int = 6,
    salesperson_id: int | None = None,
    branch_id: int | None = None,
    bills_count: str | None = None,
) -> list[CollectionRow]:
    """The total rate of ``count`` periods of the same kind ending with ``period``, oldest first
    (``subject`` is each period): one query per period."""
    bills_count = bills_count or ReceivablesSettings.current().bills_count
    customers = _visible_customers(user, salesperson_id, branch_id)
    periods = [period]
    while len(periods) < count:
        periods.insert(0, periods[0].previous())
    trend = []
    for each in periods:
        figures = _figures(customers, each, bills_count)
        trend.append(
            CollectionRow(
                subject=each,
                due=sum((f["due"] for f in figures), ZERO),
                collected=sum((f["collected"] for f in figures), ZERO),
            )
        )
    return trend


def percent(rate: Decimal | None) -> str | None:
    """A rate as ECharts reads it: percent to one decimal, as a string (no float)."""
    return None if rate is None else str((rate * 100).quantize(Decimal("0.1")))


def collection_chart_option(report: CollectionReport) -> dict[str, Any]:
    """ECharts option: each salesperson's (branch's) rate as a bar, its target as a marker."""
    names = [str(row.subject) for row in report.rows]
    return {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [gettext("Collection rate"), gettext("Target")]},
        "grid": {"left": 50, "right": 20, "top": 40, "bottom": 60},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": {"type": "value", "name": "%", "min": 0},
        "series": [
            {
                "type": "bar",
                "name": gettext("Collection rate"),
                "barMaxWidth": 40,
                "data": [percent(row.rate) for row in report.rows],
            },
            {
                "type": "scatter",
                "name": gettext("Target"),
                "symbol": "rect",
                "symbolSize": [36, 4],
                "data": [percent(row.target) for row in report.rows],
            },
        ],
    }


def collection_trend_option(trend: list[CollectionRow]) -> dict[str, Any]:
    """ECharts option: the total rate over the periods (a line) with the amounts due and collected (bars)."""
    return {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [gettext("Amount due"), gettext("Collected"), gettext("Collection rate")]},
        "grid": {"left": 80, "right": 50, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": [row.subject.label for row in trend]},
        "yAxis": [{"type": "value", "name": "¥"}, {"type": "value", "name": "%", "min": 0}],
        "series": [
            {"type": "bar", "name": gettext("Amount due"), "data": [str(row.due) for row in trend]},
            {"type": "bar", "name": gettext("Collected"), "data": [str(row.collected) for row in trend]},
            {
                "type": "line",
                "name": gettext("Collection rate"),
                "yAxisIndex": 1,
                "data": [percent(row.rate) for row in trend],
            },
        ],
    }
