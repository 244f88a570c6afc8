"""Deviations of a contract from its issued quotation (合同与报价不一致之处), W3(3)-(4).

Lines are paired by position and product (``pair_lines``): first the lines at the same position
with the same product, then the remaining ones by product (a line moved or one removed in the
middle still finds its partner), then the rest by order (the product was changed). In a pair, a
different product, quantity, unit price or tax rate is one deviation each; a line only the contract
has is an added line, one only the quotation has a removed line. Every term in
``PricedDocument.TERM_FIELDS`` that differs (surrounding blanks ignored) is one deviation too.

A deviation is a plain, JSON-safe dict, stored in ``Contract.deviations`` by every writer of the
contract: ``{"field": ..., "line": index | None, "quotation": str, "contract": str}``. ``line`` is
the 0-based index of the contract's line (of the quotation's line for a removed one), None for a
term; ``field`` is "product", "quantity", "unit_price", "tax_rate", "line" (added or removed) or
the term's name. Choice terms are their codes, decimals strings (quantities with 3 places, money
with 2, rates with 4).
A contract carrying any deviation has the ``deviation`` approval flag, so its approval chain asks the
manager (leadership when major) to re-confirm it before it can be signed.
"""

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from salesops.catalog.models import Product

from .models import Contract, ContractLine, PricedDocument

TERM_FIELDS = PricedDocument.TERM_FIELDS
# Compared at each line position; "line" marks a line added or removed as a whole.
LINE_FIELDS = ("product", "quantity", "unit_price", "tax_rate")
ADDED_OR_REMOVED = "line"
PLACES = {"quantity": Decimal("0.001"), "unit_price": Decimal("0.01"), "tax_rate": Decimal("0.0001")}


def _decimal_text(field: str, value: Decimal) -> str:
    return str(Decimal(value).quantize(PLACES[field]))


def _line_values(line: Any, products: Mapping[int, str]) -> dict[str, str]:
    return {
        "product": products.get(line.product_id, str(line.product_id)),
        "quantity": _decimal_text("quantity", line.quantity),
        "unit_price": _decimal_text("unit_price", line.unit_price),
        "tax_rate": _decimal_text("tax_rate", line.tax_rate),
    }


def _line_text(values: Mapping[str, str]) -> str:
    return f"{values['product']} × {values['quantity']} @ {values['unit_price']}"


def lines_summary(lines: Iterable[Any], products: Mapping[int, str]) -> str:
    """One line of text for a list of priced lines (the audit trail of a lines edit)."""
    return "; ".join(_line_text(_line_values(line, products)) for line in lines)


def _line_differs(field: str, quoted: Any, contracted: Any) -> bool:
    if field == "product":
        return quoted.product_id != contracted.product_id
    # Numeric comparison: 10 and 10.000 are the same quantity.
    return Decimal(getattr(quoted, field)) != Decimal(getattr(contracted, field))


def _pair_deviations(quoted: Any, contracted: Any) -> list[str]:
    """The deviating fields of a pair of lines; ``["line"]`` when one side is missing."""
    if quoted is None or contracted is None:
        return [ADDED_OR_REMOVED]
    return [field for field in LINE_FIELDS if _line_differs(field, quoted, contracted)]


def _term_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def terms_of(doc: Any) -> dict[str, Any]:
    """The commercial terms of a quotation, contract or phone order, by field name."""
    return {name: getattr(doc, name) for name in TERM_FIELDS}


def product_labels(*line_lists: Iterable[Any]) -> dict[int, str]:
    """``{product_id: "code name"}`` for the products on the given lines (one query)."""
    ids = {line.product_id for lines in line_lists for line in lines}
    return {pk: str(product) for pk, product in Product.objects.in_bulk(ids).items()}


def pair_lines(quotation_lines: Sequence[Any], contract_lines: Sequence[Any]) -> list[tuple[int | None, int | None]]:
    """``(quotation index, contract index)`` pairs, None for the missing side, in contract order
    (a removed line after the line that preceded it on the quotation)."""
    pairs: dict[int, int] = {}
    for index in range(min(len(quotation_lines), len(contract_lines))):
        if quotation_lines[index].product_id == contract_lines[index].product_id:
            pairs[index] = index
    free_quoted = [q for q in range(len(quotation_lines)) if q not in pairs]
    free_contracted = [k for k in range(len(contract_lines)) if k not in pairs.values()]
    for q in list(free_quoted):
        match = next(
            (k for k in free_contracted if contract_lines[k].product_id == quotation_lines[q].product_id), None
        )
        if match is not None:
            pairs[q] = match
            free_quoted.remove(q)
            free_contracted.remove(match)
    for q, k in zip(free_quoted, free_contracted, strict=False):
        pairs[q] = k
    found: list[tuple[int | None, int | None]] = [(q, k) for q, k in pairs.items()]
    found += [(q, None) for q in free_quoted[len(free_contracted) :]]
    found += [(None, k) for k in free_contracted[len(free_quoted) :]]

    def place(pair: tuple[int | None, int | None]) -> tuple[float, int]:
        quoted, contracted = pair
        if contracted is not None:
            return (contracted, 0)
        # A removed line: right after the contract line paired with its predecessor on the quotation.
        before = [k for q, k in found if q is not None and k is not None and q < quoted]
        return (max(before) + 0.5 if before else -0.5, quoted)

    return sorted(found, key=place)


