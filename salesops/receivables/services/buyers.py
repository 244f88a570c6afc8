"""What an invoice copies from master data: the buyer as invoiced, the line names as printed, the
due date from the payment terms."""

import datetime
from typing import Any

from ..models import InvoiceKind

# The buyer as an invoice names them, copied request → invoice → red invoice.
BUYER_FIELDS = (
    "buyer_title",
    "buyer_tax_id",
    "buyer_address_phone",
    "buyer_bank_account",
    "buyer_email",
    "buyer_phone",
)


def buyer_snapshot(customer: Any) -> dict[str, Any]:
    """The buyer's invoice details as the customer's record holds them now (发票抬头 defaults to the
    registered name), with the customer's default kind of invoice under ``default_kind``."""
    return {
        "buyer_title": customer.invoice_buyer_name,
        "buyer_tax_id": customer.tax_number,
        "buyer_address_phone": customer.invoice_address_phone,
        "buyer_bank_account": customer.invoice_bank_account,
        "buyer_email": customer.invoice_email,
        "buyer_phone": customer.invoice_phone,
        "default_kind": customer.default_invoice_kind or InvoiceKind.ORDINARY,
    }


def printed_name(product: Any) -> str:
    """``*税收分类简称*名称`` as the 数电 invoice prints it (the plain name until the product's tax
    classification is set)."""
    return product.invoice_line_name()[:200]


def item_name(product: Any) -> str:
    """The item name the platform's batch-issue workbook takes: the bare name (the platform prints
    the ``*简称*`` of the tax classification code in front of it itself)."""
    return (product.invoice_name or product.name)[:200]


def credit_days(request: Any) -> int:
    """Days to pay after invoicing, from the sale's payment terms: 30 for "within 30 days", the
    customer's credit days for non-standard terms, none for payment before or on delivery."""
    from salesops.deals.choices import PaymentTerms

    source = request.contract or request.phone_order
    terms = getattr(source, "payment_terms", "")
    if terms == PaymentTerms.NET_30:
        return 30
    if terms == PaymentTerms.OTHER:
        return request.customer.credit_days
    return 0


def due_date(request: Any, issued_on: datetime.date) -> datetime.date:
    return issued_on + datetime.timedelta(days=credit_days(request))
