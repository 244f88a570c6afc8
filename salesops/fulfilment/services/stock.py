"""Every change of stock: a receipt, an adjustment with its reason, and the takes and puts the
delivery documents make (outbound, return, exchange). Each writes its ledger line in the same
transaction; a refusal changes nothing.

A take is one conditional UPDATE per line (``quantity = quantity - n WHERE quantity >= n``): two
takes of the last unit cannot both succeed, on either database, and nobody reads then writes.
The lines of a multi-line take are applied in (product, warehouse) order, so two takes of the same
products lock their rows in the same order and never deadlock.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils.translation import gettext as _

from salesops.catalog.models import Product, Warehouse
from salesops.core.errors import InvalidInput
from salesops.core.policy import require
from salesops.core.selectors import by_key
from salesops.org.models import User

from ..models import MoveKind, StockLevel, StockMove
from ..permissions import STOCK_KEEPERS

# Units counted in whole pieces; any other unit (kg, 米, 吨, 升...) takes quantities to 3 places.
WHOLE_UNITS = frozenset(
    [
        "台",
        "套",
        "件",
        "个",
        "只",
        "把",
        "块",
        "根",
        "张",
        "辆",
        "箱",
        "包",
        "桶",
        "瓶",
        "袋",
        "支",
        "条",
        "副",
        "组",
        "盒",
        "卷",
        "片",
    ]
)
QUANTITY_LIMIT = Decimal("100000000000")
STOCK_COLUMNS = ("product", "warehouse", "quantity")


def scale_of(unit: str) -> int:
    return 0 if unit.strip() in WHOLE_UNITS else 3


def checked_quantity(value, product: Product, *, field: str = "quantity", positive: bool = True) -> Decimal:
    """The quantity at the product unit's scale, or InvalidInput naming ``field``."""
    try:
        quantity = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidInput(_("The quantity is not valid."), fields={field: [_("A number.")]}) from None
    if not quantity.is_finite() or abs(quantity) >= QUANTITY_LIMIT:
        raise InvalidInput(_("The quantity is not valid."), fields={field: [_("A number.")]})
    places = scale_of(product.unit)
    if quantity != quantity.quantize(Decimal(1).scaleb(-places)):
        message = (
            _("%(unit)s is counted in whole units.") % {"unit": product.unit}
            if places == 0
            else _("At most three decimal places.")
        )
        raise InvalidInput(message, fields={field: [message]})
    if (positive and quantity <= 0) or quantity == 0:
        raise InvalidInput(_("The quantity is not valid."), fields={field: [_("Above zero.")]})
    return quantity


@dataclass(frozen=True)
class StockLine:
    product: Product
    warehouse: Warehouse
    quantity: Decimal  # always positive: the kind says which way it goes


def _ordered(lines: Iterable[StockLine]) -> list[StockLine]:
    return sorted(lines, key=lambda line: (line.product.pk, line.warehouse.pk))


Key = tuple[int, int]  # (product id, warehouse id): one stock row


def _apply(lines: Sequence[StockLine], sign: int) -> dict[Key, Decimal]:
    """Move every stock row the lines name (``sign`` -1 takes, +1 puts) in one statement; the new
    on-hand of each row moved. A take leaves a row alone when it would go below zero: that row is
    missing from the answer (the caller refuses, and its transaction undoes the others).
    ``UPDATE ... RETURNING`` (PostgreSQL, SQLite 3.35+) gives the balance each ledger line records,
    as the row holds it after this very update."""
    quote = connection.ops.quote_name
    columns = {field.name: quote(field.column) for field in StockLevel._meta.concrete_fields}
    product, warehouse, quantity = (columns[name] for name in STOCK_COLUMNS)
    totals: dict[Key, Decimal] = {}
    for line in lines:
        key = (line.product.pk, line.warehouse.pk)
        totals[key] = totals.get(key, Decimal(0)) + sign * line.quantity
    keys = sorted(totals)
    delta = "CASE " + " ".join(f"WHEN {product} = %s AND {warehouse} = %s THEN CAST(%s AS NUMERIC)" for _ in keys)
    delta_params = [value for key in keys for value in (*key, totals[key])]
    # Rounded to the column's places: SQLite compares its floating-point value (0.3 - 0.1 - 0.2).
    after = f"ROUND({quantity} + {delta} END, 3)"
    rows = ", ".join("(%s, %s)" for _ in keys)
    table = quote(StockLevel._meta.db_table)
    sql = f"UPDATE {table} SET {quantity} = {after} WHERE ({product}, {warehouse}) IN ({rows})"
    params: list = [*delta_params, *(value for key in keys for value in key)]
    if sign < 0:
        sql += f" AND {after} >= 0"
        params += delta_params
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} RETURNING {product}, {warehouse}, {quantity}", params)
        return {(row[0], row[1]): _quantity(row[2]) for row in cursor.fetchall()}


def _runs_out(short: Sequence[StockLine]) -> StockLine:
    """The line at which the first short row runs out, its lines taken in order (a refusal's read)."""
    product, warehouse = short[0].product, short[0].warehouse
    row = StockLevel.objects.filter(product=product, warehouse=warehouse).values_list("quantity", flat=True).first()
    left = row or Decimal(0)
    for line in short:
        if (line.product, line.warehouse) == (product, warehouse):
            left -= line.quantity
            if left < 0:
                return line
    return short[0]


