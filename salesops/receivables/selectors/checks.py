"""Reads of the daily collection check (R11): the recent working days with their check, and one
day's receipts, confirmations and differences. Only those who check or oversee the day's money see
them (``DailyCheck.objects.visible_to``)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from salesops.org.calendar import load as load_calendar

from ..models import DailyCheck, DailyCheckState, Receipt, ReceiptState
from ..models.checks import CHECKERS

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class DayRow:
    day: datetime.date
    state: str  # "closed", "open" or "missing"
    receipt_count: int
    receipt_total: Decimal
    check: DailyCheck | None


def recent_days(*, user, until: datetime.date | None = None, working_days: int = 20) -> list[DayRow]:
    """The last ``working_days`` working days up to ``until`` (today), newest first, each with its
    check (missing when none was opened) and its receipts; a day off shows too when money came in
    or someone checked it. Three queries whatever the days."""
    last = until or timezone.localdate()
    calendar = load_calendar()
    span: list[datetime.date] = []
    day, counted = last, 0
    while counted < working_days and day > last - datetime.timedelta(days=working_days * 3):
        span.append(day)
        counted += calendar.is_workday(day)
        day -= DAY
    if not span:
        return []
    checks = {check.day: check for check in DailyCheck.objects.visible_to(user).filter(day__in=span)}
    money = {
        row["received_on"]: row
        for row in Receipt.objects.filter(received_on__in=span, state=ReceiptState.RECORDED)
        .values("received_on")
        .annotate(n=Count("pk"), s=Sum("amount"))
    }
    rows = []
    for day in span:
        if not (calendar.is_workday(day) or day in checks or day in money):
            continue
        check = checks.get(day)
        found = money.get(day, {})
        state = check.state if check is not None else "missing"
        rows.append(DayRow(day, state, found.get("n", 0), found.get("s") or Decimal("0"), check))
    return rows


def day_detail(*, user, day: datetime.date) -> dict[str, Any]:
    """One day: its check (None before anyone confirmed), its receipts, its differences."""
    check = (
        DailyCheck.objects.visible_to(user)
        .select_related("office_confirmed_by", "finance_confirmed_by")
        .filter(day=day)
        .first()
    )
    receipts = list(
        Receipt.objects.filter(received_on=day, state=ReceiptState.RECORDED)
        .select_related("customer", "recorded_by", "collected_by")
        .order_by("pk")
    )
    differences = list(check.differences.select_related("raised_by", "resolved_by", "receipt")) if check else []
    return {
        "day": day,
        "check": check,
        "receipts": receipts,
        "total": sum((receipt.amount for receipt in receipts), Decimal("0")),
        "differences": differences,
        "closed": check is not None and check.state == DailyCheckState.CLOSED,
    }


__all__ = ["CHECKERS", "DayRow", "day_detail", "recent_days"]
