"""Reads of the monthly contract register (合同编号登记), R15.

The register of a month lists every contract number drawn in it (``HT<YYYYMM><NNNN>``), in number
order, with its state, customer, amount and, for a voided one, the reason. Numbers are gapless by
construction (``core.numbering``: the counter moves in the creating transaction, so a rolled-back
creation burns none, and a contract is voided, never deleted); ``register_gaps`` checks it against
the month's counter all the same.

The sales office submits the previous month's register before the 5th of the month (R15; "before
the 5th" is read as "by the end of the 5th", the issue's wording): ``register_due_on`` is the 5th of
the month after the period and a register not submitted by then is overdue.

The register covers every contract of the company, so only those who see every contract read it:
the sales office, leadership and the admin (``register_get_for`` and ``register_xlsx`` check it;
``register_rows`` and ``register_gaps`` are the unscoped building blocks behind them).
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core import excel
from salesops.core.errors import InvalidInput
from salesops.core.models import NumberSequence
from salesops.core.policy import require
from salesops.org.roles import Role
from salesops.workflow.inbox import TaskItem

from ..choices import ContractState
from ..models import Contract, ContractRegister
from .contracts import url_of

PREFIX = Contract.NUMBER_PREFIX
DUE_DAY = 5
# Who reads the register: those who see every contract.
REGISTER_READERS = (Role.BACK_OFFICE, Role.LEADERSHIP, Role.ADMIN)
# Who compiles and submits it (R15: the sales office, 售楼处 = 销售办公室).
REGISTER_KEEPERS = (Role.BACK_OFFICE,)

SUBMITTED = "submitted"
DUE = "due"
OVERDUE = "overdue"
STATUS_LABELS = {
    SUBMITTED: gettext_lazy("Submitted"),
    DUE: gettext_lazy("Due"),
    OVERDUE: gettext_lazy("Overdue"),
}

_PERIOD = re.compile(r"^(\d{4})(\d{2})$")


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


def register_due_on(period: str) -> datetime.date:
    """The 5th of the month after the period (R15)."""
    year, month = parse_period(period)
    return datetime.date(year + month // 12, month % 12 + 1, DUE_DAY)


def _status(register: ContractRegister | None, period: str, today: datetime.date) -> str:
    if register is not None and register.submitted_at is not None:
        return SUBMITTED
    return DUE if today <= register_due_on(period) else OVERDUE


def register_status(period: str, today: datetime.date) -> str:
    """ "submitted", or "due" up to and including the due day, "overdue" after it (one query)."""
    return _status(ContractRegister.objects.filter(period=period).first(), period, today)


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


def register_rows(period: str) -> list[RegisterRow]:
    """Every contract number of the month, in number order (one query; unscoped, see the module)."""
    parse_period(period)
    contracts = Contract.objects.filter(number__startswith=f"{PREFIX}{period}").select_related("customer", "owner")
    rows = [
        RegisterRow(
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
        for contract in contracts
    ]
    # By sequence, not text: HT20261110000 comes after HT2026119999.
    rows.sort(key=lambda row: row.sequence)
    return rows


def register_gaps(period: str) -> list[str]:
    """Numbers drawn in the month (by its counter) or skipped that no contract holds: always empty
    (gapless by construction); anything here is a fault to investigate. Two queries."""
    parse_period(period)
    held = {
        _sequence_of(n)
        for n in Contract.objects.filter(number__startswith=f"{PREFIX}{period}").values_list("number", flat=True)
    }
    drawn = NumberSequence.objects.filter(prefix=PREFIX, period=period).values_list("last", flat=True).first() or 0
    top = max(drawn, max(held, default=0))
    return [f"{PREFIX}{period}{n:04d}" for n in range(1, top + 1) if n not in held]


@dataclass(frozen=True)
class RegisterSheet:
    """One month's register as the page shows it."""

    period: str
    rows: list[RegisterRow]
    gaps: list[str]
    register: ContractRegister | None
    due_on: datetime.date
    status: str
    status_label: str

    @property
    def voided_count(self) -> int:
        return sum(1 for row in self.rows if row.state == ContractState.VOIDED)

    @property
    def submitted_late(self) -> bool:
        register = self.register
        if register is None or register.submitted_at is None:
            return False
        return timezone.localtime(register.submitted_at).date() > self.due_on


def register_get_for(*, user, period: str, today: datetime.date | None = None) -> RegisterSheet:
    """The month's register for a reader (the sales office, leadership, admin); Forbidden otherwise."""
    require(user, *REGISTER_READERS)
    parse_period(period)
    today = today or timezone.localdate()
    register = ContractRegister.objects.filter(period=period).select_related("submitted_by").first()
    status = _status(register, period, today)
    return RegisterSheet(
        period=period,
        rows=register_rows(period),
        gaps=register_gaps(period),
        register=register,
        due_on=register_due_on(period),
        status=status,
        status_label=str(STATUS_LABELS[status]),
    )


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


def register_xlsx(*, user, period: str) -> bytes:
    """The month's register as an Excel sheet (Chinese headers), for a reader."""
    require(user, *REGISTER_READERS)
    return excel.export_xlsx(
        register_rows(period), register_columns(), title=_("Contract register %(period)s") % {"period": period}
    )


def register_tasks(user) -> list[TaskItem]:
    """The sales office's My tasks: the previous month's register while it is not submitted (one query)."""
    if Role.BACK_OFFICE not in user.roles:
        return []
    today = timezone.localdate()
    period = previous_period(today)
    register = ContractRegister.objects.filter(period=period).first()
    status = _status(register, period, today)
    if status == SUBMITTED:
        return []
    due_on = register_due_on(period)
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
