"""Reads of the monthly contract register (合同编号登记), R15.

The register of a month lists every contract number drawn in it (``HT<YYYYMM><NNNN>``), in number
order, with its state, customer, amount and, for a voided one, the reason. Numbers are gapless by
construction (``core.numbering``: the counter moves in the creating transaction, so a rolled-back
creation burns none, and a contract is voided, never deleted); ``register_gaps`` checks it against
the month's counter all the same.

The sales office submits the previous month's register before the 5th of the month (R15; "before
the 5th" is read as "by the end of the 5th", the issue's wording): ``register_due_on`` is the 5th of
the month after the period (``Company.register_due_day``), or the next working day when the 5th is
not one, and a register not submitted by then is overdue.

The register covers every contract of the company, so only those who see every contract read it:
the sales office, leadership and the admin (``register_get_for``, ``register_page_for``,
``register_months`` and ``register_xlsx`` check it; ``register_rows`` and ``register_gaps`` are the
unscoped building blocks behind them).

A month holds thousands of contracts: the page shows them a hundred at a time under the month's
summary (counts, gaps, voids), and the PDF is printed as a grid of text lines (``register_print``),
which WeasyPrint lays out about ten times faster than a table of the same rows.
"""

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Min
from django.db.models.functions import Length
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core import excel
from salesops.core.errors import InvalidInput
from salesops.core.models import NumberSequence
from salesops.core.policy import require
from salesops.org.calendar import CalendarData, Deadline, working_day_deadline
from salesops.org.calendar import load as calendar_load
from salesops.org.models import Company
from salesops.workflow.inbox import TaskItem

from ..choices import ContractState
from ..models import Contract, ContractRegister
from ..permissions import REGISTER_KEEPERS, REGISTER_READERS
from .contracts import url_of

PREFIX = Contract.NUMBER_PREFIX

SUBMITTED = "submitted"
DUE = "due"
OVERDUE = "overdue"
STATUS_LABELS = {
    SUBMITTED: gettext_lazy("Submitted"),
    DUE: gettext_lazy("Due"),
    OVERDUE: gettext_lazy("Overdue"),
}

_PERIOD = re.compile(r"^(\d{4})(\d{2})$")
# Rows of the month's register page; months of the register list page (the current one and a year).
ROWS_PER_PAGE = 100
MONTHS_PER_PAGE = 13


def parse_period(period: Any) -> tuple[int, int]:
    """``"YYYYMM"`` → ``(year, month)``; anything else is an InvalidInput on ``period``."""
    found = _PERIOD.match(period) if isinstance(period, str) else None
    if found is None or not (1 <= int(found.group(2)) <= 12) or int(found.group(1)) < 2000:
        raise InvalidInput(_("The month is not valid."), fields={"period": [_("A month as YYYYMM.")]})
    return int(found.group(1)), int(found.group(2))


def period_of(day: datetime.date) -> str:
    return day.strftime("%Y%m")


def previous_period(day: datetime.date) -> str:
    """The month before ``day``'s month: the one whose register is due in ``day``'s month."""
    return period_of(day.replace(day=1) - datetime.timedelta(days=1))


