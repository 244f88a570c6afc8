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
    tax_id = getattr(customer, "tax_id", "") or ""
    default_kind = getattr(customer, "default_invoice_kind", "") or (
        InvoiceKind.SPECIAL if tax_id else InvoiceKind.ORDINARY
    )
    return {
        "buyer_title": getattr(customer, "invoice_title", "") or customer.name,
        "buyer_tax_id": tax_id,
        "buyer_address_phone": getattr(customer, "invoice_address_phone", "") or "",
        "buyer_bank_account": getattr(customer, "invoice_bank_account", "") or "",
        "buyer_email": getattr(customer, "invoice_email", "") or "",
        "buyer_phone": getattr(customer, "invoice_phone", "") or "",
        "default_kind": default_kind,
    }


def printed_name(product: Any) -> str:
    """``*税收分类简称*名称`` as the 数电 invoice prints it (the plain name until the product's tax
    classification is set)."""
    named = getattr(product, "invoice_line_name", None)
    if callable(named):
        return named()[:200]
    return product.name[:200]


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
