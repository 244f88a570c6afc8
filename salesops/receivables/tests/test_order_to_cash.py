"""The issue's scenario end to end, as the regulation's users take it: contract → delivery → invoice
request → invoice imported back from the platform's XML → payment request → receipt by an electronic
bank acceptance bill → signed for by finance the same day → allocated → statement agreed. Nothing
is set by hand: every step goes through the service the pages and the API call."""

import pytest
from django.utils import timezone

from salesops.compliance import services as compliance
from salesops.compliance.tests.helpers import acknowledge_everyone, of_rule
from salesops.fulfilment.tests.helpers import scan
from salesops.receivables import services
from salesops.receivables.models import (
    Allocation,
    InvoiceBalance,
    InvoiceRequestState,
    PaymentRequestState,
    Statement,
    StatementState,
)
from salesops.receivables.platform.importing import SourceFile, platform_import
from salesops.receivables.selectors import customer_account

from .helpers import Sale, invoice_number
from .platform_files import PUMP_CODE, VALVE_CODE, give_tax_codes, issued_xml
from .samples_instruments import bill

pytestmark = pytest.mark.django_db


def test_contract_to_agreed_statement(staff, monkeypatch):
    acknowledge_everyone()
    # a signed contract, delivered in full (requisition, approvals, note, outbound)
    sale = Sale(staff)
    give_tax_codes(monkeypatch, {sale.pump: PUMP_CODE, sale.valve: VALVE_CODE})
    # the salesperson asks for the invoice; the sales manager reviews it (W6.1-6.2)
    request = sale.approved_invoice_request()
    # finance issues it on the platform and imports the platform's XML back (W6.3)
    number = invoice_number()
    [outcome] = platform_import(
        actor=staff.finance, files=[SourceFile(f"dzfp_{number}.xml", issued_xml(request, number))]
    )
    assert outcome.status == "recorded", outcome
    invoice = outcome.invoice
    request.refresh_from_db()
    assert request.state == InvoiceRequestState.INVOICED
    assert invoice.invoice_number == number and invoice.total_amount == request.total_amount
    # the salesperson asks the customer to pay; the manager and finance confirm; it is sent (W5.2-5.4)
    payment = sale.payment_request(invoice)
    payment = services.payment_request_send(request=payment, actor=sale.owner, method="email", sent_to="cw@example.cn")
    assert payment.state == PaymentRequestState.SENT
    # the customer pays with an electronic bank acceptance bill of exactly the invoice's amount
    instrument = bill(staff, sale.owner, customer=sale.customer, worth=str(invoice.total_amount))
    # finance signs for it the same day (R12) and records the receipt, allocated oldest first
    services.instrument_sign(instrument=instrument, actor=staff.finance)
    receipt = services.receipt_record(
        actor=staff.finance,
        customer_id=sale.customer.pk,
        received_on=timezone.localdate(),
        method="bank_bill",
        amount=invoice.total_amount,
        reference=instrument.package_number,
    )
    services.instrument_link_receipt(instrument=instrument, actor=staff.finance, receipt_id=receipt.pk)
    assert Allocation.objects.active().get(receipt=receipt).invoice_id == invoice.pk
    assert InvoiceBalance.objects.get(pk=invoice.pk).open_amount == 0
    assert customer_account(user=sale.owner, customer_id=sale.customer.pk).balance == 0
    compliance.sweep(codes=["R12"])
    assert of_rule("R12") == []
    # the half-year statement shows it all and the customer agrees (R13)
    run = services.statement_run_create(actor=staff.finance, period_end=timezone.localdate())
    services.statements_prepare(actor=staff.finance, run=run)
    statement = Statement.objects.get(run=run, customer=sale.customer)
    kinds = {entry["kind"] for entry in statement.entries}
    assert {"outbound", "invoice", "receipt", "allocation"} <= kinds
    assert statement.closing_by_invoice == 0 and statement.closing_by_delivery == 0
    [paid] = [entry for entry in statement.entries if entry["kind"] == "receipt"]
    assert f"{instrument.package_number} [{instrument.range_start}–{instrument.range_end}]" in paid["note"]
    statement = services.statement_send(statement=statement, actor=sale.owner, method="email", sent_to="cw@example.cn")
    statement = services.statement_reply(
        statement=statement,
        actor=sale.owner,
        agreed=True,
        replied_on=timezone.localdate(),
        signatory="李会计",
        scan=scan(),
    )
    assert statement.state == StatementState.AGREED
