"""Money properties (issue 10), over random sequences of invoices, receipts, explicit allocations,
reversals and red invoices (full and partial) for one customer, whatever is refused on the way:

- the customer's balance = invoiced − red-invoiced − allocated, to the fen, and it agrees with the
  counters (each blue invoice's open amount, less what was prepaid on orders);
- each invoice's counters agree with its documents: reversed = its red invoices, paid = its live
  allocations, and no allocation takes an invoice above its open amount;
- each receipt's allocated = its live allocations, never above the receipt;
- every invoice line meets the bureau's tolerances, and every invoice the 1.27 of the whole.
"""

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesops.core.errors import ApplicationError
from salesops.receivables import services
from salesops.receivables.models import (
    Allocation,
    Invoice,
    InvoiceBalance,
    OrderAccount,
    Receipt,
    ReceiptBalance,
)
from salesops.receivables.selectors import customer_account
from salesops.receivables.services import RedPick, Target
from salesops.receivables.taxmath import TaxedLine, invoice_within_tolerance, line_problems

from .helpers import Sale, invoice_number

pytestmark = pytest.mark.django_db
ZERO = Decimal("0")

OPERATION = st.one_of(
    st.tuples(st.just("invoice"), st.integers(0, 1), st.integers(1, 6)),
    st.tuples(st.just("receipt"), st.integers(1, 3_000_000), st.booleans()),
    st.tuples(st.just("allocate"), st.integers(0, 5), st.integers(0, 5), st.integers(1, 2_000_000)),
    st.tuples(st.just("prepay"), st.integers(0, 5), st.integers(1, 500_000)),
    st.tuples(st.just("reverse"), st.integers(0, 9)),
    st.tuples(st.just("red_full"), st.integers(0, 5)),
    st.tuples(st.just("red_part"), st.integers(0, 5), st.integers(1, 300_000)),
)


def _nth(rows: list, index: int):
    return rows[index % len(rows)] if rows else None


def _apply(sale: Sale, operation: tuple) -> None:
    finance = sale.staff.finance
    blues = list(Invoice.objects.filter(customer=sale.customer, red_of__isnull=True).order_by("pk"))
    receipts = list(Receipt.objects.filter(customer=sale.customer).order_by("pk"))
    kind = operation[0]
    if kind == "invoice":
        sale.invoice(sale.approved_invoice_request(lines=[(operation[1], str(operation[2]))]))
    elif kind == "receipt":
        sale.receipt(str(Decimal(operation[1]) / 100), allocate="oldest" if operation[2] else "none")
    elif kind == "allocate" and receipts and blues:
        target = Target(amount=Decimal(operation[3]) / 100, invoice_id=_nth(blues, operation[2]).pk)
        services.receipt_allocate(actor=finance, receipt=_nth(receipts, operation[1]), targets=[target])
    elif kind == "prepay" and receipts:
        target = Target(amount=Decimal(operation[2]) / 100, contract_id=sale.contract.pk)
        services.receipt_allocate(actor=finance, receipt=_nth(receipts, operation[1]), targets=[target])
    elif kind == "reverse":
        live = list(Allocation.objects.active().filter(receipt__customer=sale.customer).order_by("pk"))
        if live:
            services.allocation_reverse(actor=finance, allocation_id=_nth(live, operation[1]).pk, reason="冲销重分")
    elif kind == "red_full" and blues:
        form = services.red_form_create(actor=finance, blue_id=_nth(blues, operation[1]).pk, reason="mistake")
        _issue_red(sale, form)
    elif kind == "red_part" and blues:
        blue = _nth(blues, operation[1])
        if not blue.use_confirmed:
            blue = services.invoice_confirm_use(invoice=blue, actor=finance)
        line = blue.lines.order_by("pk").first()
        form = services.red_form_create(
            actor=finance,
            blue_id=blue.pk,
            reason="discount",
            full=False,
            lines=[RedPick(line.pk, amount=Decimal(operation[2]) / 100)],
        )
        form = services.red_form_submit(form=form, actor=finance)
        _issue_red(sale, form)


def _issue_red(sale: Sale, form) -> None:
    finance = sale.staff.finance
    form = services.red_form_confirm(form=form, actor=finance)
    try:
        services.red_invoice_record(
            actor=finance, form=form, invoice_number=invoice_number(), issued_on=timezone.localdate()
        )
    except ApplicationError:
        services.red_form_cancel(form=form, actor=finance, reason="已收款，先冲销")
        raise


def _sum(rows, field: str) -> Decimal:
    return rows.aggregate(s=Sum(field))["s"] or ZERO


def _check(sale: Sale) -> None:
    customer = sale.customer
    account = customer_account(user=sale.staff.finance, customer_id=customer.pk)
    invoices = Invoice.objects.filter(customer=customer)
    live = Allocation.objects.active().filter(receipt__customer=customer)
    invoiced = _sum(invoices.filter(red_of__isnull=True), "total_amount")
    red = -_sum(invoices.filter(red_of__isnull=False), "total_amount")
    assert account.balance == invoiced - red - _sum(live, "amount")
    balances = InvoiceBalance.objects.filter(invoice__customer=customer)
    prepaid = _sum(OrderAccount.objects.filter(customer=customer), "prepaid")
    assert account.balance == sum((b.open_amount for b in balances), ZERO) - prepaid
    for balance in balances:
        assert balance.reversed == -_sum(invoices.filter(red_of=balance.invoice_id), "total_amount")
        assert balance.allocated == _sum(live.filter(invoice=balance.invoice_id), "amount")
        assert ZERO <= balance.allocated <= balance.total - balance.reversed
    for receipt in ReceiptBalance.objects.filter(receipt__customer=customer):
        assert ZERO <= receipt.allocated == _sum(live.filter(receipt=receipt.pk), "amount") <= receipt.amount
    for invoice in invoices.prefetch_related("lines"):
        taxed = [TaxedLine(x.quantity, x.unit_price, x.amount, x.tax_rate, x.tax) for x in invoice.lines.all()]
        assert all(not line_problems(line) for line in taxed), invoice.invoice_number
        assert invoice_within_tolerance(taxed)
        assert sum((x.amount_with_tax for x in taxed), ZERO) == invoice.total_amount


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(OPERATION, min_size=1, max_size=9))
def test_balances_and_counters_agree_whatever_happens(staff, operations):
    sale = Sale(staff)
    for operation in operations:
        try:
            _apply(sale, operation)
        except ApplicationError:
            pass  # a refusal changes nothing: the properties still hold
        _check(sale)
