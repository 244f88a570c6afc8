"""Receivables' rules, checked by the compliance engine (registered in ``ReceivablesConfig.ready``):
R2 (a dealer's money collected only under a permit, remitted in time), R10 for invoice requests (a
part of the rule fulfilment declares for requisitions) and R11, the daily collection check.

Each check reads its rows in one query over the window (plus a settings row or two); working days
come from the window's calendar. A missed duty of the sales office is the office clerk's who did it
late, else the office's first active member (as fulfilment's rules).
"""

import datetime

from django.db.models import Min
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.customers.models import CustomerKind
from salesops.fulfilment.rules import DAY, SLACK, ArchiveDuty, _local_day, _Office
from salesops.workflow.rules import Breach, CheckWindow, RuleCheck, Severity

from .models import DailyCheck, InvoiceRequest, InvoiceRequestState, Receipt, ReceiptState

# -- R10: an invoiced request is archived within the configured working days -------------------------


INVOICE_REQUESTS_ARCHIVED = ArchiveDuty(
    InvoiceRequest,
    stamp="invoiced_at",
    waiting=InvoiceRequestState.INVOICED,
    late_text=lambda invoiced, due, archived: (
        (
            _("Invoiced %(invoiced)s, due %(due)s, archived %(archived)s")
            if archived
            else _("Invoiced %(invoiced)s, due %(due)s, not archived")
        )
        % {"invoiced": invoiced, "due": due, "archived": archived}
    ),
    due_text=lambda invoiced, due: (
        _("Invoiced %(invoiced)s: archive it by %(due)s") % {"invoiced": invoiced, "due": due}
    ),
)


R10_INVOICE_REQUESTS = RuleCheck(
    code="R10",
    title=gettext_lazy("Goods requisitions are archived promptly"),
    text_zh="所有出站申请和发票申请应及时归档",
    severity=Severity.MINOR,
    find=INVOICE_REQUESTS_ARCHIVED.archived_late,
    at_risk=INVOICE_REQUESTS_ARCHIVED.due,
    watches={"receivables.invoicerequest": ("archive",)},
    suspect=lambda request: _local_day(request.archived_at) != _local_day(request.invoiced_at),
)


# -- R11: the day's collections are checked with finance every working day -------------------------


def _first_money_day() -> datetime.date | None:
    """The check starts with the first receipt recorded in salesops (a company's earlier days were
    kept elsewhere)."""
    first = Receipt.objects.aggregate(first=Min("created_at"))["first"]
    return _local_day(first)


