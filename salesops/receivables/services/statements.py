"""Statements of account (R13): a campaign at a cut-off prepares one statement per customer, frozen
as prepared; each is sent, and the customer's reply is recorded — agreed with the stamped scan,
disagreed with the differences — and reported to the salesperson's manager and to finance.

Only what happened counts: issued invoices and red invoices, receipts not voided, outbounds booked
and red notes received; drafts and voided documents never appear.
"""

import datetime
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput
from salesops.core.policy import require
from salesops.org.calendar import working_day_deadline
from salesops.org.models import User, active_holders
from salesops.org.roles import Role
from salesops.workflow.attachments import attachment_add, scan_problems
from salesops.workflow.services import document_create, notify, transition

from ..models import (
    Allocation,
    Invoice,
    Receipt,
    ReceiptState,
    SendMethod,
    Statement,
    StatementRun,
    StatementState,
)
from ..workflows import STATEMENT_FLOW

ZERO = Decimal("0")
DAY = datetime.timedelta(days=1)
# Who runs the campaign: finance, the sales office, the sales managers.
CAMPAIGNERS = (Role.FINANCE, Role.BACK_OFFICE, Role.SALES_MANAGER)


def default_cut_off(today: datetime.date) -> datetime.date:
    """The latest end of June or of December on or before ``today``."""
    june = datetime.date(today.year, 6, 30)
    return (
        june
        if today >= june and today < datetime.date(today.year, 12, 31)
        else (
            datetime.date(today.year, 12, 31)
            if today >= datetime.date(today.year, 12, 31)
            else datetime.date(today.year - 1, 12, 31)
        )
    )