def register_deadline(period: str, *, due_day: int | None = None, data: CalendarData | None = None) -> Deadline:
    """The company's due day (``Company.register_due_day``, the 5th by default) of the month after
    the period, or the next working day when that day is not one (R15); provisional (预计) when
    counted on a year whose official holiday arrangement is not known yet."""
    year, month = parse_period(period)
    day = due_day if due_day is not None else Company.current().register_due_day
    return working_day_deadline(datetime.date(year + month // 12, month % 12 + 1, day), 0, data=data)


def register_due_on(period: str, *, due_day: int | None = None, data: CalendarData | None = None) -> datetime.date:
    return register_deadline(period, due_day=due_day, data=data).day


def due_days() -> Callable[[str], Deadline]:
    """``register_deadline`` for many months, the company's due day and the calendar read once."""
    day, data = Company.current().register_due_day, calendar_load()
    return lambda period: register_deadline(period, due_day=day, data=data)


def _status(register: ContractRegister | None, today: datetime.date, due_on: datetime.date) -> str:
    if register is not None and register.submitted_at is not None:
        return SUBMITTED
    return DUE if today <= due_on else OVERDUE


def register_status(period: str, today: datetime.date) -> str:
    """ "submitted", or "due" up to and including the due day, "overdue" after it."""
    return _status(ContractRegister.objects.filter(period=period).first(), today, register_due_on(period))


@dataclass(frozen=True)
class RegisterRow:
    pk: int
    number: str
    sequence: int
    state: str
    state_label: str
    customer: str
    owner: str
    total_amount: Decimal
    signed_on: datetime.date | None
    void_reason: str


def _sequence_of(number: str) -> int:
    return int(number[len(PREFIX) + 6 :])


def _month_contracts(period: str):
    return Contract.objects.filter(number__startswith=f"{PREFIX}{period}")


def _row(contract: Contract) -> RegisterRow:
    return RegisterRow(
        pk=contract.pk,
        number=contract.number,
        sequence=_sequence_of(contract.number),
        state=contract.state,
        state_label=str(contract.get_state_display()),
        customer=contract.customer.name,
        owner=str(contract.owner),
        total_amount=contract.total_amount,
        signed_on=contract.signed_on,
        void_reason=contract.void_reason,
    )


def _in_number_order(contracts):
    # By sequence, not text: HT20261110000 comes after HT2026119999 (same prefix and month, so a
    # longer number is a later one).
    return contracts.order_by(Length("number"), "number")


def register_rows(period: str) -> list[RegisterRow]:
    """Every contract number of the month, in number order (one query; unscoped, see the module)."""
    parse_period(period)
    contracts = _month_contracts(period).select_related("customer", "owner")
    return [_row(contract) for contract in _in_number_order(contracts)]


def _gaps(period: str, held: set[int]) -> list[str]:
    drawn = NumberSequence.objects.filter(prefix=PREFIX, period=period).values_list("last", flat=True).first() or 0
    top = max(drawn, max(held, default=0))
    return [f"{PREFIX}{period}{n:04d}" for n in range(1, top + 1) if n not in held]


def register_gaps(period: str) -> list[str]:
    """Numbers drawn in the month (by its counter) or skipped that no contract holds: always empty
    (gapless by construction); anything here is a fault to investigate. Two queries."""
    parse_period(period)
    return _gaps(period, {_sequence_of(n) for n in _month_contracts(period).values_list("number", flat=True)})


@dataclass(frozen=True)
class VoidedNumber:
    number: str
    reason: str


@dataclass(frozen=True)
class RegisterSheet:
    """One month's register as the page and the print show it: its summary (counts, gaps, voids) and
    its rows, every row (``register_get_for``) or one page of them (``register_page_for``)."""

    period: str
    rows: list[RegisterRow]
    gaps: list[str]
    register: ContractRegister | None
    due_on: datetime.date
    status: str
    status_label: str
    contract_count: int
    voided_count: int
    voided: list[VoidedNumber] = field(default_factory=list)
    page_obj: Page | None = None
    due_provisional: bool = False  # the due day was counted on a provisional calendar (预计)

    @property
    def submitted_late(self) -> bool:
        register = self.register
        if register is None or register.submitted_at is None:
            return False
        return timezone.localtime(register.submitted_at).date() > self.due_on


def _summary(user, period: str, today: datetime.date | None) -> dict[str, Any]:
    require(user, *REGISTER_READERS)
    parse_period(period)
    today = today or timezone.localdate()
    register = ContractRegister.objects.filter(period=period).select_related("submitted_by").first()
    due = register_deadline(period)
    status = _status(register, today, due.day)
    return {
        "period": period,
        "register": register,
        "due_on": due.day,
        "due_provisional": due.provisional,
        "status": status,
        "status_label": str(STATUS_LABELS[status]),
    }


def register_get_for(*, user, period: str, today: datetime.date | None = None) -> RegisterSheet:
    """The month's register with every row, for a reader (the sales office, leadership, admin);
    Forbidden otherwise. Six queries (three for the due day: the company and the calendar)."""
    summary = _summary(user, period, today)
    rows = register_rows(period)
    voided = [VoidedNumber(row.number, row.void_reason) for row in rows if row.state == ContractState.VOIDED]
    return RegisterSheet(
        **summary,
        rows=rows,
        gaps=_gaps(period, {row.sequence for row in rows}),
        contract_count=len(rows),
        voided_count=len(voided),
        voided=voided,
    )


def register_page_for(
    *, user, period: str, page: Any = 1, per_page: int = ROWS_PER_PAGE, today: datetime.date | None = None
) -> RegisterSheet:
    """The month's summary (counts, gaps and every void with its reason) and one page of its rows, in
    number order, for a reader; Forbidden otherwise. Four queries, whatever the month holds."""
    summary = _summary(user, period, today)
    held = list(_month_contracts(period).values_list("number", "state", "void_reason"))
    voided = [VoidedNumber(number, reason) for number, state, reason in held if state == ContractState.VOIDED]
    voided.sort(key=lambda void: _sequence_of(void.number))
    contracts = _in_number_order(_month_contracts(period).select_related("customer", "owner"))
    paginator = Paginator(contracts, per_page)
    paginator.count = len(held)  # known already: no COUNT query
    page_obj = paginator.get_page(page)
    return RegisterSheet(
        **summary,
        rows=[_row(contract) for contract in page_obj.object_list],
        gaps=_gaps(period, {_sequence_of(number) for number, _state, _reason in held}),
        contract_count=len(held),
        voided_count=len(voided),
        voided=voided,
        page_obj=page_obj,
    )


@dataclass(frozen=True)
class RegisterMonth:
    period: str
    register: ContractRegister | None
    due_on: datetime.date
    status: str  # "" for the current month, which is still running
    status_label: str
    due_provisional: bool = False


def register_months(*, user, page: Any = 1, today: datetime.date | None = None) -> Page:
    """The months of the register list, newest first, ``MONTHS_PER_PAGE`` a page: the current month
    back to the earliest that drew a contract number or has a register, and at least a year.
    Six queries (three for the due days, read once)."""
    require(user, *REGISTER_READERS)
    today = today or timezone.localdate()
    current = period_of(today)
    earliest = min(
        p
        for p in (
            NumberSequence.objects.filter(prefix=PREFIX).aggregate(first=Min("period"))["first"],
            ContractRegister.objects.aggregate(first=Min("period"))["first"],
            period_of(today.replace(day=1).replace(year=today.year - 1)),
        )
        if p
    )
    periods = []
    day = today.replace(day=1)
    while period_of(day) >= earliest:
        periods.append(period_of(day))
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    page_obj = Paginator(periods, MONTHS_PER_PAGE).get_page(page)
    registers = ContractRegister.objects.in_bulk(list(page_obj.object_list), field_name="period")
    due_on = due_days()
    months = []
    for period in page_obj.object_list:
        register = registers.get(period)
        due = due_on(period)
        status = _status(register, today, due.day) if period != current else ""
        months.append(
            RegisterMonth(
                period=period,
                register=register,
                due_on=due.day,
                due_provisional=due.provisional,
                status=status,
                status_label=str(STATUS_LABELS.get(status, "")),
            )
        )
    page_obj.object_list = months
    return page_obj


# --- the printed register ---------------------------------------------------------------------
# A grid of monospaced text lines, one element per contract: WeasyPrint spends its time per box, and
# a table row is nine boxes (5,000 contracts: 35 s of CPU as a table, under 5 s as lines). Columns are measured
# in half-width cells (a Chinese character takes two in a CJK monospaced font) and a long cell wraps
# onto the row's next line; rows are cut into pages by line count, each page under its own header.
PRINT_LINES_FIRST_PAGE = 28
PRINT_LINES_PER_PAGE = 38
_GAP = "  "


@dataclass(frozen=True)
class PrintColumn:
    header: str
    width: int  # half-width cells
    right: bool = False


@dataclass(frozen=True)
class PrintRow:
    text: str  # the row's lines, joined by newlines
    lines: int
    voided: bool


def display_width(text: str) -> int:
    """Cells the text takes in a CJK monospaced font: two for a wide (or ambiguous) character."""
    return sum(2 if unicodedata.east_asian_width(char) in "WFA" else 1 for char in text)


def _wrap(text: str, width: int) -> list[str]:
    pieces, piece, used = [], "", 0
    for char in " ".join(text.split()):
        cells = display_width(char)
        if used + cells > width:
            pieces.append(piece)
            piece, used = "", 0
        piece += char
        used += cells
    return [*pieces, piece]


def _pad(text: str, column: PrintColumn) -> str:
    room = " " * max(column.width - display_width(text), 0)
    return room + text if column.right else text + room


def _grid_lines(cells: list[str], columns: list[PrintColumn]) -> list[str]:
    wrapped = [_wrap(cell, column.width) for cell, column in zip(cells, columns, strict=True)]
    height = max(len(pieces) for pieces in wrapped)
    return [
        _GAP.join(
            _pad(pieces[i] if i < len(pieces) else "", column) for pieces, column in zip(wrapped, columns, strict=True)
        ).rstrip()
        for i in range(height)
    ]


def _print_columns() -> list[PrintColumn]:
    return [
        PrintColumn("序号", 5, right=True),
        PrintColumn("合同编号", 14),
        PrintColumn("状态", 14),
        PrintColumn("客户", 40),
        PrintColumn("业务员", 12),
        PrintColumn("金额", 18, right=True),
        PrintColumn("签订日期", 10),
        PrintColumn("作废原因", 40),
    ]


def register_print(sheet: RegisterSheet) -> dict[str, Any]:
    """What the register's print template needs: the header line and the rows cut into pages."""
    columns = _print_columns()
    pages: list[list[PrintRow]] = [[]]
    room = PRINT_LINES_FIRST_PAGE
    # Printed in Chinese whatever the reader's language (the state labels).
    with translation.override("zh-hans"):
        for row in sheet.rows:
            cells = [
                str(row.sequence),
                row.number,
                str(ContractState(row.state).label) if row.state in ContractState.values else row.state,
                row.customer,
                row.owner,
                f"{row.total_amount:,.2f}",
                row.signed_on.isoformat() if row.signed_on else "",
                row.void_reason,
            ]
            lines = _grid_lines(cells, columns)
            if len(lines) > room and pages[-1]:
                pages.append([])
                room = PRINT_LINES_PER_PAGE
            pages[-1].append(PrintRow("\n".join(lines), len(lines), row.state == ContractState.VOIDED))
            room -= len(lines)
    return {"header": _grid_lines([c.header for c in columns], columns)[0], "pages": pages if pages[0] else []}


def register_columns() -> list[excel.Column]:
    return [
        excel.Column("number", gettext_lazy("Contract number")),
        excel.Column("state_label", gettext_lazy("State")),
        excel.Column("customer", gettext_lazy("Customer")),
        excel.Column("owner", gettext_lazy("Salesperson")),
        excel.Column("total_amount", gettext_lazy("Amount"), kind=excel.Kind.DECIMAL),
        excel.Column("signed_on", gettext_lazy("Signed on"), kind=excel.Kind.DATE),
        excel.Column("void_reason", gettext_lazy("Void reason")),
    ]


def register_export_rows(*, user, period: str):
    """The contracts of the month's register in number order, for a reader (unevaluated: an export
    counts them, then writes them through ``register_rows_xlsx``)."""
    require(user, *REGISTER_READERS)
    parse_period(period)
    return _in_number_order(_month_contracts(period).select_related("customer", "owner"))


def register_rows_xlsx(contracts, *, period: str, progress=None) -> bytes:
    """The month's register as an Excel sheet (Chinese headers): ``register_rows``, one query."""
    rows = (_row(contract) for contract in contracts.iterator(chunk_size=500))
    title = _("Contract register %(period)s") % {"period": period}
    return excel.export_xlsx(rows, register_columns(), title=title, progress=progress)


def register_xlsx(*, user, period: str) -> bytes:
    """The month's register as an Excel sheet (Chinese headers), for a reader."""
    return register_rows_xlsx(register_export_rows(user=user, period=period), period=period)


def register_tasks(user) -> list[TaskItem]:
    """The sales office's My tasks: the previous month's register while it is not submitted (four queries)."""
    if not user.has_role(*REGISTER_KEEPERS):
        return []
    today = timezone.localdate()
    period = previous_period(today)
    register = ContractRegister.objects.filter(period=period).first()
    due_on = register_due_on(period)
    status = _status(register, today, due_on)
    if status == SUBMITTED:
        return []
    first_of_month = timezone.make_aware(datetime.datetime.combine(today.replace(day=1), datetime.time.min))
    return [
        TaskItem(
            kind="register",
            title=_("Submit the contract register of %(period)s by %(date)s (R15)")
            % {"period": period, "date": due_on.isoformat()},
            url=url_of(register or ContractRegister(period=period)),
            since=first_of_month,
            number=f"{PREFIX}{period}",
            detail=str(STATUS_LABELS[status]),
        )
    ]