def compare(
    *,
    quotation_terms: Mapping[str, Any],
    quotation_lines: Sequence[Any],
    contract_terms: Mapping[str, Any],
    contract_lines: Sequence[Any],
    products: Mapping[int, str],
) -> list[dict[str, Any]]:
    """The deviations of the contract's lines and terms from the quotation's (module docstring)."""
    found: list[dict[str, Any]] = []
    for q, k in pair_lines(quotation_lines, contract_lines):
        quoted = quotation_lines[q] if q is not None else None
        contracted = contract_lines[k] if k is not None else None
        fields = _pair_deviations(quoted, contracted)
        if fields == [ADDED_OR_REMOVED]:
            found.append(
                {
                    "field": ADDED_OR_REMOVED,
                    "line": k if k is not None else q,
                    "quotation": _line_text(_line_values(quoted, products)) if quoted is not None else "",
                    "contract": _line_text(_line_values(contracted, products)) if contracted is not None else "",
                }
            )
            continue
        quoted_values = _line_values(quoted, products)
        contracted_values = _line_values(contracted, products)
        for field in fields:
            found.append(
                {"field": field, "line": k, "quotation": quoted_values[field], "contract": contracted_values[field]}
            )
    for name in TERM_FIELDS:
        quoted_term, contracted_term = _term_text(quotation_terms.get(name)), _term_text(contract_terms.get(name))
        if quoted_term != contracted_term:
            found.append({"field": name, "line": None, "quotation": quoted_term, "contract": contracted_term})
    return found


def deviations_of(
    contract: Contract,
    *,
    contract_lines: Sequence[Any] | None = None,
    contract_terms: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Deviations of ``contract`` (its stored lines and terms unless others are given) from its quotation."""
    quotation = contract.quotation
    quotation_lines = list(quotation.lines.order_by("pk"))
    if contract_lines is None:
        contract_lines = list(contract.lines.order_by("pk"))
    return compare(
        quotation_terms=terms_of(quotation),
        quotation_lines=quotation_lines,
        contract_terms=terms_of(contract) if contract_terms is None else contract_terms,
        contract_lines=contract_lines,
        products=product_labels(quotation_lines, contract_lines),
    )


def deviation_text(deviation: Mapping[str, Any]) -> str:
    """One deviation for people: "Line 1 unit price: 1000.00 → 900.00", "Warranty: 一年 → 两年"."""
    field, line = deviation.get("field", ""), deviation.get("line")
    quoted, contracted = deviation.get("quotation", "") or "—", deviation.get("contract", "") or "—"
    if field == ADDED_OR_REMOVED:
        if deviation.get("quotation"):
            return _("Line %(line)s removed: %(text)s") % {"line": (line or 0) + 1, "text": quoted}
        return _("Line %(line)s added: %(text)s") % {"line": (line or 0) + 1, "text": contracted}
    if line is not None:
        label = ContractLine._meta.get_field(field).verbose_name if field in LINE_FIELDS else field
        return _("Line %(line)s %(field)s: %(quotation)s → %(contract)s") % {
            "line": line + 1,
            "field": label,
            "quotation": quoted,
            "contract": contracted,
        }
    label = Contract._meta.get_field(field).verbose_name if field in TERM_FIELDS else field
    return _("%(field)s: %(quotation)s → %(contract)s") % {"field": label, "quotation": quoted, "contract": contracted}


def _line_cell(line: Any, products: Mapping[int, str]) -> dict[str, Any] | None:
    if line is None:
        return None
    return {
        "product": products.get(line.product_id, str(line.product_id)),
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "tax_rate": line.tax_rate,
        "amount": line.amount,
    }


def _term_display(doc: Any, name: str) -> str:
    display = getattr(doc, f"get_{name}_display", None)
    return str(display()) if display else _term_text(getattr(doc, name))


def side_by_side(contract: Contract) -> list[dict[str, Any]]:
    """Rows for the page that shows the quotation and the contract side by side (W3.3).

    Each row: ``kind`` ("line", "term" or "total"), ``line`` (the contract line's index; None for a
    removed line, a term or the total), ``field``, ``label``,
    ``quotation`` and ``contract`` (a line's cells as a dict, None where that side has no such
    line; a term's display text; the total amount), and ``deviates``: the deviating fields of a
    line (``["line"]`` when added or removed), True/False for a term or the total. Lines come in
    ``pair_lines`` order. Four queries.
    """
    quotation = contract.quotation
    quotation_lines = list(quotation.lines.order_by("pk"))
    contract_lines = list(contract.lines.order_by("pk"))
    products = product_labels(quotation_lines, contract_lines)
    found = compare(
        quotation_terms=terms_of(quotation),
        quotation_lines=quotation_lines,
        contract_terms=terms_of(contract),
        contract_lines=contract_lines,
        products=products,
    )
    term_fields = {d["field"] for d in found if d["line"] is None}
    rows: list[dict[str, Any]] = []
    for q, k in pair_lines(quotation_lines, contract_lines):
        quoted = quotation_lines[q] if q is not None else None
        contracted = contract_lines[k] if k is not None else None
        rows.append(
            {
                "kind": "line",
                "line": k,
                "field": "",
                "label": _("Line %(number)s") % {"number": k + 1}
                if k is not None
                else _("Quotation line %(number)s") % {"number": q + 1},
                "quotation": _line_cell(quoted, products),
                "contract": _line_cell(contracted, products),
                "deviates": _pair_deviations(quoted, contracted),
            }
        )
    for name in TERM_FIELDS:
        rows.append(
            {
                "kind": "term",
                "line": None,
                "field": name,
                "label": str(Contract._meta.get_field(name).verbose_name),
                "quotation": _term_display(quotation, name),
                "contract": _term_display(contract, name),
                "deviates": name in term_fields,
            }
        )
    rows.append(
        {
            "kind": "total",
            "line": None,
            "field": "total_amount",
            "label": str(Contract._meta.get_field("total_amount").verbose_name),
            "quotation": quotation.total_amount,
            "contract": contract.total_amount,
            "deviates": quotation.total_amount != contract.total_amount,
        }
    )
    return rows
