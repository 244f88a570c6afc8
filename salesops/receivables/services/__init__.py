"""Every change receivables makes: invoice requests and invoices, receipts and allocations, payment
requests. One module per family; this package names them all."""

from .invoicing import (
    INVOICE_REQUEST_SERVICES,
    INVOICE_SERVICES,
    invoice_confirm_use,
    invoice_record,
    invoice_request_approve,
    invoice_request_archive,
    invoice_request_cancel,
    invoice_request_create,
    invoice_request_submit,
)
from .payments import (
    PAYMENT_REQUEST_SERVICES,
    Asked,
    payment_request_approve,
    payment_request_cancel,
    payment_request_create,
    payment_request_send,
    payment_request_submit,
)
from .receipts import (
    RECEIPT_SERVICES,
    Target,
    allocation_reverse,
    receipt_allocate,
    receipt_record,
    receipt_void,
)

__all__ = [
    "INVOICE_REQUEST_SERVICES",
    "INVOICE_SERVICES",
    "PAYMENT_REQUEST_SERVICES",
    "RECEIPT_SERVICES",
    "Asked",
    "Target",
    "allocation_reverse",
    "invoice_confirm_use",
    "invoice_record",
    "invoice_request_approve",
    "invoice_request_archive",
    "invoice_request_cancel",
    "invoice_request_create",
    "invoice_request_submit",
    "payment_request_approve",
    "payment_request_cancel",
    "payment_request_create",
    "payment_request_send",
    "payment_request_submit",
    "receipt_allocate",
    "receipt_record",
    "receipt_void",
]