def _working_days(window: CheckWindow, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days = []
    day = first
    while day <= last:
        if window.calendar.is_workday(day):
            days.append(day)
        day += DAY
    return days


def _next_working_day(window: CheckWindow, day: datetime.date) -> datetime.date:
    due, _provisional = window.deadline(day, 1)
    return due


def days_not_checked(window: CheckWindow):
    """A working day whose check was not closed by its end: the office's breach, on the next
    working day (one per day)."""
    start = _first_money_day()
    if start is None:
        return
    first = max(start, window.since - SLACK)
    last = window.today - DAY
    closed = {
        row["day"]: _local_day(row["first_closed_at"])
        for row in DailyCheck.objects.filter(day__gte=first, day__lte=last).values("day", "first_closed_at")
    }
    office = _Office()
    for day in _working_days(window, first, last):
        closed_on = closed.get(day)
        if closed_on is not None and closed_on <= day:
            continue
        occurred = _next_working_day(window, day)
        if not window.since <= occurred <= window.today:
            continue
        person = office.person()
        if person is None:
            continue
        yield Breach(
            person_id=person,
            occurred_on=occurred,
            # The day, not the clerk, keys the breach: a change of staff does not find it again.
            subject_model=DailyCheck,
            subject_number=f"R11-{day:%Y%m%d}",
            period=day.isoformat(),
            detail=(
                _("Receipts of %(day)s checked on %(closed)s")
                if closed_on
                else _("Receipts of %(day)s not checked with finance")
            )
            % {"day": day, "closed": closed_on},
            provisional=window.calendar.is_provisional(day),
        )


def today_not_checked(window: CheckWindow):
    today = window.today
    if _first_money_day() is None or not window.calendar.is_workday(today):
        return
    if DailyCheck.objects.filter(day=today, closed_at__isnull=False).exists():
        return
    person = _Office().person()
    if person is not None:
        yield Breach(
            person_id=person,
            occurred_on=today,
            subject_model=DailyCheck,
            subject_number=f"R11-{today:%Y%m%d}",
            period=today.isoformat(),
            detail=_("Check today's receipts with finance before the day ends"),
        )


R11 = RuleCheck(
    code="R11",
    title=gettext_lazy("Collections are checked with finance every day"),
    text_zh="销售后台每天应向财务部了解收款情况,及时处理收款过程中发现的问题,防止错账坏账的发生",
    severity=Severity.MODERATE,
    find=days_not_checked,
    at_risk=today_not_checked,
)

# -- R2: no collecting a dealer's money without permission; remit it promptly ------------------------


def _collected(window: CheckWindow):
    rows = Receipt.objects.filter(
        collected_by__isnull=False,
        customer__kind=CustomerKind.DEALER,
        state=ReceiptState.RECORDED,
        collected_on__gte=window.since - SLACK,
        collected_on__lte=window.today,
    )
    rows = rows.filter(pk__in=window.ids) if window.ids is not None else rows
    return list(rows.values("pk", "number", "customer_id", "collected_by_id", "collected_on", "received_on", "amount"))


def dealer_money_without_leave(window: CheckWindow):
    """A dealer's money a salesperson collected on a day no approved permit of theirs for that dealer
    covered; or remitted (received by the company) after the permit's working days — the company's
    setting when there was no permit. The collector's breach, on the day of the collection or on
    the first day late. Three queries whatever the number of receipts."""
    from salesops.expenses.models import CollectionSettings
    from salesops.expenses.selectors import permits_of

    rows = _collected(window)
    if not rows:
        return
    permits = permits_of(
        salesperson_ids={row["collected_by_id"] for row in rows}, customer_ids={row["customer_id"] for row in rows}
    )
    default_days = CollectionSettings.current().remit_working_days
    for row in rows:
        collected = row["collected_on"]
        permit = next(
            (
                p
                for p in permits
                if p.owner_id == row["collected_by_id"] and p.customer_id == row["customer_id"] and p.covers(collected)
            ),
            None,
        )
        if permit is None and window.since <= collected:
            yield Breach(
                person_id=row["collected_by_id"],
                occurred_on=collected,
                subject_model=Receipt,
                subject_id=row["pk"],
                subject_number=row["number"],
                period="no-permit",
                detail=_("Collected %(amount)s from the dealer on %(day)s without a permit")
                % {"amount": row["amount"], "day": collected},
            )
        days = permit.remit_working_days if permit is not None else default_days
        due, provisional = window.deadline(collected, days) if days else (collected, False)
        if row["received_on"] > due and window.since <= due + DAY <= window.today:
            yield Breach(
                person_id=row["collected_by_id"],
                occurred_on=due + DAY,
                subject_model=Receipt,
                subject_id=row["pk"],
                subject_number=row["number"],
                period="late",
                detail=_("Collected %(day)s, to remit by %(due)s, remitted %(received)s")
                % {"day": collected, "due": due, "received": row["received_on"]},
                provisional=provisional,
            )


R2 = RuleCheck(
    code="R2",
    title=gettext_lazy("No collecting a dealer's money without permission; remit it promptly"),
    text_zh="未经允许,销售人员不能收取经销商的款项。特殊情况下必须收取的,应及时汇回公司",
    severity=Severity.SERIOUS,
    find=dealer_money_without_leave,
    watches={"receivables.receipt": ("create",)},
    suspect=lambda receipt: receipt.collected_by_id is not None,
)

RULE_PARTS = (R10_INVOICE_REQUESTS,)
RULES = (R2, R11)
