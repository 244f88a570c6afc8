"""Ageing of receivables (账龄, W5.1): what is open on issued blue invoices, by how far past its due
date it is on a day — not due, 1–30, 31–60, 61–90 and more than 90 days — per customer and in
total. Days past due = the day − ``due_on``: an invoice due today is not due yet; one due yesterday
is 1 day past due.

The customers are those the reader sees (``Customer.objects.visible_to``); the same selector feeds
the page, its chart, its Excel export and the API. Two queries whatever the number of invoices.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from .balances import MONEY, OPEN, ZERO, open_balances


@dataclass(frozen=True)
class Bucket:
    key: str
    label: Any
    first_day: int  # days past due, inclusive ("not due": 0 or less)
    last_day: int | None  # inclusive; None: no upper bound


BUCKETS = (
    Bucket("not_due", gettext_lazy("Not due"), 0, 0),
    Bucket("days_1_30", gettext_lazy("1–30 days"), 1, 30),
    Bucket("days_31_60", gettext_lazy("31–60 days"), 31, 60),
    Bucket("days_61_90", gettext_lazy("61–90 days"), 61, 90),
    Bucket("over_90", gettext_lazy("Over 90 days"), 91, None),
)
BUCKET_KEYS = tuple(bucket.key for bucket in BUCKETS)


def bucket_of(days_past_due: int) -> str:
    """The bucket of an amount ``days_past_due`` days past its due date (0 or less: not due)."""
    for bucket in BUCKETS[1:]:
        if days_past_due >= bucket.first_day and (bucket.last_day is None or days_past_due <= bucket.last_day):
            return bucket.key
    return BUCKETS[0].key


def _due_between(bucket: Bucket, today: datetime.date) -> Q:
    """Invoices whose days past due on ``today`` fall in ``bucket``: a range of due dates."""
    if bucket.key == "not_due":
        return Q(invoice__due_on__gte=today)
    condition = Q(invoice__due_on__lte=today - datetime.timedelta(days=bucket.first_day))
    if bucket.last_day is not None:
        condition &= Q(invoice__due_on__gte=today - datetime.timedelta(days=bucket.last_day))
    return condition


@dataclass(frozen=True)
class AgeingRow:
    customer: Any
    amounts: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)

    @property
    def overdue(self) -> Decimal:
        return self.total - self.amounts["not_due"]

    def __getattr__(self, name: str) -> Decimal:
        # ``row.days_1_30`` in templates and exports
        if name in BUCKET_KEYS:
            return self.amounts[name]
        raise AttributeError(name)


@dataclass(frozen=True)
class Ageing:
    today: datetime.date
    rows: list[AgeingRow]

    @property
    def totals(self) -> AgeingRow:
        return AgeingRow(
            customer=None, amounts={key: sum((row.amounts[key] for row in self.rows), ZERO) for key in BUCKET_KEYS}
        )


def ageing(
    *,
    user,
    today: datetime.date | None = None,
    salesperson_id: int | None = None,
    branch_id: int | None = None,
) -> Ageing:
    """The open amounts of the customers ``user`` sees, per customer (the most overdue first) and bucket."""
    from salesops.customers.models import Customer

    today = today or timezone.localdate()
    customers = Customer.objects.visible_to(user)
    if salesperson_id:
        customers = customers.filter(owner_id=salesperson_id)
    if branch_id:
        customers = customers.filter(branch_id=branch_id)
    sums = {
        bucket.key: Sum(Case(When(_due_between(bucket, today), then=OPEN), default=Value(ZERO), output_field=MONEY))
        for bucket in BUCKETS
    }
    found = {
        row["invoice__customer"]: row
        for row in open_balances()
        .filter(invoice__customer__in=customers)
        .order_by()
        .values("invoice__customer")
        .annotate(**sums)
    }
    people = Customer.objects.filter(pk__in=found).select_related("owner", "branch")
    rows = [AgeingRow(customer=c, amounts={key: _money(found[c.pk][key]) for key in BUCKET_KEYS}) for c in people]
    rows.sort(key=lambda row: (-row.overdue, -row.total, row.customer.code))
    return Ageing(today=today, rows=rows)


def _money(value: Decimal | None) -> Decimal:
    return ZERO if value is None else value


def ageing_chart_option(report: Ageing) -> dict[str, Any]:
    """ECharts option: the open amount in each bucket (bars); amounts stay decimal strings."""
    totals = report.totals
    return {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 80, "right": 20, "top": 30, "bottom": 40},
        "xAxis": {"type": "category", "data": [str(bucket.label) for bucket in BUCKETS]},
        "yAxis": {"type": "value", "name": "¥"},
        "series": [
            {
                "type": "bar",
                "name": gettext("Open amount"),
                "barMaxWidth": 48,
                "data": [
                    {"value": str(totals.amounts[bucket.key]), "itemStyle": {"color": color}}
                    for bucket, color in zip(BUCKETS, ("#6c757d", "#ffc107", "#fd7e14", "#dc3545", "#842029"))
                ],
            }
        ],
    }
