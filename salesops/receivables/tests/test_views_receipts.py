"""The W5.5 forms through the pages, all finance's: record a receipt (allocated oldest invoice
first, or left for later; money a salesperson collected, R2), allocate what is left (oldest first
or by hand) and reverse an allocation with its reason. Each refusal is shown on its field or row,
with nothing written; the other roles are refused at the door."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from salesops.receivables.models import Allocation, InvoiceBalance, Receipt, ReceiptBalance

from .helpers import Sale
from .samples import field_errors, money_world

pytestmark = pytest.mark.django_db


def receipt_data(sale, **extra) -> dict:
    data = {
        "customer": sale.customer.pk,
        "received_on": timezone.localdate().isoformat(),
        "method": "transfer",
        "amount": "6000.00",
        "payer": sale.customer.name,
        "reference": "HX2024110500017",
        "note": "",
        "collected_by": "",
        "collected_on": "",
        "allocate": "oldest",
    }
    data.update(extra)
    return data


@pytest.fixture
def invoiced(staff):
    """sales_a's customer with two invoices: 4,000.00 (pumps) issued first, then 11,000.00."""
    sale = Sale(staff)
    first = sale.invoice(sale.approved_invoice_request(lines=[(0, "4")]))
    second = sale.invoice(sale.approved_invoice_request())
    return sale, first, second


def open_of(invoice) -> Decimal:
    return InvoiceBalance.objects.get(pk=invoice.pk).open_amount


def test_finance_records_a_receipt_allocated_oldest_invoice_first(staff, web_client, invoiced):
    sale, first, second = invoiced
    client = web_client(staff.finance)
    assert client.get(reverse("receivables:receipt-create")).status_code == 200
    response = client.post(reverse("receivables:receipt-create"), receipt_data(sale))
    receipt = Receipt.objects.get()
    assert response.status_code == 302 and response["Location"] == receipt.get_absolute_url()
    # the first invoice is paid in full, the rest goes to the second
    assert open_of(first) == 0 and open_of(second) == Decimal("9000.00")
    assert (receipt.owner, receipt.recorded_by, receipt.reference) == (sale.owner, staff.finance, "HX2024110500017")


def test_a_receipt_left_unallocated_stays_on_the_receipt(staff, web_client, invoiced):
    sale, first, second = invoiced
    web_client(staff.finance).post(reverse("receivables:receipt-create"), receipt_data(sale, allocate="none"))
    receipt = Receipt.objects.get()
    assert ReceiptBalance.objects.get(pk=receipt.pk).unallocated == Decimal("6000.00")
    assert open_of(first) == Decimal("4000.00")


def test_money_a_salesperson_collected_names_who_and_when(staff, web_client, invoiced):
    sale, first, second = invoiced
    today = timezone.localdate()
    data = receipt_data(sale, method="cash", collected_by=staff.sales_a.pk, collected_on=today.isoformat())
    assert web_client(staff.finance).post(reverse("receivables:receipt-create"), data).status_code == 302
    receipt = Receipt.objects.get()
    assert (receipt.collected_by, receipt.collected_on) == (staff.sales_a, today)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"received_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()}, "received_on"),
        ({"collected_by": "__sales_a__"}, "collected_on"),
        ({"amount": "12.345"}, "amount"),
        ({"method": "bitcoin"}, "method"),
    ],
)
def test_a_wrong_receipt_is_refused_on_its_field_and_nothing_is_written(staff, web_client, invoiced, change, field):
    sale, first, second = invoiced
    if change.get("collected_by") == "__sales_a__":
        change = {"collected_by": staff.sales_a.pk}
    before = money_world()
    response = web_client(staff.finance).post(reverse("receivables:receipt-create"), receipt_data(sale, **change))
    assert response.status_code == 422
    assert field in field_errors(response)
    assert money_world() == before


def test_only_finance_records_receipts_and_only_for_customers_it_sees(staff, web_client, invoiced):
    sale, first, second = invoiced
    before = money_world()
    for user in (staff.sales_a, staff.manager1, staff.back_office, staff.warehouse):
        assert web_client(user).post(reverse("receivables:receipt-create"), receipt_data(sale)).status_code == 403
    assert money_world() == before


# --- allocation -------------------------------------------------------------------------------


def allocate_url(receipt) -> str:
    return reverse("receivables:receipt-allocate", args=[receipt.pk])


