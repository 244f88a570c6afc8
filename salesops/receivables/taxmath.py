"""Tax arithmetic of a 数电 invoice line, and the platform's checks on it.

Sales prices are tax-inclusive (含税). A line's amount including tax is rounded to the fen; the
amount excluding tax is that divided by (1 + rate), to the fen; the tax is the difference, so a
line always adds up to what the customer pays. The unit price excluding tax keeps 8 places (the
platform takes up to 13), close enough that quantity × price meets the amount within 0.01.

The bureau's tolerances (as the platform applies them; third-party sources, see the note): per
line |unit price × quantity − amount| ≤ 0.01 and |amount × rate − tax| ≤ 0.06; per invoice the
summed |amount × rate − tax| ≤ 1.27.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
PRICE_PLACES = Decimal("0.00000001")
LINE_PRICE_TOLERANCE = Decimal("0.01")
LINE_TAX_TOLERANCE = Decimal("0.06")
INVOICE_TAX_TOLERANCE = Decimal("1.27")


def to_fen(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TaxedLine:
    """A line as the invoice prints it: quantity, unit price and amount excluding tax, rate, tax."""

    quantity: Decimal | None
    unit_price: Decimal | None
    amount: Decimal
    tax_rate: Decimal
    tax: Decimal

    @property
    def amount_with_tax(self) -> Decimal:
        return self.amount + self.tax


def line_from_gross(quantity: Decimal, gross_unit_price: Decimal, rate: Decimal) -> TaxedLine:
    """The invoice line of ``quantity`` sold at ``gross_unit_price`` including tax (a negative
    quantity gives the red line of a return)."""
    gross = to_fen(quantity * gross_unit_price)
    return split_gross(gross, rate, quantity=quantity)


def split_gross(gross: Decimal, rate: Decimal, *, quantity: Decimal | None = None) -> TaxedLine:
    """Split an amount including tax into amount and tax; with a quantity, the unit price too."""
    amount = to_fen(gross / (1 + rate))
    tax = gross - amount
    price = None
    if quantity:
        price = (amount / quantity).quantize(PRICE_PLACES, rounding=ROUND_HALF_UP)
        if price < 0:
            price = -price  # a red line prints a negative quantity at a positive unit price
    return TaxedLine(quantity=quantity, unit_price=price, amount=amount, tax_rate=rate, tax=tax)


def line_problems(line: TaxedLine) -> list[str]:
    """Which of the bureau's per-line tolerances the line breaks: ``"unit_price"``, ``"tax"``."""
    problems = []
    priced = line.quantity is not None and line.unit_price is not None
    if priced and abs(abs(line.unit_price * line.quantity) - abs(line.amount)) > LINE_PRICE_TOLERANCE:
        problems.append("unit_price")
    if abs(line.amount * line.tax_rate - line.tax) > LINE_TAX_TOLERANCE:
        problems.append("tax")
    return problems


def invoice_tax_error(lines: Iterable[TaxedLine]) -> Decimal:
    """The invoice's summed difference between each line's amount × rate and its tax."""
    return abs(sum((line.amount * line.tax_rate - line.tax for line in lines), Decimal("0")))


def invoice_within_tolerance(lines: Iterable[TaxedLine]) -> bool:
    return invoice_tax_error(lines) <= INVOICE_TAX_TOLERANCE


@dataclass(frozen=True)
class Totals:
    net: Decimal
    tax: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


def totals(lines: Iterable[TaxedLine]) -> Totals:
    rows = list(lines)
    return Totals(
        net=sum((line.amount for line in rows), Decimal("0")), tax=sum((line.tax for line in rows), Decimal("0"))
    )
