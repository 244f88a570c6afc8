"""In Chromium, W5.5 as the people do it: finance records a customer's transfer through the form
(the customer found by typing in the picker), leaves it unallocated, then allocates it oldest
invoice first from the receipt's page; the salesperson, who had the invoice open, reloads it and
sees the open amount drop by the receipt, and the receipt among its allocations; the invoice list
shows the new open amount too."""

import pytest

from conftest import log_in
from salesops.receivables.models import InvoiceBalance, Receipt

from .helpers import Sale

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_records_and_allocates_a_receipt_and_the_salesperson_sees_the_invoice_paid_down(
    staff, live_server, chromium
):
    from playwright.sync_api import expect

    base = live_server.url
    # given sales_a's customer owes 15,000.00 on an invoice
    sale = Sale(staff)
    invoice = sale.invoice()

    # the salesperson has the invoice open: all of it is open
    sales = log_in(chromium, base, "sales_a")
    sales.goto(f"{base}{invoice.get_absolute_url()}")
    expect(sales.locator("[data-testid=open-amount]")).to_have_text("¥15,000.00")

    # finance records the customer's transfer of 6,000.00, left unallocated for now
    finance = log_in(chromium, base, "finance")
    finance.goto(f"{base}/receivables/receipts/")
    finance.locator("[data-testid=new]").click()
    form = finance.locator("[data-testid=receipt-form]")
    form.locator("#id_customer").press_sequentially(sale.customer.name[:4], delay=30)
    choice = form.locator("#id_customer-results [data-picker-choice]")
    expect(choice).to_have_count(1)
    choice.click()
    expect(form.locator("#id_customer-value")).to_have_value(str(sale.customer.pk))
    form.locator("#id_method").select_option("transfer")
    form.locator("#id_amount").fill("6000.00")
    form.locator("#id_payer").fill(sale.customer.name)
    form.locator("#id_reference").fill("HX2024110500017")
    form.locator("#id_allocate").select_option("none")
    form.locator("[data-testid=save]").click()
    expect(finance.locator("[data-testid=unallocated]")).to_have_text("¥6,000.00")
    receipt = Receipt.objects.get()
    expect(finance.locator("[data-testid=number]")).to_have_text(receipt.number)

    # then allocates it from the receipt's page, oldest invoice first
    finance.locator("[data-testid=allocate-oldest]").click()
    expect(finance.locator("[data-testid=unallocated]")).to_have_text("¥0.00")
    expect(finance.locator("[data-testid=allocations]")).to_contain_text(invoice.invoice_number)
    assert InvoiceBalance.objects.get(pk=invoice.pk).open_amount == 9000

    # the salesperson reloads the invoice: 9,000.00 is open, paid by this receipt
    sales.reload()
    expect(sales.locator("[data-testid=open-amount]")).to_have_text("¥9,000.00")
    expect(sales.locator("[data-testid=balance-paid]")).to_have_text("¥6,000.00")
    expect(sales.locator("[data-testid=allocations]")).to_contain_text(receipt.number)
    # and the invoice list says the same
    sales.goto(f"{base}/receivables/invoices/")
    row = sales.locator(f"[data-testid=row][data-number='{invoice.number}']")
    expect(row).to_contain_text("¥9,000.00")
