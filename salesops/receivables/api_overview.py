"""REST API of the receivables overview (W5.1, D2): the customer accounts (a paged list) and one
customer's account, the ageing, the dunning list, the collection rate, and setting a collection
target. The same scoped selectors as the pages: 403 for a role that reads no customers, 404 for a
customer outside the caller's scope, 422 with ``extra.fields`` for bad input."""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema, Status

from salesops.core.api import ListQuery, Router, listing_page, page_schema
from salesops.core.errors import InvalidInput
from salesops.core.listing import MAX_DB_INTEGER
from salesops.core.policy import policy
from salesops.customers.permissions import CUSTOMER_READERS

from .models import BillCounting, PeriodKind
from .selectors import ageing as ageing_selectors
from .selectors import collection as collection_selectors
from .selectors.account_detail import account_detail
from .selectors.balances import account_list, account_listing, account_totals
from .selectors.dunning import dunning_list
from .services.targets import TARGET_SETTERS, collection_target_set

router = Router(tags=["receivables"])
READERS = CUSTOMER_READERS
Id = Annotated[int, Field(ge=1, le=MAX_DB_INTEGER)]


class ScopeQuery(Schema):
    """Narrow a report to one salesperson's or one branch's customers (within the caller's own)."""

    salesperson: Id | None = None
    branch: Id | None = None


# --- customer accounts ----------------------------------------------------------------------------


class AccountOut(Schema):
    customer_id: int = Field(..., alias="pk")
    code: str
    name: str
    salesperson_id: int = Field(..., alias="owner_id")
    branch_id: int
    invoiced_amount: Decimal
    red_amount: Decimal
    paid_amount: Decimal = Field(..., description="Live allocations of recorded receipts, prepayments included.")
    balance_amount: Decimal = Field(..., description="Invoiced − red-invoiced − paid (negative: paid ahead).")
    credit_amount: Decimal = Field(..., description="Received and not allocated.")
    overdue_amount: Decimal


class AccountTotalsOut(Schema):
    invoiced: Decimal
    red: Decimal
    paid: Decimal
    balance: Decimal
    credit: Decimal
    overdue: Decimal


class AccountFilters(ListQuery):
    salesperson: Id | None = None
    branch: Id | None = None
    overdue: bool | None = None


@router.get(
    "/accounts",
    response=page_schema(AccountOut, "CustomerAccountPage", totals=AccountTotalsOut),
    operation_id="customer_account_list",
)
@policy(*READERS)
def customer_account_list(request, filters: Query[AccountFilters]):
    """What each customer the caller sees owes, searched, filtered, sorted and paged as the list page;
    ``totals`` covers every matching customer."""
    user = request.auth
    return listing_page(account_listing(user=user), account_list(user=user), filters, totals=account_totals)


class SourceOut(Schema):
    kind: str
    id: int
    number: str
    total: Decimal
    delivered_value: Decimal
    invoiced: Decimal
    paid: Decimal
    prepaid: Decimal
    open: Decimal


class InvoiceRowOut(Schema):
    invoice_id: int
    number: str
    invoice_number: str
    issued_on: datetime.date
    due_on: datetime.date
    total: Decimal
    reversed: Decimal
    paid: Decimal
    open: Decimal
    days_overdue: int


class DeliveryOut(Schema):
    kind: str = Field(..., description="outbound or red_note")
    id: int
    number: str
    on: datetime.date | None
    is_exchange: bool
    counts: bool = Field(..., description="False for a red note not yet received into stock.")
    value: Decimal


class GapOut(Schema):
    order_line_id: int
    product_id: int
    product_name: str
    kept: Decimal
    invoiced: Decimal
    quantity: Decimal
    value: Decimal


class AccountDetailOut(Schema):
    customer_id: int
    invoiced: Decimal
    red_invoiced: Decimal
    paid: Decimal
    balance: Decimal
    credit: Decimal
    overdue: Decimal
    by_contract: list[SourceOut]
    by_invoice: list[InvoiceRowOut]
    by_delivery: list[DeliveryOut]
    delivered_not_invoiced: list[GapOut]
    invoiced_not_delivered: list[GapOut]


