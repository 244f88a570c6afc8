"""Pages of receivables: the list and page of each money document, and the forms of W5 and W6."""

from .documents import (
    InvoiceDetailView,
    InvoiceListView,
    InvoiceRequestDetailView,
    InvoiceRequestListView,
    PaymentRequestDetailView,
    PaymentRequestListView,
    ReceiptDetailView,
    ReceiptListView,
)
from .invoicing_forms import InvoiceRecordView, InvoiceRequestCreateView
from .payment_forms import PaymentRequestCreateView, PaymentRequestSendView
from .receipt_forms import AllocationReverseView, ReceiptAllocateView, ReceiptRecordView

__all__ = [
    "AllocationReverseView",
    "InvoiceDetailView",
    "InvoiceListView",
    "InvoiceRecordView",
    "InvoiceRequestCreateView",
    "InvoiceRequestDetailView",
    "InvoiceRequestListView",
    "PaymentRequestCreateView",
    "PaymentRequestDetailView",
    "PaymentRequestListView",
    "PaymentRequestSendView",
    "ReceiptAllocateView",
    "ReceiptDetailView",
    "ReceiptListView",
    "ReceiptRecordView",
]
