"""What a customer owes: invoiced − red-invoiced − allocated, to the fen, and the money received
and not yet allocated (the customer's credit). Read from the documents themselves (no running
total to drift), scoped by the reader's view of the customer.

``customer_account`` answers for one customer; ``account_list`` is the list of customer accounts
(W5.1, "what each customer owes"): every customer the reader sees, each figure one correlated
subquery, so a page costs the same few queries whatever the number of customers or invoices.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Abs, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from salesops.core.errors import NotFound
from salesops.core.listing import YES_NO, Filter, Listing

from ..models import Allocation, Invoice, InvoiceBalance, InvoiceState, Receipt, ReceiptState

ZERO = Decimal("0.00")


class Fixed(DecimalField):
    """A computed decimal read back to its places: SQLite computes decimals in floating point and
    hands back 15 significant digits (99.9899999999998 for 99.99); PostgreSQL's exact value is kept."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        if value is None:
            return None
        return Decimal(value).quantize(Decimal(1).scaleb(-self.decimal_places))


MONEY = Fixed(max_digits=14, decimal_places=2)
QUANTITY = Fixed(max_digits=14, decimal_places=3)


@dataclass(frozen=True)
class CustomerAccount:
    invoiced: Decimal
    red_invoiced: Decimal
    allocated: Decimal
    received: Decimal

    @property
    def balance(self) -> Decimal:
        """What the customer owes on invoices (negative: paid ahead on orders)."""
        return self.invoiced - self.red_invoiced - self.allocated

    @property
    def unallocated(self) -> Decimal:
        return self.received - self.allocated


def _total(rows: QuerySet, amount: str) -> Decimal:
    total = rows.aggregate(s=Sum(amount, output_field=MONEY))["s"]
    return ZERO if total is None else total


def customer_account(*, user, customer_id: int) -> CustomerAccount:
    """The customer's account, or NotFound when the reader does not see the customer. Four queries."""
    from salesops.customers.selectors import customer_get_for

    try:
        customer_get_for(user=user, pk=customer_id)
    except NotFound:
        raise
    invoices = Invoice.objects.filter(customer_id=customer_id)
    blue = _total(invoices.filter(red_of__isnull=True), "total_amount")
    red = _total(invoices.filter(red_of__isnull=False), "total_amount")
    allocated = _total(
        Allocation.objects.active().filter(receipt__customer_id=customer_id, receipt__state=ReceiptState.RECORDED),
        "amount",
    )
    received = _total(Receipt.objects.filter(customer_id=customer_id, state=ReceiptState.RECORDED), "amount")
    return CustomerAccount(invoiced=blue, red_invoiced=ZERO - red, allocated=allocated, received=received)


# --- the list of customer accounts ----------------------------------------------------------------

# What is still open on a blue invoice (its balance row's counters).
OPEN = ExpressionWrapper(F("total") - F("reversed") - F("allocated"), output_field=MONEY)


def open_balances() -> QuerySet[InvoiceBalance]:
    """The balance rows of issued blue invoices with something open (a fully reversed invoice has none)."""
    return InvoiceBalance.objects.filter(invoice__red_of__isnull=True, invoice__state=InvoiceState.ISSUED).filter(
        total__gt=F("reversed") + F("allocated")
    )


def summed(rows: QuerySet, amount: Any, *, by: str) -> Coalesce:
    """Σ ``amount`` over ``rows`` whose ``by`` is the outer row (0 when none): one correlated subquery."""
    total = rows.filter(**{by: OuterRef("pk")}).order_by().values(by).annotate(s=Sum(amount)).values("s")
    return Coalesce(Subquery(total, output_field=MONEY), Value(ZERO), output_field=MONEY)


def _minus(left: str, right: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(left) - F(right), output_field=MONEY)


def with_account_figures(customers: QuerySet, *, today: datetime.date) -> QuerySet:
    """Customers annotated with their account: ``invoiced_amount`` (blue invoices), ``red_amount``
    (red invoices, as a positive amount), ``paid_amount`` (live allocations of recorded receipts, on
    invoices and on orders: prepayments included), ``received_amount``, ``balance_amount`` (invoiced −
    red − paid; negative when paid ahead), ``credit_amount`` (received and not allocated),
    ``overdue_amount`` (open on invoices past their due date on ``today``) and ``is_overdue``."""
    invoices = Invoice.objects.all()
    allocations = Allocation.objects.active().filter(receipt__state=ReceiptState.RECORDED)
    overdue = open_balances().filter(invoice__due_on__lt=today)
    return customers.annotate(
        invoiced_amount=summed(invoices.filter(red_of__isnull=True), "total_amount", by="customer"),
        red_amount=summed(invoices.filter(red_of__isnull=False), Abs("total_amount"), by="customer"),
        paid_amount=summed(allocations, "amount", by="receipt__customer"),
        received_amount=summed(Receipt.objects.filter(state=ReceiptState.RECORDED), "amount", by="customer"),
        overdue_amount=summed(overdue, OPEN, by="invoice__customer"),
        is_overdue=Exists(overdue.filter(invoice__customer=OuterRef("pk"))),
    ).annotate(
        balance_amount=ExpressionWrapper(F("invoiced_amount") - F("red_amount") - F("paid_amount"), output_field=MONEY),
        credit_amount=_minus("received_amount", "paid_amount"),
    )


def account_list(*, user, today: datetime.date | None = None) -> QuerySet:
    """The accounts of the customers ``user`` sees (finance and the sales office: all; a salesperson:
    their own; a manager: their department or branch), with the figures of ``with_account_figures``."""
    from salesops.customers.selectors import customer_list

    return with_account_figures(customer_list(user=user), today=today or timezone.localdate())


def account_listing(*, user) -> Listing:
    """Search (code, name, pinyin), filters (salesperson for those who see others', branch, overdue)
    and sorts of the customer accounts list."""
    from salesops.customers.models import Customer
    from salesops.customers.permissions import SEES_OTHERS_CUSTOMERS
    from salesops.org.models import Branch, User

    filters = []
    if user.has_role(*SEES_OTHERS_CUSTOMERS):
        owners = User.objects.filter(pk__in=Customer.objects.visible_to(user).values("owner")).order_by("username")
        filters.append(
            Filter("salesperson", "owner_id", gettext_lazy("Salesperson"), [(str(u.pk), str(u)) for u in owners])
        )
        branches = Branch.objects.filter(pk__in=Customer.objects.visible_to(user).values("branch")).order_by("code")
        filters.append(Filter("branch", "branch_id", gettext_lazy("Branch"), [(str(b.pk), b.name) for b in branches]))
    filters.append(Filter("overdue", "is_overdue", gettext_lazy("Overdue"), YES_NO))
    return Listing(
        search_fields=("code", "name"),
        search_key="search_key",
        orderings={
            "code": "code",
            "name": "name",
            "owner": "owner__username",
            "invoiced": "invoiced_amount",
            "red": "red_amount",
            "paid": "paid_amount",
            "balance": "balance_amount",
            "credit": "credit_amount",
            "overdue": "overdue_amount",
        },
        default_ordering="-balance",
        filters=tuple(filters),
    )


def account_totals(customers: QuerySet) -> dict[str, Decimal]:
    """The figures summed over every customer of the (filtered) list, all pages: one query."""
    names = ("invoiced", "red", "paid", "balance", "credit", "overdue")
    totals = customers.order_by().aggregate(**{name: Sum(f"{name}_amount") for name in names})
    return {name: ZERO if totals[name] is None else totals[name] for name in names}