def _balances(lines: Sequence[StockLine], moved: dict[Key, Decimal], sign: int) -> list[Decimal]:
    """Each line's balance after it, as if the lines had been moved one by one in this order."""
    running = dict(moved)
    for line in lines:  # back to the on-hand before the first line
        running[(line.product.pk, line.warehouse.pk)] -= sign * line.quantity
    balances = []
    for line in lines:
        key = (line.product.pk, line.warehouse.pk)
        running[key] += sign * line.quantity
        balances.append(running[key])
    return balances


def _quantity(value) -> Decimal:
    """A stored quantity as the ORM reads it: a Decimal at the column's 3 places (SQLite hands back
    an int or a float)."""
    return Decimal(str(value)).quantize(Decimal("0.001"))


def _ensure_rows(lines: Sequence[StockLine]) -> None:
    StockLevel.objects.bulk_create(
        [StockLevel(product=line.product, warehouse=line.warehouse) for line in lines], ignore_conflicts=True
    )


@transaction.atomic
def stock_take(
    lines: Sequence[StockLine], *, kind: str, actor: User, document_number: str = "", reason: str = ""
) -> list[StockMove]:
    """Take every line out of stock, or none: a line with too little on hand refuses the whole take,
    naming it (``lines.<i>.quantity``)."""
    return stock_take_within(lines, kind=kind, actor=actor, document_number=document_number, reason=reason)


def stock_take_within(
    lines: Sequence[StockLine], *, kind: str, actor: User, document_number: str = "", reason: str = ""
) -> list[StockMove]:
    """``stock_take`` for a service already in its own transaction, which a refusal rolls back
    (the lines taken before the refused one go back with it): no savepoint of its own."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("stock_take_within() must run inside the service's transaction")
    if not lines:
        return []
    ordered = _ordered(lines)
    moved = _apply(ordered, -1)
    short = [line for line in ordered if (line.product.pk, line.warehouse.pk) not in moved]
    if short:
        line = _runs_out(short)
        n = next(n for n, given in enumerate(lines) if given is line)
        message = _("Not enough %(product)s in %(warehouse)s.") % {"product": line.product, "warehouse": line.warehouse}
        raise InvalidInput(message, fields={f"lines.{n}.quantity": [message]})
    moves = [
        _move(line, -line.quantity, balance, kind=kind, actor=actor, number=document_number, reason=reason)
        for line, balance in zip(ordered, _balances(ordered, moved, -1))
    ]
    return StockMove.objects.bulk_create(moves)


@transaction.atomic
def stock_put(
    lines: Sequence[StockLine], *, kind: str, actor: User, document_number: str = "", reason: str = ""
) -> list[StockMove]:
    """Put every line into stock (a receipt, a return), creating the stock row the first time."""
    if not lines:
        return []
    _ensure_rows(lines)
    ordered = _ordered(lines)
    moved = _apply(ordered, +1)  # an increase always applies once the row exists
    moves = [
        _move(line, line.quantity, balance, kind=kind, actor=actor, number=document_number, reason=reason)
        for line, balance in zip(ordered, _balances(ordered, moved, +1))
    ]
    return StockMove.objects.bulk_create(moves)


def _move(line: StockLine, quantity: Decimal, balance: Decimal, *, kind, actor, number, reason) -> StockMove:
    """A ledger line, written with the others of its take in one INSERT."""
    return StockMove(
        product=line.product,
        warehouse=line.warehouse,
        kind=kind,
        quantity=quantity,
        balance=balance,
        reason=reason[:300],
        document_number=number[:40],
        actor=actor,
    )


def _warehouse(warehouse_id) -> Warehouse:
    found = by_key(Warehouse.objects.filter(pk=warehouse_id, is_active=True)) if isinstance(warehouse_id, int) else None
    if found is None:
        raise InvalidInput(_("Choose a warehouse."), fields={"warehouse_id": [_("Choose a warehouse.")]})
    return found


def _product(product_id) -> Product:
    found = Product.objects.filter(pk=product_id).first() if isinstance(product_id, int) else None
    if found is None:
        raise InvalidInput(_("Choose a product."), fields={"product_id": [_("Choose a product.")]})
    return found


@transaction.atomic
def stock_receive(*, actor: User, warehouse_id: int, product_id: int, quantity, reason: str = "") -> StockMove:
    """The warehouse books goods received (入库)."""
    require(actor, *STOCK_KEEPERS)
    product = _product(product_id)
    line = StockLine(product, _warehouse(warehouse_id), checked_quantity(quantity, product))
    return stock_put([line], kind=MoveKind.RECEIPT, actor=actor, reason=reason)[0]


@transaction.atomic
def stock_adjust(*, actor: User, warehouse_id: int, product_id: int, change, reason: str) -> StockMove:
    """The warehouse corrects on-hand (a count, damage) by ``change`` (+ or -), with the reason."""
    require(actor, *STOCK_KEEPERS)
    if not (reason or "").strip():
        raise InvalidInput(_("Please give a reason."), fields={"reason": [_("This field is required.")]})
    product = _product(product_id)
    delta = checked_quantity(change, product, field="change", positive=False)
    line = StockLine(product, _warehouse(warehouse_id), abs(delta))
    if delta > 0:
        return stock_put([line], kind=MoveKind.ADJUSTMENT, actor=actor, reason=reason.strip())[0]
    try:
        return stock_take([line], kind=MoveKind.ADJUSTMENT, actor=actor, reason=reason.strip())[0]
    except InvalidInput as exc:
        raise InvalidInput(exc.message, fields={"change": [exc.message]}) from None