def _gap(gap: Any) -> dict[str, Any]:
    line = gap.line
    return {
        "order_line_id": line.pk,
        "product_id": line.product_id,
        "product_name": line.product.name,
        "kept": gap.kept,
        "invoiced": gap.invoiced,
        "quantity": gap.quantity,
        "value": gap.value,
    }


@router.get("/accounts/{customer_id}", response=AccountDetailOut, operation_id="customer_account_get")
@policy(*READERS)
def customer_account_get(request, customer_id: Id):
    """One customer's account by contract, by invoice and by delivery, and the gaps between what was
    delivered and what was invoiced."""
    detail = account_detail(user=request.auth, customer_id=customer_id)
    account = detail.account
    return {
        "customer_id": detail.customer.pk,
        "invoiced": account.invoiced,
        "red_invoiced": account.red_invoiced,
        "paid": account.allocated,
        "balance": account.balance,
        "credit": account.unallocated,
        "overdue": detail.overdue,
        "by_contract": [
            {
                "kind": "contract" if row.source._meta.model_name == "contract" else "phone_order",
                "id": row.source.pk,
                "number": row.source.number,
                "total": row.total,
                "delivered_value": row.delivered_value,
                "invoiced": row.invoiced,
                "paid": row.paid,
                "prepaid": row.prepaid,
                "open": row.open,
            }
            for row in detail.sources
        ],
        "by_invoice": [
            {
                "invoice_id": row.invoice.pk,
                "number": row.invoice.number,
                "invoice_number": row.invoice.invoice_number,
                "issued_on": row.invoice.issued_on,
                "due_on": row.invoice.due_on,
                "total": row.total,
                "reversed": row.reversed,
                "paid": row.paid,
                "open": row.open,
                "days_overdue": row.days_overdue,
            }
            for row in detail.invoices
        ],
        "by_delivery": [
            {
                "kind": "red_note" if row.is_red else "outbound",
                "id": row.document.pk,
                "number": row.document.number,
                "on": row.on,
                "is_exchange": row.is_exchange,
                "counts": row.counts,
                "value": row.value,
            }
            for row in detail.deliveries
        ],
        "delivered_not_invoiced": [_gap(gap) for gap in detail.not_invoiced],
        "invoiced_not_delivered": [_gap(gap) for gap in detail.not_delivered],
    }


# --- ageing and dunning ---------------------------------------------------------------------------


BUCKETS_TEXT = "Open amount per bucket of days past due: " + ", ".join(ageing_selectors.BUCKET_KEYS)


class AgeingRowOut(Schema):
    customer_id: int | None
    code: str
    name: str
    salesperson_id: int | None
    amounts: dict[str, Decimal] = Field(..., description=BUCKETS_TEXT)
    overdue: Decimal
    total: Decimal


class AgeingOut(Schema):
    today: datetime.date
    buckets: list[str]
    rows: list[AgeingRowOut]
    totals: AgeingRowOut


def _ageing_row(row: Any) -> dict[str, Any]:
    customer = row.customer
    return {
        "customer_id": customer.pk if customer else None,
        "code": customer.code if customer else "",
        "name": customer.name if customer else "",
        "salesperson_id": customer.owner_id if customer else None,
        "amounts": row.amounts,
        "overdue": row.overdue,
        "total": row.total,
    }


@router.get("/ageing", response=AgeingOut, operation_id="receivables_ageing")
@policy(*READERS)
def receivables_ageing(request, scope: Query[ScopeQuery]):
    """Open invoice amounts of the caller's customers by days past due: per customer and in total."""
    report = ageing_selectors.ageing(user=request.auth, salesperson_id=scope.salesperson, branch_id=scope.branch)
    return {
        "today": report.today,
        "buckets": list(ageing_selectors.BUCKET_KEYS),
        "rows": [_ageing_row(row) for row in report.rows],
        "totals": _ageing_row(report.totals),
    }


class DunningRowOut(Schema):
    salesperson_id: int
    customer_id: int
    invoice_id: int
    invoice_number: str
    due_on: datetime.date
    days_overdue: int
    open: Decimal
    payment_request_id: int | None
    payment_request_number: str
    payment_request_state: str
    payment_request_sent_at: datetime.datetime | None


