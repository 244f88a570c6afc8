"""Red invoices (红字确认单): full and partial, seller- and buyer-raised, from a return."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from salesops.core.errors import InvalidInput, TransitionNotAllowed
from salesops.fulfilment import services as delivery
from salesops.fulfilment.tests.helpers import verified_return
from salesops.receivables import services
from salesops.receivables.models import (
    Allocation,
    Invoice,
    InvoiceBalance,
    InvoiceState,
    RedFormState,
    RedInvoiceForm,
)
from salesops.receivables.selectors import customer_account
from salesops.receivables.services import RedPick

from .helpers import Sale, invoice_number

pytestmark = pytest.mark.django_db


def _confirmed_use(staff, invoice):
    return services.invoice_confirm_use(invoice=invoice, actor=staff.finance)


def test_a_full_red_invoice_reverses_the_blue_one_and_frees_its_quantities(staff):
    sale = Sale(staff)
    blue = sale.invoice()
    form = services.red_form_create(actor=staff.finance, blue_id=blue.pk, reason="mistake")
    # the buyer never confirmed its use: no confirmation is needed
    form = services.red_form_confirm(form=form, actor=staff.finance)
    red = services.red_invoice_record(
        actor=staff.finance, form=form, invoice_number=invoice_number(), issued_on=timezone.localdate()
    )
    blue.refresh_from_db()
    assert red.is_red and red.total_amount == -blue.total_amount
    assert red.total_net + red.total_tax == red.total_amount
    assert blue.state == InvoiceState.REVERSED
    assert InvoiceBalance.objects.get(pk=blue.pk).open_amount == 0
    assert customer_account(user=staff.finance, customer_id=sale.customer.pk).balance == 0
    assert [line.invoiced for line in sale.order_lines()] == [0, 0]
    form.refresh_from_db()
    assert form.state == RedFormState.ISSUED and form.red_invoice_id == red.pk


def test_a_partial_red_invoice_needs_the_buyers_confirmed_use_and_changes_nothing_otherwise(staff):
    sale = Sale(staff)
    blue = sale.invoice()
    line = blue.lines.first()
    before = (RedInvoiceForm.objects.count(), Invoice.objects.count())
    with pytest.raises(InvalidInput) as refused:
        services.red_form_create(
            actor=staff.finance,
            blue_id=blue.pk,
            reason="discount",
            full=False,
            lines=[RedPick(line.pk, amount="100.00")],
        )
    assert "full" in refused.value.extra["fields"]
    assert (RedInvoiceForm.objects.count(), Invoice.objects.count()) == before
    # once the buyer confirmed the use, a discount is reversed in part, after the buyer's confirmation
    _confirmed_use(staff, blue)
    form = services.red_form_create(
        actor=staff.finance, blue_id=blue.pk, reason="discount", full=False, lines=[RedPick(line.pk, amount="100.00")]
    )
    with pytest.raises(TransitionNotAllowed):
        services.red_form_confirm(form=form, actor=staff.finance)
    form = services.red_form_submit(form=form, actor=staff.finance)
    assert form.state == RedFormState.AWAITING_BUYER
    form = services.red_form_confirm(form=form, actor=staff.finance)
    services.red_invoice_record(
        actor=staff.finance, form=form, invoice_number=invoice_number(), issued_on=timezone.localdate()
    )
    balance = InvoiceBalance.objects.get(pk=blue.pk)
    assert balance.reversed == Decimal("100.00") and balance.open_amount == blue.total_amount - Decimal("100.00")
    blue.refresh_from_db()
    assert blue.state == InvoiceState.ISSUED


def test_a_paid_invoice_is_unallocated_before_its_red_invoice(staff):
    sale = Sale(staff)
    blue = sale.invoice()
    receipt = sale.receipt(str(blue.total_amount))
    form = services.red_form_confirm(
        form=services.red_form_create(actor=staff.finance, blue_id=blue.pk, reason="mistake"), actor=staff.finance
    )
    with pytest.raises(TransitionNotAllowed):
        services.red_invoice_record(
            actor=staff.finance, form=form, invoice_number=invoice_number(), issued_on=timezone.localdate()
        )
    assert Invoice.objects.filter(red_of=blue).count() == 0
    assert InvoiceBalance.objects.get(pk=blue.pk).reversed == 0
    allocation = Allocation.objects.get(receipt=receipt)
    services.allocation_reverse(actor=staff.finance, allocation_id=allocation.pk, reason="开票有误，待重开")
    services.red_invoice_record(
        actor=staff.finance, form=form, invoice_number=invoice_number(), issued_on=timezone.localdate()
    )
    account = customer_account(user=staff.finance, customer_id=sale.customer.pk)
    assert account.balance == 0 and account.unallocated == blue.total_amount


def test_a_buyer_raised_form_is_confirmed_within_72_hours(staff):
    sale = Sale(staff)
    blue = _confirmed_use(staff, sale.invoice())
    raised = timezone.now() - datetime.timedelta(hours=70)
    form = services.red_form_create(
        actor=staff.finance, blue_id=blue.pk, reason="mistake", initiator="buyer", raised_at=raised
    )
    assert form.state == RedFormState.AWAITING_US
    assert form.confirm_by == raised + datetime.timedelta(hours=72)
    # one raised 73 hours ago is already dropped by the platform
    with pytest.raises(InvalidInput) as refused:
        services.red_form_create(
            actor=staff.finance,
            blue_id=blue.pk,
            reason="mistake",
            initiator="buyer",
            raised_at=timezone.now() - datetime.timedelta(hours=73),
        )
    assert "raised_at" in refused.value.extra["fields"]
    assert services.red_form_confirm(form=form, actor=staff.finance).state == RedFormState.CONFIRMED


def _returned(sale, quantity: str):
    """A verified return of ``quantity`` of the first line, its red note issued and received."""
    request = verified_return(sale, sale.delivered, quantity=quantity)
    red_note = delivery.red_note_issue(actor=sale.staff.back_office, return_id=request.pk)
    delivery.red_note_receive(red_note=red_note, actor=sale.staff.warehouse)
    return request


def test_a_return_of_invoiced_goods_proposes_a_partial_form_after_confirmed_use(staff):
    sale = Sale(staff)
    blue = _confirmed_use(staff, sale.invoice())
    request = _returned(sale, "2")
    forms = services.red_forms_for_return(actor=staff.finance, return_request_id=request.pk)
    assert len(forms) == 1 and not forms[0].full
    line = forms[0].lines.get()
    assert line.quantity == 2 and line.blue_line.invoice_id == blue.pk
    assert line.amount == (line.blue_line.amount_with_tax / line.blue_line.quantity * 2).quantize(Decimal("0.01"))


def test_a_return_before_confirmed_use_proposes_the_full_form_and_the_rest_is_invoiced_again(staff):
    sale = Sale(staff)
    blue = sale.invoice()
    request = _returned(sale, "2")
    (form,) = services.red_forms_for_return(actor=staff.finance, return_request_id=request.pk)
    assert form.full and form.total_amount == blue.total_amount
    form = services.red_form_confirm(form=form, actor=staff.finance)
    services.red_invoice_record(
        actor=staff.finance, form=form, invoice_number=invoice_number(), issued_on=timezone.localdate()
    )
    # what the customer keeps (8 + 10) is open for a new blue request
    again = sale.invoice_request()
    assert sorted(line.quantity for line in again.lines.all()) == [8, 10]


def test_finance_sees_what_waits_on_red_invoices_in_my_tasks(staff):
    from salesops.receivables.selectors.redtasks import red_invoice_tasks

    sale = Sale(staff)
    blue = _confirmed_use(staff, sale.invoice())
    request = _returned(sale, "2")
    assert ("raise_red", blue.number) in {(task.kind, task.number) for task in red_invoice_tasks(staff.finance)}
    buyer = services.red_form_create(
        actor=staff.finance,
        blue_id=blue.pk,
        reason="mistake",
        initiator="buyer",
        raised_at=timezone.now() - datetime.timedelta(hours=1),
    )
    tasks = {(task.kind, task.number) for task in red_invoice_tasks(staff.finance)}
    # the buyer's own form is under way: nothing more to raise, theirs to confirm within 72 hours
    assert tasks == {("confirm_red", buyer.number)}
    services.red_form_refuse(form=buyer, actor=staff.finance, reason="应为部分退货")
    services.red_forms_for_return(actor=staff.finance, return_request_id=request.pk)
    tasks = {task.kind for task in red_invoice_tasks(staff.finance)}
    assert tasks == {"send_red"}
    assert red_invoice_tasks(staff.sales_a) == [] and red_invoice_tasks(staff.warehouse) == []


def test_finance_raises_confirms_and_records_a_red_invoice_on_the_pages(staff, web_client):
    from django.urls import reverse

    sale = Sale(staff)
    blue = sale.invoice()
    client = web_client(staff.finance)
    page = client.get(blue.get_absolute_url()).content.decode()
    assert 'data-testid="red-form"' in page and 'data-testid="dispatch"' in page
    # a partial form on an unconfirmed invoice is refused on the page, naming the field; nothing saved
    line = blue.lines.first()
    url = reverse("receivables:redform-create", args=[blue.pk])
    refused = client.post(url, {"reason": "discount", "initiator": "seller", f"amount_{line.pk}": "100"})
    assert refused.status_code == 422 and RedInvoiceForm.objects.count() == 0
    client.post(url, {"reason": "mistake", "full": "on", "initiator": "seller"})
    form = RedInvoiceForm.objects.get()
    assert form.full and form.total_amount == blue.total_amount
    services.red_form_confirm(form=form, actor=staff.finance)
    record = reverse("receivables:redinvoice-record", args=[form.pk])
    response = client.post(record, {"invoice_number": invoice_number(), "issued_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    blue.refresh_from_db()
    assert blue.state == InvoiceState.REVERSED
    # a salesperson sees no such buttons and is refused the form
    assert 'data-testid="red-form"' not in web_client(sale.owner).get(blue.get_absolute_url()).content.decode()
    assert web_client(sale.owner).get(url).status_code == 403
