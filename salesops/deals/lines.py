"""Lines of quotations, contracts and phone orders: checked, priced and stored in one place.

Input is a list of ``LineIn`` (product, quantity, tax-inclusive unit price). Quantities are
positive with at most 3 decimals, prices non-negative with at most 2; the tax rate comes from
the product. Every stored figure fits its column: a quantity below ``QUANTITY_LIMIT``, a price, a
line amount (quantity × price) and the document's total below ``MONEY_LIMIT``. A bad line names its
index and field (``lines.0.quantity``), and nothing is written.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from salesops.catalog.models import Product
from salesops.core.errors import InvalidInput

from .models import MONEY_LIMIT, QUANTITY_LIMIT
from .pricing import line_amounts, price_line, refresh_totals

FEN = Decimal("0.01")
MILLI = Decimal("0.001")


def largest(limit: Decimal, step: Decimal) -> str:
    """The largest value below ``limit`` at ``step``, for people: "999,999,999,999.99"."""
    return f"{limit - step:,}"


@dataclass(frozen=True)
class LineIn:
    product_id: int
    quantity: Decimal
    unit_price: Decimal


def _decimal(value, places: int) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not number.is_finite() or number.as_tuple().exponent < -places:
        return None
    return number


def too_large(limit: Decimal, step: Decimal) -> str:
    return _("Too large: at most %(max)s.") % {"max": largest(limit, step)}


def check_lines(lines: Sequence[LineIn], *, require: bool = True) -> dict[int, Product]:
    """Validate every line; return the active products by id. Raise InvalidInput naming each bad field."""
    errors: dict[str, list[str]] = {}
    if require and not lines:
        errors["lines"] = [_("Add at least one line.")]
    products = Product.objects.order_by().in_bulk({line.product_id for line in lines})
    total = Decimal("0")
    for index, line in enumerate(lines):
        where = f"lines.{index}"
        product = products.get(line.product_id)
        if product is None or not product.is_active:
            errors[f"{where}.product"] = [_("Choose an active product.")]
        quantity = _decimal(line.quantity, 3)
        if quantity is None or quantity <= 0:
            errors[f"{where}.quantity"] = [_("A positive quantity with at most 3 decimals.")]
            quantity = None
        elif quantity >= QUANTITY_LIMIT:
            errors[f"{where}.quantity"] = [too_large(QUANTITY_LIMIT, MILLI)]
            quantity = None
        price = _decimal(line.unit_price, 2)
        if price is None or price < 0:
            errors[f"{where}.unit_price"] = [_("A price in yuan, not negative, with at most two decimals.")]
            price = None
        elif price >= MONEY_LIMIT:
            errors[f"{where}.unit_price"] = [too_large(MONEY_LIMIT, FEN)]
            price = None
        if quantity is not None and price is not None:
            amount, _tax = line_amounts(quantity, price, Decimal("0"))
            if amount >= MONEY_LIMIT:
                errors[f"{where}.quantity"] = [
                    _("Quantity × price is %(amount)s, more than the largest amount %(max)s.")
                    % {"amount": f"{amount:,}", "max": largest(MONEY_LIMIT, FEN)}
                ]
            total += amount
    if not errors and total >= MONEY_LIMIT:
        errors["lines"] = [
            _("The lines add up to %(amount)s, more than the largest amount %(max)s.")
            % {"amount": f"{total:,}", "max": largest(MONEY_LIMIT, FEN)}
        ]
    if errors:
        raise InvalidInput(_("Please correct the lines."), fields=errors)
    return products


def priced_rows(lines: Iterable, *, line_model, products: dict[int, Product] | None = None) -> list:
    """Unsaved, priced ``line_model`` rows for ``lines``: checked ``LineIn`` (tax rate from ``products``)
    or stored lines copied as they are (a revision, a contract drafted from its quotation). Their
    amounts are the ones stored, so totals and R4/deviations derived from them are the stored ones."""
    rows = []
    for line in lines:
        tax_rate = products[line.product_id].tax_rate if products is not None else line.tax_rate
        row = line_model(
            product_id=line.product_id,
            quantity=Decimal(str(line.quantity)),
            unit_price=Decimal(str(line.unit_price)),
            tax_rate=tax_rate,
        )
        product = products.get(line.product_id) if products is not None else getattr(line, "product", None)
        if product is not None:
            row.product = product  # read already: R4 and deviation texts need no query
        price_line(row)
        rows.append(row)
    return rows


def totals_of(rows: Iterable) -> dict[str, Decimal]:
    """The document's stored totals: the sums of its lines' amounts (ARCHITECTURE.md "Money")."""
    rows = list(rows)
    return {
        "total_amount": sum((row.amount for row in rows), Decimal("0")),
        "tax_amount": sum((row.tax_amount for row in rows), Decimal("0")),
    }


def store_rows(rows: list, *, line_model, parent_field: str, parent, replace: bool) -> list:
    """Write ``rows`` as ``parent``'s lines (its earlier ones deleted when ``replace``). Lines are not
    documents: they are written directly, by the service that writes their document in the same
    transaction and records them in that document's event."""
    if replace:
        line_model.objects.filter(**{parent_field: parent}).delete()
    for row in rows:
        setattr(row, parent_field, parent)
    line_model.objects.bulk_create(rows)
    return rows


def replace_lines(doc, lines: Sequence[LineIn], *, line_model, parent_field: str) -> list:
    """Replace ``doc``'s lines with ``lines`` (checked, priced) and store the document's totals.
    For set-up outside the services (test data); the services write totals with the document."""
    products = check_lines(lines)
    rows = priced_rows(lines, line_model=line_model, products=products)
    store_rows(rows, line_model=line_model, parent_field=parent_field, parent=doc, replace=True)
    refresh_totals(doc)
    return rows
