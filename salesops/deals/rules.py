"""The deals' rules, checked by the compliance engine (registered in ``DealsConfig.ready``).

Each check reads its documents in one or two queries over the window, whatever their number;
working-day deadlines come from the window's calendar (read once per sweep).
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.models import NumberSequence
from salesops.org.models import active_holders
from salesops.org.roles import Role
from salesops.workflow.models import ApprovalStep, StepStatus
from salesops.workflow.rules import Breach, CheckWindow, RuleCheck, Severity

from .choices import ContractState
from .models import Contract, ContractRegister, Inquiry, Quotation
from .selectors.register import previous_period, register_due_on

DAY = datetime.timedelta(days=1)
# How far before the window a signing may lie and still fall due inside it (a long holiday).
SIGNING_SLACK = datetime.timedelta(days=14)


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def _only(rows, window: CheckWindow):
    return rows.filter(pk__in=window.ids) if window.ids is not None else rows


def _sales_office_person() -> int | None:
    """Whose breach the sales office's missed duty is (W3.5, R15): its first active member."""
    return active_holders(Role.BACK_OFFICE).order_by("pk").values_list("pk", flat=True).first()


def _periods_with_contracts(periods: list[str]) -> list[str]:
    """Of ``periods``, the months that drew a contract number (a month without one has nothing to
    compile, and a company's months before salesops are no breach)."""
    drawn = set(
        NumberSequence.objects.filter(prefix=Contract.NUMBER_PREFIX, period__in=periods, last__gt=0).values_list(
            "period", flat=True
        )
    )
    return [p for p in periods if p in drawn]


# -- W3.5: a signed contract is archived by the sales office on the signing day ------------------


def _signed_contracts(window: CheckWindow, *, first: datetime.date, last: datetime.date):
    rows = Contract.objects.filter(signed_on__gte=first, signed_on__lte=last).exclude(
        state=ContractState.VOIDED, archived_at=None
    )
    return _only(rows, window).values("pk", "number", "owner_id", "signed_on", "archived_at", "archived_by_id")


def contracts_archived_late(window: CheckWindow):
    """Archived after the signing day (the next working day when signed on a day off), or not
    archived once it has passed: the sales office's breach (W3.5 names it), the archiver's when it
    archived late, else the office's first active member."""
    rows = _signed_contracts(window, first=window.since - SIGNING_SLACK, last=window.today).filter(
        Q(archived_at=None) | Q(archived_at__date__gt=F("signed_on"))
    )
    office: int | None = None
    for row in rows:
        due, provisional = window.deadline(row["signed_on"], 0)
        archived = _local_day(row["archived_at"])
        late_day = archived if archived is not None else window.today
        if late_day <= due or due + DAY < window.since:
            continue
        person = row["archived_by_id"] if archived is not None else (office := office or _sales_office_person())
        if person is None:
            continue
        yield Breach(
            person_id=person,
            occurred_on=due + DAY,
            subject_model=Contract,
            subject_id=row["pk"],
            subject_number=row["number"],
            detail=(
                _("Signed %(signed)s, archived %(archived)s") % {"signed": row["signed_on"], "archived": archived}
                if archived
                else _("Signed %(signed)s, not archived") % {"signed": row["signed_on"]}
            ),
            provisional=provisional,
        )


def contracts_to_archive(window: CheckWindow):
    """Signed, not archived, and due to be archived by the horizon (the sales office's to do)."""
    rows = _signed_contracts(window, first=window.today - SIGNING_SLACK, last=window.horizon).filter(
        archived_at=None, state=ContractState.SIGNED
    )
    office = _sales_office_person() if rows else None
    for row in rows:
        due, provisional = window.deadline(row["signed_on"], 0)
        if office is not None and window.today <= due <= window.horizon:
            yield Breach(
                person_id=office,
                occurred_on=due,
                subject_model=Contract,
                subject_id=row["pk"],
                subject_number=row["number"],
                detail=_("Signed %(signed)s: archive it by %(due)s") % {"signed": row["signed_on"], "due": due},
                provisional=provisional,
            )


W3_5 = RuleCheck(
    code="W3.5",
    title=gettext_lazy("A signed contract is archived by the sales office the same day"),
    text_zh="正式《销售合同》经销售经理确认后,售楼处当天存档。",
    severity=Severity.MODERATE,
    find=contracts_archived_late,
    at_risk=contracts_to_archive,
    watches={"deals.contract": ("archive",)},
    # Archived on the signing date itself is never late (a later day may still be in time).
    suspect=lambda contract: _local_day(contract.archived_at) != contract.signed_on,
)


# -- R4: non-standard terms and prices only with the manager's prior approval -------------------


def quotations_issued_without_approval(window: CheckWindow):
    """Issued non-standard quotations without an approved manager's (or leadership's) step. The
    services make this impossible; the check proves it stays so."""
    approved = ApprovalStep.objects.filter(
        content_type=ContentType.objects.get_for_model(Quotation),
        object_id=OuterRef("pk"),
        status=StepStatus.APPROVED,
        role__in=[Role.SALES_MANAGER, Role.BRANCH_MANAGER, Role.LEADERSHIP],
    )
    rows = _only(
        Quotation.objects.filter(
            is_non_standard=True,
            issued_at__isnull=False,
            issued_at__date__gte=window.since,
            issued_at__date__lte=window.today,
        ),
        window,
    ).filter(~Exists(approved))
    for row in rows.values("pk", "number", "owner_id", "issued_at"):
        yield Breach(
            person_id=row["owner_id"],
            occurred_on=_local_day(row["issued_at"]) or window.today,
            subject_model=Quotation,
            subject_id=row["pk"],
            subject_number=row["number"],
            detail=_("Non-standard quotation issued without the manager's approval"),
        )


