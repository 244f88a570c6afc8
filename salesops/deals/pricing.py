"""Amounts of priced lines, computed once and stored (ARCHITECTURE.md "Money").

Unit prices are tax-inclusive (含税单价), as Chinese quotations are: the line amount is
quantity × unit price rounded to the fen, and the tax in it is amount × rate / (1 + rate).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

FEN = Decimal("0.01")


def line_amounts(quantity: Decimal, unit_price: Decimal, tax_rate: Decimal) -> tuple[Decimal, Decimal]:
    amount = (quantity * unit_price).quantize(FEN, rounding=ROUND_HALF_UP)
    tax = (amount * tax_rate / (1 + tax_rate)).quantize(FEN, rounding=ROUND_HALF_UP)
    return amount, tax


def price_line(line) -> None:
    line.amount, line.tax_amount = line_amounts(line.quantity, line.unit_price, line.tax_rate)


def refresh_totals(doc) -> None:
    """Store the document's totals as the sums of its stored line amounts."""
    sums = doc.lines.aggregate(total=Sum("amount"), tax=Sum("tax_amount"))
    doc.total_amount = sums["total"] or Decimal("0")
    doc.tax_amount = sums["tax"] or Decimal("0")
    type(doc).objects.filter(pk=doc.pk).update(total_amount=doc.total_amount, tax_amount=doc.tax_amount)
