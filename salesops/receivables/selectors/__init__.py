"""Reads of receivables, always scoped to the reader."""

from .balances import CustomerAccount, customer_account
from .documents import (
    INVOICE_REQUESTS,
    INVOICES,
    PAYMENT_REQUESTS,
    RECEIPTS,
    invoice_get_for,
    invoice_list,
    invoice_listing,
    invoice_request_get_for,
    invoice_request_list,
    invoice_request_listing,
    payment_request_get_for,
    payment_request_list,
    payment_request_listing,
    receipt_get_for,
    receipt_list,
    receipt_listing,
)

__all__ = [
    "INVOICES",
    "INVOICE_REQUESTS",
    "PAYMENT_REQUESTS",
    "RECEIPTS",
    "CustomerAccount",
    "customer_account",
    "invoice_get_for",
    "invoice_list",
    "invoice_listing",
    "invoice_request_get_for",
    "invoice_request_list",
    "invoice_request_listing",
    "payment_request_get_for",
    "payment_request_list",
    "payment_request_listing",
    "receipt_get_for",
    "receipt_list",
    "receipt_listing",
]