def test_finance_allocates_what_is_left_oldest_first_from_the_receipt_page(staff, web_client, invoiced):
    sale, first, second = invoiced
    receipt = sale.receipt("5000.00", allocate="none")
    response = web_client(staff.finance).post(allocate_url(receipt), {"how": "oldest"})
    assert response.status_code == 302 and response["Location"] == receipt.get_absolute_url()
    assert open_of(first) == 0 and open_of(second) == Decimal("10000.00")
    assert ReceiptBalance.objects.get(pk=receipt.pk).unallocated == 0


def test_finance_allocates_by_hand_to_the_invoices_chosen(staff, web_client, invoiced):
    sale, first, second = invoiced
    receipt = sale.receipt("5000.00", allocate="none")
    data = {"how": "hand", f"amount_{first.pk}": "", f"amount_{second.pk}": "3000.00"}
    assert web_client(staff.finance).post(allocate_url(receipt), data).status_code == 302
    assert open_of(first) == Decimal("4000.00") and open_of(second) == Decimal("8000.00")
    assert ReceiptBalance.objects.get(pk=receipt.pk).unallocated == Decimal("2000.00")


def test_an_allocation_above_what_an_invoice_has_open_is_refused_on_its_row(staff, web_client, invoiced):
    sale, first, second = invoiced
    receipt = sale.receipt("9000.00", allocate="none")
    before = money_world()
    data = {"how": "hand", f"amount_{first.pk}": "4500.00", f"amount_{second.pk}": ""}
    response = web_client(staff.finance).post(allocate_url(receipt), data)
    assert response.status_code == 422
    errors = field_errors(response)
    assert list(errors) == [f"amount_{first.pk}"] and "4000" in errors[f"amount_{first.pk}"][0]
    assert money_world() == before


def test_an_allocation_above_what_the_receipt_has_left_is_refused(staff, web_client, invoiced):
    sale, first, second = invoiced
    receipt = sale.receipt("1000.00", allocate="none")
    before = money_world()
    data = {"how": "hand", f"amount_{first.pk}": "800.00", f"amount_{second.pk}": "800.00"}
    response = web_client(staff.finance).post(allocate_url(receipt), data)
    assert response.status_code == 422 and field_errors(response)
    assert money_world() == before


def test_a_receipt_with_nothing_left_goes_back_to_its_page(staff, web_client, invoiced):
    sale, first, second = invoiced
    receipt = sale.receipt("1000.00")
    response = web_client(staff.finance).get(allocate_url(receipt))
    assert response.status_code == 302 and response["Location"] == receipt.get_absolute_url()
    assert web_client(staff.sales_a).post(allocate_url(receipt), {"how": "oldest"}).status_code == 403


# --- reversal ---------------------------------------------------------------------------------


def reverse_url(allocation) -> str:
    return reverse("receivables:allocation-reverse", args=[allocation.pk])


def test_finance_reverses_an_allocation_with_its_reason(staff, web_client, invoiced):
    sale, first, second = invoiced
    receipt = sale.receipt("4000.00")
    allocation = Allocation.objects.get(receipt=receipt)
    response = web_client(staff.finance).post(reverse_url(allocation), {"reason": "客户要求冲抵另一笔货款"})
    assert response.status_code == 302 and response["Location"] == receipt.get_absolute_url()
    allocation.refresh_from_db()
    assert allocation.is_reversed and allocation.reverse_reason == "客户要求冲抵另一笔货款"
    assert open_of(first) == Decimal("4000.00")
    assert ReceiptBalance.objects.get(pk=receipt.pk).unallocated == Decimal("4000.00")
    # a second reversal goes back to the receipt with the reason it cannot
    again = web_client(staff.finance).get(reverse_url(allocation))
    assert again.status_code == 302


def test_a_reversal_without_a_reason_is_refused_and_nothing_changes(staff, web_client, invoiced):
    sale, first, second = invoiced
    receipt = sale.receipt("4000.00")
    allocation = Allocation.objects.get(receipt=receipt)
    before = money_world()
    response = web_client(staff.finance).post(reverse_url(allocation), {"reason": "  "})
    assert response.status_code == 422 and list(field_errors(response)) == ["reason"]
    assert money_world() == before
    for user in (staff.sales_a, staff.manager1, staff.back_office):
        assert web_client(user).post(reverse_url(allocation), {"reason": "错了"}).status_code == 403
    assert money_world() == before
