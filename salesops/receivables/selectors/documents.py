"""Reads of the money documents, each scoped by ``visible_to(user)``: the salesperson sees their own
customers' (a receipt's and an invoice's owner is the customer's salesperson), a manager their
department or branch, finance and the sales office all of them, the warehouse none."""

from typing import Any

from django.utils.translation import gettext_lazy

from salesops.core.listing import YES_NO, Filter
from salesops.workflow.reads import BASE_SEARCH, DocumentReads

from ..models import (
    Invoice,
    InvoiceKind,
    InvoiceRequest,
    InvoiceRequestState,
    InvoiceState,
    PaymentRequest,
    PaymentRequestState,
    Receipt,
    ReceiptMethod,
    ReceiptState,
    RedFormState,
    RedInvoiceForm,
    RedReason,
    Statement,
    StatementState,
)

KIND = Filter("kind", "kind", gettext_lazy("Invoice kind"), list(InvoiceKind.choices))

INVOICE_REQUESTS = DocumentReads(
    InvoiceRequest,
    gettext_lazy("Invoice request not found."),
    related=("owner", "branch", "customer", "contract", "phone_order", "archived_by"),
    line_related=("product", "order_line"),
    search_fields=(*BASE_SEARCH, "contract__number", "phone_order__number", "buyer_title"),
    states=list(InvoiceRequestState.choices),
    filters=(
        KIND,
        Filter("advance", "advance", gettext_lazy("Advance invoice"), YES_NO),
    ),
)
INVOICES = DocumentReads(
    Invoice,
    gettext_lazy("Invoice not found."),
    related=("owner", "branch", "customer", "request", "red_of", "recorded_by", "balance"),
    line_related=("order_line",),
    search_fields=(*BASE_SEARCH, "invoice_number", "buyer_title", "request__number"),
    states=list(InvoiceState.choices),
    filters=(KIND,),
)
RECEIPTS = DocumentReads(
    Receipt,
    gettext_lazy("Receipt not found."),
    related=("owner", "branch", "customer", "recorded_by", "collected_by", "balance"),
    lines="",
    search_fields=(*BASE_SEARCH, "payer", "reference"),
    states=list(ReceiptState.choices),
    filters=(Filter("method", "method", gettext_lazy("Method"), list(ReceiptMethod.choices)),),
)
PAYMENT_REQUESTS = DocumentReads(
    PaymentRequest,
    gettext_lazy("Payment request not found."),
    related=("owner", "branch", "customer"),
    line_related=("invoice", "order__contract", "order__phone_order"),
    states=list(PaymentRequestState.choices),
)

RED_FORMS = DocumentReads(
    RedInvoiceForm,
    gettext_lazy("Red-invoice form not found."),
    related=("owner", "branch", "customer", "blue", "red_invoice", "return_request", "recorded_by"),
    line_related=("blue_line",),
    search_fields=(*BASE_SEARCH, "blue__invoice_number", "platform_number"),
    states=list(RedFormState.choices),
    filters=(Filter("reason", "reason", gettext_lazy("Reason"), list(RedReason.choices)),),
)
STATEMENTS = DocumentReads(
    Statement,
    gettext_lazy("Statement not found."),
    related=("owner", "branch", "customer", "run"),
    lines="",
    states=list(StatementState.choices),
)


def _named(reads: DocumentReads) -> tuple[Any, Any, Any]:
    return reads.list, reads.get_for, reads.listing


invoice_request_list, invoice_request_get_for, invoice_request_listing = _named(INVOICE_REQUESTS)
invoice_list, invoice_get_for, invoice_listing = _named(INVOICES)
receipt_list, receipt_get_for, receipt_listing = _named(RECEIPTS)
payment_request_list, payment_request_get_for, payment_request_listing = _named(PAYMENT_REQUESTS)
red_form_list, red_form_get_for, red_form_listing = _named(RED_FORMS)
statement_list, statement_get_for, statement_listing = _named(STATEMENTS)
