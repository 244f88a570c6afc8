"""The receivables models: invoicing, receipts and allocation, payment requests."""

from .instruments import Instrument as Instrument  # the register (R9, R12), with its settings row
from .invoices import (
    Invoice,
    InvoiceBalance,
    InvoiceDispatch,
    InvoiceLine,
    InvoiceRequest,
    InvoiceRequestLine,
)
from .payments import PaymentRequest, PaymentRequestLine
from .receipts import Allocation, OrderAccount, Receipt, ReceiptBalance
from .states import (
    InvoiceKind,
    InvoiceRequestState,
    InvoiceState,
    PaymentRequestState,
    ReceiptMethod,
    ReceiptState,
    SendMethod,
)

__all__ = [
    "Allocation",
    "Invoice",
    "InvoiceBalance",
    "InvoiceDispatch",
    "InvoiceKind",
    "InvoiceLine",
    "InvoiceRequest",
    "InvoiceRequestLine",
    "InvoiceRequestState",
    "InvoiceState",
    "OrderAccount",
    "PaymentRequest",
    "PaymentRequestLine",
    "PaymentRequestState",
    "Receipt",
    "ReceiptBalance",
    "ReceiptMethod",
    "ReceiptState",
    "SendMethod",
]