def non_standard_approvals(window: CheckWindow) -> dict[int, int]:
    """R4's count per salesperson: non-standard quotations a manager approved in the window (one query)."""
    rows = (
        Quotation.objects.filter(
            is_non_standard=True,
            issued_at__date__gte=window.since,
            issued_at__date__lte=window.today,
        )
        .values("owner_id")
        .annotate(n=Count("pk"))
    )
    return {row["owner_id"]: row["n"] for row in rows}


R4 = RuleCheck(
    code="R4",
    title=gettext_lazy("Non-standard terms and prices need the manager's prior approval"),
    text_zh="未经授权,销售人员不得与客户进行超出常规的谈判。超出常规的条款和价格应事先得到销售经理的批准,销售经理应指导谈判过程",
    severity=Severity.SERIOUS,
    find=quotations_issued_without_approval,
    watches={"deals.quotation": ("issue",)},
    suspect=lambda quotation: quotation.is_non_standard,
    tally=non_standard_approvals,
    tally_label=gettext_lazy("non-standard quotations approved and issued"),
)


# -- R15: last month's contract register submitted by its due day -------------------------------


def _periods_due(first: datetime.date, last: datetime.date):
    """The registers whose months end before ``last``, from ``first``'s previous month on."""
    day = first.replace(day=1)
    while day <= last:
        yield previous_period(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)


def registers_late(window: CheckWindow):
    periods = _periods_with_contracts(list(_periods_due(window.since, window.today)))
    registers = {r.period: r for r in ContractRegister.objects.filter(period__in=periods)}
    keeper: int | None = None
    for period in periods:
        due = register_due_on(period, data=window.calendar)
        register = registers.get(period)
        submitted = _local_day(register.submitted_at) if register is not None else None
        if (submitted is None and due >= window.today) or (submitted is not None and submitted <= due):
            continue
        if due + DAY < window.since:
            continue
        person = register.submitted_by_id if register is not None and submitted is not None else None
        if person is None:
            keeper = keeper or _sales_office_person()
            person = keeper
        if person is None:
            continue
        yield Breach(
            person_id=person,
            occurred_on=due + DAY,
            subject_model=ContractRegister,
            period=period,
            detail=_("Register of %(period)s due %(due)s, %(state)s")
            % {"period": period, "due": due, "state": submitted or _("not submitted")},
        )


def registers_due(window: CheckWindow):
    period = previous_period(window.today)
    due = register_due_on(period, data=window.calendar)
    if not window.today <= due <= window.horizon or not _periods_with_contracts([period]):
        return
    register = ContractRegister.objects.filter(period=period).first()
    if register is not None and register.submitted_at is not None:
        return
    keeper = _sales_office_person()
    if keeper is not None:
        yield Breach(
            person_id=keeper,
            occurred_on=due,
            subject_model=ContractRegister,
            period=period,
            detail=_("Register of %(period)s due %(due)s") % {"period": period, "due": due},
        )


R15 = RuleCheck(
    code="R15",
    title=gettext_lazy("Last month's contract numbers are compiled before the 5th"),
    text_zh="每月5日前,营业部将整理本部门第一个月销售合同的所有原始编号",
    severity=Severity.MINOR,
    find=registers_late,
    at_risk=registers_due,
    watches={},
)


# -- W2.1: an inquiry is reported to the manager at once -----------------------------------------


def inquiries_reported_late(window: CheckWindow):
    """Recorded more than one working day after the customer's inquiry arrived."""
    rows = _only(
        Inquiry.objects.filter(created_at__date__gte=window.since, created_at__date__lte=window.today).filter(
            created_at__date__gt=F("received_on")
        ),
        window,
    )
    for row in rows.values("pk", "number", "owner_id", "received_on", "created_at"):
        due, provisional = window.deadline(row["received_on"], 1)
        reported = _local_day(row["created_at"])
        if reported is None or reported <= due:
            continue
        yield Breach(
            person_id=row["owner_id"],
            occurred_on=reported,
            subject_model=Inquiry,
            subject_id=row["pk"],
            subject_number=row["number"],
            detail=_("Received %(received)s, reported %(reported)s")
            % {"received": row["received_on"], "reported": reported},
            provisional=provisional,
        )


W2_1 = RuleCheck(
    code="W2.1",
    title=gettext_lazy("An inquiry or tender is reported to the manager at once"),
    text_zh="业务员从用户处获得询价或投标信息后,应立即向部门经理汇报,由部门经理决定是否参加比价或投标",
    severity=Severity.MINOR,
    find=inquiries_reported_late,
    watches={"deals.inquiry": ("create",)},
    suspect=lambda inquiry: timezone.localtime(inquiry.created_at).date() > inquiry.received_on,
)

RULES = (W3_5, R4, R15, W2_1)
