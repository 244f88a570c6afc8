"""What is still open, as the reader sees it: the contracts and phone orders with something left
to invoice and their sold lines, a customer's open invoices (what a payment request asks for and
a receipt is allocated to), the customers who have some, and the allocations of a receipt or an
invoice. The forms and the API read these; the services decide again on every write."""

from typing import Any

from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from ..models import Allocation, InvoiceBalance, InvoiceState

# A picker lists at most this many contracts (and as many phone orders, customers, invoices).
PICK_LIMIT = 200
QUANTITY: DecimalField = DecimalField(max_digits=14, decimal_places=3)


def _open_to_invoice(rows: QuerySet, line_model: Any, key: str) -> QuerySet:
    """The sources with a quantity sold and neither returned nor on an invoice request."""
    from salesops.fulfilment.models import OrderLine

    sold = line_model.objects.filter(**{key: OuterRef("pk")}).order_by().values(key).annotate(t=Sum("quantity"))
    source = "contract" if key == "contract" else "phone_order"
    counted = (
        OrderLine.objects.filter(**{source: OuterRef("pk")})
        .order_by()
        .values(source)
        .annotate(t=Sum(F("invoiced") + F("returned")))
    )
    zero = Value(0, output_field=QUANTITY)
    return rows.annotate(
        sold_total=Coalesce(Subquery(sold.values("t")), zero, output_field=QUANTITY),
        taken_total=Coalesce(Subquery(counted.values("t")), zero, output_field=QUANTITY),
    ).filter(sold_total__gt=F("taken_total"))


def invoiceable_sources(*, user) -> tuple[list[Any], list[Any]]:
    """The signed contracts and confirmed phone orders the user sees with something left to
    invoice (delivered, or sold for an advance invoice), newest first."""
    from salesops.deals.choices import ContractState, PhoneOrderState
    from salesops.deals.models import ContractLine, PhoneOrderLine
    from salesops.deals.selectors.contracts import contract_list
    from salesops.deals.selectors.orders import phone_order_list

    contracts = contract_list(user=user).filter(state__in=(ContractState.SIGNED, ContractState.ARCHIVED))
    orders = phone_order_list(user=user).filter(state=PhoneOrderState.CONFIRMED)
    return (
        list(_open_to_invoice(contracts, ContractLine, "contract").order_by("-signed_on", "-pk")[:PICK_LIMIT]),
        list(_open_to_invoice(orders, PhoneOrderLine, "order").order_by("-created_at", "-pk")[:PICK_LIMIT]),
    )


def invoicing_lines(*, user, contract_id: int | None = None, phone_order_id: int | None = None) -> list[Any]:
    """Each sold line of a signed contract or confirmed phone order the user sees, with what is
    delivered, returned and already on invoice requests (NotFound out of scope)."""
    from salesops.fulfilment.selectors import open_sold_lines

    return open_sold_lines(user=user, contract_id=contract_id, phone_order_id=phone_order_id)


def open_balances() -> QuerySet[InvoiceBalance]:
    """Blue invoices, issued, with something still open (total above reversed plus paid)."""
    return InvoiceBalance.objects.filter(
        invoice__red_of__isnull=True,
        invoice__state=InvoiceState.ISSUED,
        total__gt=F("reversed") + F("allocated"),
    )


def open_invoices(*, user, customer_id: int) -> list[InvoiceBalance]:
    """The customer's open invoices, earliest due first (NotFound when the user does not see the
    customer): the order finance allocates in and a payment request lists them in."""
    from salesops.customers.selectors import customer_to_act_on

    customer_to_act_on(user=user, pk=customer_id)
    rows = open_balances().filter(invoice__customer_id=customer_id).select_related("invoice")
    return list(rows.order_by("invoice__due_on", "invoice__issued_on", "invoice_id")[:PICK_LIMIT])


def customers_with_open_invoices(*, user) -> list[Any]:
    """The customers the user sees who owe something on an invoice, by name."""
    from salesops.customers.selectors import customer_list

    owing = open_balances().values("invoice__customer_id")
    return list(customer_list(user=user).filter(pk__in=owing).order_by("name", "pk")[:PICK_LIMIT])


def allocations_of(*, receipt: Any = None, invoice: Any = None) -> list[Allocation]:
    """Every allocation of a receipt (or to an invoice), the reversed ones too, oldest first."""
    rows = Allocation.objects.select_related(
        "receipt", "invoice", "order__contract", "order__phone_order", "allocated_by", "reversed_by"
    )
    if receipt is not None:
        rows = rows.filter(receipt=receipt)
    if invoice is not None:
        rows = rows.filter(invoice=invoice)
    return list(rows.order_by("allocated_at", "pk"))
