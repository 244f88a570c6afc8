"""Refusals that change nothing (issue 10): an allocation above the open amount, a salesperson
recording an invoice, a 20-digit number whose year does not match, a partial red invoice on an
unconfirmed invoice, a receipt in a closed day, an invoice beyond the bureau's tolerance. Each is
refused with the field named, and afterwards no document, line, counter, allocation, audit event
or number has moved."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from salesops.core.errors import Forbidden, InvalidInput
from salesops.core.models import NumberSequence
from salesops.fulfilment.models import OrderLine
from salesops.receivables import models as m
from salesops.receivables import services
from salesops.receivables.services import RedPick, Target
from salesops.receivables.services.checks import daily_check_confirm
from salesops.receivables.taxmath import TaxedLine
from salesops.workflow.models import DocumentEvent

from .helpers import Sale, invoice_number

pytestmark = pytest.mark.django_db

COUNTED = (
    m.InvoiceRequest,
    m.InvoiceRequestLine,
    m.Invoice,
    m.InvoiceLine,
    m.Receipt,
    m.Allocation,
    m.PaymentRequest,
    m.RedInvoiceForm,
    DocumentEvent,
)


def state_of_everything() -> tuple:
    return (
        {model.__name__: model.objects.count() for model in COUNTED},
        sorted(m.InvoiceBalance.objects.values_list("pk", "total", "reversed", "allocated")),
        sorted(m.ReceiptBalance.objects.values_list("pk", "amount", "allocated")),
        sorted(m.OrderAccount.objects.values_list("pk", "total", "prepaid")),
        sorted(OrderLine.objects.values_list("pk", "invoiced")),
        sorted(m.InvoiceRequest.objects.values_list("pk", "state", "version")),
        sorted(NumberSequence.objects.values_list("prefix", "period", "last")),
    )


def refused(error: type[Exception], call) -> Exception:
    before = state_of_everything()
    with pytest.raises(error) as caught:
        call()
    assert state_of_everything() == before
    return caught.value


def fields_of(error: Exception) -> set[str]:
    return set(error.extra.get("fields", {}))


def test_an_allocation_above_the_open_amount_is_refused(staff):
    sale = Sale(staff)
    invoice = sale.invoice()
    receipt = sale.receipt(str(invoice.total_amount + 1000), allocate="none")
    error = refused(
        InvalidInput,
        lambda: services.receipt_allocate(
            actor=staff.finance,
            receipt=receipt,
            targets=[Target(amount=invoice.total_amount + Decimal("0.01"), invoice_id=invoice.pk)],
        ),
    )
    assert fields_of(error) == {"targets.0.amount"}
    # and above what the receipt has unallocated, spread over an invoice and the contract
    small = sale.receipt("100.00", allocate="none")
    error = refused(
        InvalidInput,
        lambda: services.receipt_allocate(
            actor=staff.finance,
            receipt=small,
            targets=[
                Target(amount="60.00", invoice_id=invoice.pk),
                Target(amount="60.00", contract_id=sale.contract.pk),
            ],
        ),
    )
    assert fields_of(error) == {"targets"}


def test_a_salesperson_does_not_record_an_invoice(staff):
    sale = Sale(staff)
    request = sale.approved_invoice_request()
    refused(
        Forbidden,
        lambda: services.invoice_record(
            actor=sale.owner, request=request, invoice_number=invoice_number(), issued_on=timezone.localdate()
        ),
    )


def _yy(year: int) -> str:
    return f"{year % 100:02d}"


@pytest.mark.parametrize(
    ("number_of", "years_back"),
    [
        (lambda year: f"{_yy(year - 1)}372000000000000001", 0),  # last year's prefix on today's invoice
        (lambda year: f"{_yy(year)}37200000000000001", 0),  # 19 digits
        (lambda year: f"{_yy(year)}37200000000000000A", 0),  # a letter
        (lambda year: f"{_yy(year)}372000000000000001", 1),  # this year's number dated last year
    ],
)
def test_a_number_not_of_the_issue_year_is_refused(staff, number_of, years_back):
    sale = Sale(staff)
    request = sale.approved_invoice_request()
    today = timezone.localdate()
    issued_on = today.replace(year=today.year - years_back, day=1)
    number = number_of(today.year)
    error = refused(
        InvalidInput,
        lambda: services.invoice_record(
            actor=staff.finance, request=request, invoice_number=number, issued_on=issued_on
        ),
    )
    assert "invoice_number" in fields_of(error)


def test_a_partial_red_invoice_on_an_unconfirmed_invoice_is_refused(staff):
    sale = Sale(staff)
    invoice = sale.invoice()
    line = invoice.lines.first()
    error = refused(
        InvalidInput,
        lambda: services.red_form_create(
            actor=staff.finance,
            blue_id=invoice.pk,
            reason="return",
            full=False,
            lines=[RedPick(line.pk, amount="50.00", quantity="1")],
        ),
    )
    assert fields_of(error) == {"full"}


def test_a_receipt_in_a_closed_day_is_refused(staff):
    sale = Sale(staff)
    today = timezone.localdate()
    daily_check_confirm(actor=staff.back_office, day=today)
    daily_check_confirm(actor=staff.finance, day=today)
    error = refused(InvalidInput, lambda: sale.receipt("80.00"))
    assert fields_of(error) == {"received_on"}


def test_platform_lines_outside_the_bureaus_tolerance_are_refused(staff):
    sale = Sale(staff)
    request = sale.approved_invoice_request()
    lines = []
    for asked in request.lines.all():
        gross = asked.amount
        net = (gross / (1 + asked.tax_rate)).quantize(Decimal("0.01"))
        # the tax is shifted by 0.07 from amount x rate, the unit price left right
        lines.append(
            TaxedLine(
                asked.quantity,
                net / asked.quantity,
                net - Decimal("0.07"),
                asked.tax_rate,
                gross - net + Decimal("0.07"),
            )
        )
    error = refused(
        InvalidInput,
        lambda: services.invoice_record(
            actor=staff.finance,
            request=request,
            invoice_number=invoice_number(),
            issued_on=timezone.localdate(),
            lines=lines,
        ),
    )
    assert any(name.endswith(".tax") or name.endswith(".unit_price") for name in fields_of(error))


def test_an_invoice_request_above_what_was_delivered_is_refused(staff):
    sale = Sale(staff)
    sale.invoice_request(lines=[(0, "6")])
    error = refused(InvalidInput, lambda: sale.invoice_request(lines=[(0, "5")]))
    assert fields_of(error) == {"lines.0.quantity"}


def test_a_special_invoice_needs_the_buyers_credit_code(staff):
    sale = Sale(staff)
    error = refused(InvalidInput, lambda: sale.invoice_request(kind="special"))
    assert fields_of(error) == {"kind"}


def test_an_invoice_number_recorded_before_is_refused(staff):
    sale = Sale(staff)
    first = sale.invoice(sale.approved_invoice_request(lines=[(0, "5")]))
    request = sale.approved_invoice_request(lines=[(0, "5")])
    error = refused(
        InvalidInput,
        lambda: services.invoice_record(
            actor=staff.finance, request=request, invoice_number=first.invoice_number, issued_on=first.issued_on
        ),
    )
    assert fields_of(error) == {"invoice_number"}


def test_money_collected_by_someone_not_of_the_sales_staff_is_refused(staff):
    sale = Sale(staff)
    error = refused(
        InvalidInput,
        lambda: sale.receipt(
            "100.00", allocate="none", collected_by_id=staff.warehouse.pk, collected_on=timezone.localdate()
        ),
    )
    assert fields_of(error) == {"collected_by_id"}


def test_one_line_picked_twice_is_held_to_what_it_has_left(staff):
    sale = Sale(staff)
    invoice = services.invoice_confirm_use(invoice=sale.invoice(), actor=staff.finance)
    line = invoice.lines.first()
    half = (line.amount + line.tax) / 2
    error = refused(
        InvalidInput,
        lambda: services.red_form_create(
            actor=staff.finance,
            blue_id=invoice.pk,
            reason="discount",
            full=False,
            lines=[RedPick(line.pk, amount=half + 1), RedPick(line.pk, amount=half + 1)],
        ),
    )
    assert fields_of(error) == {"lines.1.amount"}


def test_a_payment_request_asks_an_invoices_open_amount_once(staff):
    sale = Sale(staff)
    invoice = sale.invoice()
    asked = [services.Asked(amount=invoice.total_amount, invoice_id=invoice.pk)] * 2
    error = refused(
        InvalidInput,
        lambda: services.payment_request_create(
            actor=sale.owner,
            customer_id=sale.customer.pk,
            pay_by=timezone.localdate() + datetime.timedelta(days=7),
            lines=asked,
        ),
    )
    assert fields_of(error) == {"lines.1.amount"}