class DunningOut(Schema):
    rows: list[DunningRowOut]


@router.get("/dunning", response=DunningOut, operation_id="receivables_dunning")
@policy(*READERS)
def receivables_dunning(request, scope: Query[ScopeQuery]):
    """Overdue open invoices of the caller's customers, by salesperson, oldest due first, with the
    last payment request asking for each."""
    rows = dunning_list(user=request.auth, salesperson_id=scope.salesperson, branch_id=scope.branch)
    return {
        "rows": [
            {
                "salesperson_id": row.salesperson.pk,
                "customer_id": row.customer.pk,
                "invoice_id": row.invoice.pk,
                "invoice_number": row.invoice.invoice_number,
                "due_on": row.invoice.due_on,
                "days_overdue": row.days_overdue,
                "open": row.open,
                "payment_request_id": row.request_id,
                "payment_request_number": row.request_number,
                "payment_request_state": row.request_state,
                "payment_request_sent_at": row.request_sent_at,
            }
            for row in rows
        ]
    }


# --- collection rate (D2) --------------------------------------------------------------------------


class CollectionQuery(ScopeQuery):
    period: str | None = Field(
        None, max_length=7, description="2026-12 (month), 2026-Q4 (quarter) or 2026 (year); default this month."
    )
    by: str = Field(collection_selectors.BY_SALESPERSON, pattern="^(salesperson|branch)$")


class CollectionRowOut(Schema):
    subject_id: int | None
    subject: str
    due: Decimal
    collected: Decimal
    rate: Decimal | None = Field(..., description="Collected ÷ due, 4 places; null when nothing was due.")
    target: Decimal | None


class CollectionOut(Schema):
    period: str
    start: datetime.date
    end: datetime.date
    by: str
    bills_count: BillCounting
    rows: list[CollectionRowOut]
    total: CollectionRowOut


def _collection_row(row: Any) -> dict[str, Any]:
    return {
        "subject_id": row.subject.pk if row.subject is not None else None,
        "subject": str(row.subject) if row.subject is not None else "",
        "due": row.due,
        "collected": row.collected,
        "rate": row.rate,
        "target": row.target,
    }


@router.get("/collection-rate", response=CollectionOut, operation_id="collection_rate_get")
@policy(*READERS)
def collection_rate_get(request, query: Query[CollectionQuery]):
    """The collection rate (收款率) per salesperson or branch for a month, quarter or year: collected ÷
    due, where due is what was open at the period's start on invoices due by its end, and collected
    what was allocated to them in the period; with each target set for the period."""
    period = collection_selectors.Period.containing(PeriodKind.MONTH, timezone.localdate())
    if query.period:
        named = collection_selectors.Period.parse(query.period)
        if named is None:
            message = _("A month (2026-12), a quarter (2026-Q4) or a year (2026).")
            raise InvalidInput(message, fields={"period": [message]})
        period = named
    report = collection_selectors.collection_rate(
        user=request.auth, period=period, by=query.by, salesperson_id=query.salesperson, branch_id=query.branch
    )
    return {
        "period": period.label,
        "start": period.start,
        "end": period.end,
        "by": report.by,
        "bills_count": report.bills_count,
        "rows": [_collection_row(row) for row in report.rows],
        "total": _collection_row(report.total),
    }


class TargetIn(Schema):
    salesperson_id: Id | None = None
    branch_id: Id | None = None
    period_kind: PeriodKind
    period_on: datetime.date = Field(..., description="Any day of the month, quarter or year.")
    target_percent: Decimal = Field(..., ge=0, le=100, max_digits=5, decimal_places=2)


class TargetOut(Schema):
    id: int
    salesperson_id: int | None
    branch_id: int | None
    period_kind: PeriodKind
    period_start: datetime.date
    target_rate: Decimal
    set_by_id: int
    set_at: datetime.datetime


@router.post("/collection-targets", response={200: TargetOut}, operation_id="collection_target_set")
@policy(*TARGET_SETTERS)
def collection_target_set_api(request, payload: TargetIn):
    """Set (or change) the collection rate a salesperson of the caller's team, or their branch, is to
    reach in a period; the admin sets any."""
    return Status(200, collection_target_set(actor=request.auth, **payload.model_dump()))
