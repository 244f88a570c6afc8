"""Reads of stock: on-hand per product and warehouse (anyone signed in: what can be promised), the
ledger (the warehouse, the sales office, leadership), and the nightly check that on-hand equals
the sum of the ledger."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy

from salesops.catalog.models import Warehouse
from salesops.core.listing import Filter, Listing
from salesops.core.policy import require

from ..models import MoveKind, StockLevel, StockMove
from ..permissions import LEDGER_READERS


def stock_list(*, user) -> QuerySet[StockLevel]:
    """On-hand quantities: not a secret in the company (no prices here), read by anyone signed in."""
    if not (user and user.is_authenticated and user.is_active):
        return StockLevel.objects.none()
    return StockLevel.objects.select_related("product", "warehouse")


def _warehouse_filter() -> Filter:
    return Filter(
        "warehouse",
        "warehouse_id",
        gettext_lazy("Warehouse"),
        [(str(pk), name) for pk, name in Warehouse.objects.order_by("code").values_list("pk", "name")],
    )


def stock_listing(*, user=None) -> Listing:
    return Listing(
        search_fields=("product__name", "product__model", "product__code"),
        search_key="product__search_key",
        # By product code (Chinese names sort by code point, not as people read them).
        orderings={"product": "product__code", "warehouse": "warehouse__code", "quantity": "quantity"},
        default_ordering="product",
        filters=(_warehouse_filter(),),
    )


def stock_moves(*, user) -> QuerySet[StockMove]:
    require(user, *LEDGER_READERS)
    return StockMove.objects.select_related("product", "warehouse", "actor")


def stock_move_listing(*, user=None) -> Listing:
    return Listing(
        search_fields=("product__name", "product__code", "document_number", "reason"),
        orderings={"at": "at", "product": "product__code"},
        default_ordering="-at",
        filters=(_warehouse_filter(), Filter("kind", "kind", gettext_lazy("Kind"), list(MoveKind.choices))),
    )


@dataclass(frozen=True)
class Drift:
    product_id: int
    warehouse_id: int
    on_hand: Decimal
    ledger: Decimal


MILLI = Decimal("0.001")


def stock_drift() -> list[Drift]:
    """Stock rows whose on-hand differs from the sum of their ledger (two queries, whatever the size)."""
    # Summed to the column's 3 places: SQLite adds its floating-point values (0.1 + 0.2 - 0.3 is not 0).
    sums = {
        (row["product_id"], row["warehouse_id"]): Decimal(str(row["total"])).quantize(MILLI)
        for row in StockMove.objects.values("product_id", "warehouse_id").annotate(total=Sum("quantity"))
    }
    found = []
    for level in StockLevel.objects.values("product_id", "warehouse_id", "quantity"):
        key = (level["product_id"], level["warehouse_id"])
        ledger = sums.pop(key, Decimal("0"))
        if ledger != level["quantity"]:
            found.append(Drift(key[0], key[1], level["quantity"], ledger))
    found.extend(Drift(p, w, Decimal("0"), total) for (p, w), total in sums.items() if total != 0)
    return found
