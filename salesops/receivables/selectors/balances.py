"""What a customer owes: invoiced − red-invoiced − allocated, to the fen, and the money received
and not yet allocated (the customer's credit). Read from the documents themselves (no running
total to drift), scoped by the reader's view of the customer."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from salesops.core.errors import NotFound

from ..models import Allocation, Invoice, Receipt, ReceiptState

ZERO = Decimal("0")


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


def customer_account(*, user, customer_id: int) -> CustomerAccount:
    """The customer's account, or NotFound when the reader does not see the customer. Four queries."""
    from salesops.customers.selectors import customer_get_for

    try:
        customer_get_for(user=user, pk=customer_id)
    except NotFound:
        raise
    invoices = Invoice.objects.filter(customer_id=customer_id)
    blue = invoices.filter(red_of__isnull=True).aggregate(s=Sum("total_amount"))["s"] or ZERO
    red = invoices.filter(red_of__isnull=False).aggregate(s=Sum("total_amount"))["s"] or ZERO
    allocated = (
        Allocation.objects.active()
        .filter(receipt__customer_id=customer_id, receipt__state=ReceiptState.RECORDED)
        .aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    received = (
        Receipt.objects.filter(customer_id=customer_id, state=ReceiptState.RECORDED).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    return CustomerAccount(invoiced=blue, red_invoiced=-red, allocated=allocated, received=received)
