"""The receivables models: invoicing, receipts and allocation, payment requests."""

from .checks import CheckDifference, DailyCheck
from .instruments import Instrument  # the register (R9, R12), with its settings row
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
from .redforms import CONFIRM_WITHIN, RedInvoiceForm, RedInvoiceFormLine
from .statements import Statement, StatementRun
from .states import (
    PARTIAL_REASONS,
    DailyCheckState,
    InvoiceKind,
    InvoiceRequestState,
    InvoiceState,
    PaymentRequestState,
    ReceiptMethod,
    ReceiptState,
    RedFormState,
    RedInitiator,
    RedReason,
    SendMethod,
    StatementState,
)
from .targets import BillCounting, CollectionTarget, PeriodKind, ReceivablesSettings  # noqa: F401  (collection rate, D2)

__all__ = [
    "Instrument",
    "Statement",
    "StatementRun",
    "StatementState",
    "CheckDifference",
    "DailyCheck",
    "DailyCheckState",
    "CONFIRM_WITHIN",
    "PARTIAL_REASONS",
    "RedFormState",
    "RedInitiator",
    "RedInvoiceForm",
    "RedInvoiceFormLine",
    "RedReason",
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