@transaction.atomic
def statement_run_create(*, actor: User, period_end: datetime.date, reply_working_days: int = 10) -> StatementRun:
    """A campaign for the half-year ending at ``period_end`` (from the day after the last campaign's
    cut-off, or the start of that half-year)."""
    require(actor, *CAMPAIGNERS)
    errors: dict[str, list[str]] = {}
    if not isinstance(period_end, datetime.date) or period_end > timezone.localdate():
        errors["period_end"] = [_("A cut-off up to today.")]
    elif StatementRun.objects.filter(period_end=period_end).exists():
        errors["period_end"] = [_("A campaign with this cut-off exists already.")]
    if not isinstance(reply_working_days, int) or not 1 <= reply_working_days <= 60:
        errors["reply_working_days"] = [_("Between 1 and 60 working days.")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    last = StatementRun.objects.filter(period_end__lt=period_end).order_by("-period_end").first()
    start = last.period_end + DAY if last else datetime.date(period_end.year, 1 if period_end.month <= 6 else 7, 1)
    return StatementRun.objects.create(
        period_start=start, period_end=period_end, reply_working_days=reply_working_days, created_by=actor
    )


def customers_to_reconcile(run: StatementRun) -> list[int]:
    """Customers with anything invoiced, received or shipped up to the cut-off."""
    from salesops.fulfilment.selectors.invoicing import customers_delivered_to

    ids = set(Invoice.objects.filter(issued_on__lte=run.period_end).values_list("customer_id", flat=True))
    ids |= set(
        Receipt.objects.filter(received_on__lte=run.period_end, state=ReceiptState.RECORDED).values_list(
            "customer_id", flat=True
        )
    )
    ids |= customers_delivered_to(until=run.period_end)
    return sorted(ids)


def statements_prepare(*, actor: User, run: StatementRun, progress: Callable[[int, int], None] | None = None) -> int:
    """Prepare the campaign's statements, one transaction per customer (a customer prepared before is
    skipped, so a stopped run resumes); returns how many were prepared now."""
    require(actor, *CAMPAIGNERS)
    customers = customers_to_reconcile(run)
    done = set(Statement.objects.filter(run=run).values_list("customer_id", flat=True))
    StatementRun.objects.filter(pk=run.pk).update(customers=len(customers))
    made = 0
    for index, customer_id in enumerate(customers, start=1):
        if customer_id not in done:
            statement_prepare(actor=actor, run=run, customer_id=customer_id)
            made += 1
        if progress is not None:
            progress(index, len(customers))
    StatementRun.objects.filter(pk=run.pk).update(prepared=Statement.objects.filter(run=run).count())
    return made


@transaction.atomic
def statement_prepare(*, actor: User, run: StatementRun, customer_id: int) -> Statement:
    from salesops.customers.models import Customer

    customer = Customer.objects.get(pk=customer_id)
    before = run.period_start - DAY
    opening = balances_at(customer_id, before)
    closing = balances_at(customer_id, run.period_end)
    entries = statement_entries(customer_id, run.period_start, run.period_end)
    return document_create(
        Statement,
        flow=STATEMENT_FLOW,
        actor=actor,
        owner=customer.owner,
        run=run,
        customer=customer,
        period_start=run.period_start,
        period_end=run.period_end,
        opening_by_delivery=opening[0],
        opening_by_invoice=opening[1],
        closing_by_delivery=closing[0],
        closing_by_invoice=closing[1],
        entries=entries,
    )


def _money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def balances_at(customer_id: int, day: datetime.date) -> tuple[Decimal, Decimal]:
    """(by delivery, by invoice) at the end of ``day``: delivered − returned − received, and
    invoiced − red-invoiced − received."""
    from salesops.fulfilment.selectors.invoicing import delivery_entries

    delivered = sum((entry.amount for entry in delivery_entries(customer_id, until=day)), ZERO)
    invoiced = _money(
        Invoice.objects.filter(customer_id=customer_id, issued_on__lte=day).aggregate(s=Sum("total_amount"))["s"]
    )
    received = _money(
        Receipt.objects.filter(customer_id=customer_id, received_on__lte=day, state=ReceiptState.RECORDED).aggregate(
            s=Sum("amount")
        )["s"]
    )
    return delivered - received, invoiced - received


def statement_entries(customer_id: int, first: datetime.date, last: datetime.date) -> list[dict[str, Any]]:
    """What passed in the period, dated, with its effect on each basis (as text, to the fen)."""
    from salesops.fulfilment.selectors.invoicing import delivery_entries

    rows: list[dict[str, Any]] = []
    for entry in delivery_entries(customer_id, since=first, until=last):
        rows.append(_row(entry.day, entry.kind, entry.number, delivery=entry.amount))
    for invoice in Invoice.objects.filter(customer_id=customer_id, issued_on__gte=first, issued_on__lte=last).order_by(
        "issued_on", "pk"
    ):
        kind = "red_invoice" if invoice.red_of_id else "invoice"
        rows.append(_row(invoice.issued_on, kind, invoice.invoice_number, invoice=invoice.total_amount))
    receipts = Receipt.objects.filter(
        customer_id=customer_id, received_on__gte=first, received_on__lte=last, state=ReceiptState.RECORDED
    ).order_by("received_on", "pk")
    bills = _bills_of(receipts)
    for receipt in receipts:
        note = receipt.get_method_display() + (f" {receipt.reference}" if receipt.reference else "")
        if bills.get(receipt.pk):
            note = f"{receipt.get_method_display()} {'; '.join(bills[receipt.pk])}"
        rows.append(
            _row(
                receipt.received_on,
                "receipt",
                receipt.number,
                delivery=-receipt.amount,
                invoice=-receipt.amount,
                note=note,
            )
        )
    allocations = (
        Allocation.objects.filter(receipt__customer_id=customer_id, receipt__state=ReceiptState.RECORDED)
        .filter(
            Q(allocated_at__date__gte=first, allocated_at__date__lte=last)
            | Q(reversed_at__date__gte=first, reversed_at__date__lte=last)
        )
        .select_related("receipt", "invoice")
    )
    for allocation in allocations:
        target = allocation.invoice.invoice_number if allocation.invoice_id else _("prepayment")
        day = timezone.localtime(allocation.allocated_at).date()
        if first <= day <= last:
            rows.append(_row(day, "allocation", allocation.receipt.number, note=f"→ {target} {allocation.amount}"))
        if allocation.reversed_at is not None:
            day = timezone.localtime(allocation.reversed_at).date()
            if first <= day <= last:
                rows.append(
                    _row(
                        day,
                        "reversal",
                        allocation.receipt.number,
                        note=f"✕ {target} {allocation.amount} {allocation.reverse_reason}",
                    )
                )
    return sorted(rows, key=lambda row: (row["day"], ORDER.index(row["kind"]), row["number"]))


def _bills_of(receipts) -> dict[int, list[str]]:
    """The instruments each receipt was paid with: an electronic bill by its package number and
    sub-bill range, a paper one by its number. One query."""
    from ..models import Instrument

    found: dict[int, list[str]] = {}
    for row in Instrument.objects.filter(receipt__in=receipts).values(
        "receipt_id", "package_number", "range_start", "range_end", "instrument_number"
    ):
        if row["package_number"]:
            text = f"{row['package_number']} [{row['range_start']}–{row['range_end']}]"
        else:
            text = row["instrument_number"]
        found.setdefault(row["receipt_id"], []).append(text)
    return found


ORDER = ["outbound", "red_note", "invoice", "red_invoice", "receipt", "allocation", "reversal"]


def _row(day, kind: str, number: str, *, delivery=None, invoice=None, note: str = "") -> dict[str, Any]:
    return {
        "day": day.isoformat(),
        "kind": kind,
        "number": number,
        "delivery": f"{delivery:.2f}" if delivery is not None else "",
        "invoice": f"{invoice:.2f}" if invoice is not None else "",
        "note": note,
    }


def statement_send(*, statement: Statement, actor: User, method: str, sent_to: str) -> Statement:
    """Record that the statement went to the customer; the reply is expected within the campaign's
    working days."""
    errors: dict[str, list[str]] = {}
    if method not in SendMethod.values or method == SendMethod.TAX_ACCOUNT:
        errors["method"] = [_("Choose how it was sent.")]
    if not (sent_to or "").strip():
        errors["sent_to"] = [_("Say to whom (a name, an address or a number).")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    now = timezone.now()

    def values(locked: Statement) -> dict[str, Any]:
        due = working_day_deadline(timezone.localdate(), locked.run.reply_working_days).day
        return {"sent_by": method, "sent_to": sent_to.strip()[:200], "sent_at": now, "reply_due": due}

    return transition(STATEMENT_FLOW, statement, "send", actor=actor, values=values, related=("run",))


@transaction.atomic
def statement_reply(
    *,
    statement: Statement,
    actor: User,
    agreed: bool,
    replied_on: datetime.date,
    signatory: str,
    scan: Any = None,
    differences: Sequence[dict[str, Any]] = (),
) -> Statement:
    """Record the customer's reply: agreed (相符) with the stamped scan, or disagreed (不符) with the
    differences; the salesperson's manager and finance are told."""
    errors: dict[str, list[str]] = {}
    if not isinstance(replied_on, datetime.date) or replied_on > timezone.localdate():
        errors["replied_on"] = [_("A date up to today.")]
    if not (signatory or "").strip():
        errors["signatory"] = [_("Who signed the reply?")]
    if agreed:
        problems = scan_problems(scan, missing=_("Attach the customer's stamped reply (a scan or a photo)."))
        if problems:
            errors["scan"] = problems
    rows = []
    if not agreed:
        if not differences:
            errors["differences"] = [_("List what differs.")]
        for index, row in enumerate(differences):
            item = str(row.get("item", "")).strip()
            if not item:
                errors[f"differences.{index}.item"] = [_("Say which entry differs.")]
            rows.append({key: str(row.get(key, "")).strip()[:200] for key in ("item", "ours", "theirs", "note")})
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    done = transition(
        STATEMENT_FLOW,
        statement,
        "agree" if agreed else "disagree",
        actor=actor,
        values={"replied_on": replied_on, "signatory": signatory.strip()[:60], "differences": rows},
        related=("customer",),
    )
    if agreed:
        attachment_add(done, actor=actor, upload=scan, in_scope=True)
    _report(done)
    return done


def _report(statement: Statement) -> None:
    """R13: the result goes to the salesperson's manager and to finance."""
    owner = statement.owner
    people = list(active_holders(Role.FINANCE))
    if owner.manager_id:
        people.append(owner.manager)
    verdict = _("agreed") if statement.state == StatementState.AGREED else _("disagreed")
    notify(
        people,
        _("Statement %(number)s of %(customer)s: %(verdict)s")
        % {
            "number": statement.number,
            "customer": statement.customer.name,
            "verdict": verdict,
        },
        url=statement.get_absolute_url(),
    )
