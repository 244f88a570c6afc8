"""An invoice as the platform's files describe it, whichever file it came from, and the parsing
of the platform's values (amounts with thousands separators, rates as ``0.13`` or ``13%``, dates
with or without a time).

Amounts are Decimal to the fen; unit prices keep the 8 places an invoice line stores (the
platform writes up to 13); quantities the 3 places of an order line.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ..models import InvoiceKind
from ..taxmath import PRICE_PLACES, TaxedLine, to_fen

QUANTITY_PLACES = Decimal("0.001")
RATE_PLACES = Decimal("0.0001")
# The platform marks the tax of a tax-exempt line with asterisks (免税: ***).
NO_TAX_MARKS = frozenset({"***", "免税", "不征税", "免征"})
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日")


class Unreadable(ValueError):
    """A value of the file that is not what the platform writes there; ``field`` names it."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class IssuedLine:
    """One line as printed: name, classification code, quantity, unit price and amount excl. tax,
    rate, tax."""

    name: str
    tax_code: str
    specification: str
    unit: str
    quantity: Decimal | None
    unit_price: Decimal | None
    amount: Decimal
    tax_rate: Decimal
    tax: Decimal

    def taxed(self) -> TaxedLine:
        return TaxedLine(
            quantity=self.quantity, unit_price=self.unit_price, amount=self.amount, tax_rate=self.tax_rate, tax=self.tax
        )


@dataclass
class IssuedInvoice:
    """One issued invoice read from a file: where it came from (``source``), the platform's number
    and date, buyer and seller as printed, the lines and the totals the file states."""

    source: str
    invoice_number: str
    issued_on: datetime.date
    kind: str | None
    buyer_name: str
    buyer_tax_id: str
    seller_name: str
    seller_tax_id: str
    lines: list[IssuedLine]
    total_net: Decimal
    total_tax: Decimal
    remark: str = ""
    serial: str = ""
    is_red: bool = False
    # A status the platform gives besides 正常 (作废, 红冲): such an invoice is not recorded here.
    platform_status: str = ""
    attachments: list[tuple[str, bytes]] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.total_net + self.total_tax

    def taxed_lines(self) -> list[TaxedLine]:
        return [line.taxed() for line in self.lines]


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decimal(value: Any, field_name: str) -> Decimal:
    raw = text(value).replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").strip()
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise Unreadable(field_name, _("Not a number: %(value)s") % {"value": raw[:40]}) from None
    if not number.is_finite():
        raise Unreadable(field_name, _("Not a number: %(value)s") % {"value": raw[:40]})
    return number


def money(value: Any, field_name: str) -> Decimal:
    """An amount to the fen (the platform writes 2 places)."""
    return to_fen(_decimal(value, field_name))


def tax_amount(value: Any, field_name: str) -> Decimal:
    """A line's tax: ``***`` on a tax-exempt line is zero."""
    if text(value) in NO_TAX_MARKS:
        return Decimal("0.00")
    return money(value, field_name)


def optional_decimal(value: Any, field_name: str, places: Decimal) -> Decimal | None:
    """A quantity or unit price: blank on a line without them (a discount line)."""
    if not text(value):
        return None
    return _decimal(value, field_name).quantize(places, rounding=ROUND_HALF_UP)


def quantity(value: Any, field_name: str) -> Decimal | None:
    return optional_decimal(value, field_name, QUANTITY_PLACES)


def unit_price(value: Any, field_name: str) -> Decimal | None:
    return optional_decimal(value, field_name, PRICE_PLACES)


def rate(value: Any, field_name: str) -> Decimal:
    """``0.13``, ``13%`` or ``13`` (no rate is above 100%): 0.13; 免税 and 不征税 are 0."""
    raw = text(value)
    if raw in NO_TAX_MARKS:
        return Decimal("0")
    percent = raw.endswith(("%", "％"))
    number = _decimal(raw.rstrip("%％"), field_name)
    if percent or number > 1:
        number = number / 100
    if not Decimal("0") <= number <= Decimal("1"):
        raise Unreadable(field_name, _("Not a tax rate: %(value)s") % {"value": raw[:20]})
    return number.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def date(value: Any, field_name: str) -> datetime.date:
    """A date, or a date and time (``2025-06-18``, ``2025-06-18 10:22:33``, ``2025-06-18T10:22:33``)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = text(value)
    day = re.split(r"[T\s]", raw, maxsplit=1)[0] if raw else ""
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(day, pattern).date()
        except ValueError:
            continue
    raise Unreadable(field_name, _("Not a date: %(value)s") % {"value": raw[:40]})


def invoice_kind(label: Any) -> str | None:
    """The kind from the platform's label (增值税专用发票, 数电发票（普通发票）, 电子发票(普通发票)...);
    None when the file does not say."""
    raw = text(label)
    if "专用" in raw:
        return InvoiceKind.SPECIAL
    if "普通" in raw:
        return InvoiceKind.ORDINARY
    return None


def file_problems(invoice: IssuedInvoice, stated_total: Decimal | None) -> dict[str, list[str]]:
    """Whether the file adds up: its lines to its totals, and net plus tax to the 价税合计 it
    states. A file that does not is damaged or edited, and is not recorded."""
    errors: dict[str, list[str]] = {}
    if not invoice.lines:
        errors["lines"] = [_("The invoice has no lines.")]
        return errors
    net = sum((line.amount for line in invoice.lines), Decimal("0"))
    tax = sum((line.tax for line in invoice.lines), Decimal("0"))
    if net != invoice.total_net or tax != invoice.total_tax:
        errors["total_net"] = [
            _("The lines come to %(net)s + %(tax)s tax; the file states %(stated_net)s + %(stated_tax)s.")
            % {"net": net, "tax": tax, "stated_net": invoice.total_net, "stated_tax": invoice.total_tax}
        ]
    if stated_total is not None and stated_total != invoice.total:
        errors["total_amount"] = [
            _("The file states a total of %(stated)s; its amount and tax come to %(total)s.")
            % {"stated": stated_total, "total": invoice.total}
        ]
    return errors


@dataclass(frozen=True)
class FileProblem:
    """What could not be read: the file (and the invoice, when known), the value, why."""

    source: str
    field: str
    message: str
    invoice_number: str = ""
