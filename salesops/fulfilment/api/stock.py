"""The stock API: on-hand per product and warehouse, the ledger, and the warehouse's receipts and
adjustments."""

import datetime
from decimal import Decimal

from ninja import Field, Query, Schema, Status

from salesops.core.api import ListQuery, Router, listing_page, page_schema
from salesops.core.policy import AUTHENTICATED, policy

from .. import selectors, services
from ..models import MoveKind
from ..permissions import LEDGER_READERS, STOCK_KEEPERS

router = Router()


class StockOut(Schema):
    product_id: int
    product_code: str
    product_name: str
    unit: str
    warehouse_id: int
    warehouse_name: str
    quantity: Decimal

    @staticmethod
    def resolve_product_code(obj) -> str:
        return obj.product.code

    @staticmethod
    def resolve_product_name(obj) -> str:
        return obj.product.name

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.product.unit

    @staticmethod
    def resolve_warehouse_name(obj) -> str:
        return obj.warehouse.name


class StockFilters(ListQuery):
    warehouse: int | None = Field(None, ge=1, le=2**63 - 1)


@router.get("/stock", response=page_schema(StockOut, "StockPage"), operation_id="stock_list")
@policy(AUTHENTICATED)
def stock_list(request, filters: Query[StockFilters]):
    """On-hand quantity per product and warehouse, searched (product name, model, pinyin) and paged."""
    return listing_page(selectors.stock_listing(), selectors.stock_list(user=request.auth), filters)


class MoveOut(Schema):
    id: int
    at: datetime.datetime
    product_id: int
    warehouse_id: int
    kind: MoveKind
    quantity: Decimal
    balance: Decimal
    document_number: str
    reason: str
    actor_id: int


class MoveFilters(ListQuery):
    warehouse: int | None = Field(None, ge=1, le=2**63 - 1)
    kind: MoveKind | None = None


@router.get("/stock/moves", response=page_schema(MoveOut, "StockMovePage"), operation_id="stock_move_list")
@policy(*LEDGER_READERS)
def stock_move_list(request, filters: Query[MoveFilters]):
    """The stock ledger, newest first: every receipt, adjustment, outbound and return."""
    return listing_page(selectors.stock_move_listing(), selectors.stock_moves(user=request.auth), filters)


class ReceiptIn(Schema):
    warehouse_id: int = Field(..., ge=1, le=2**63 - 1)
    product_id: int = Field(..., ge=1, le=2**63 - 1)
    quantity: Decimal = Field(..., gt=0, max_digits=14, decimal_places=3)
    reason: str = Field("", max_length=300)


@router.post("/stock/receipts", response={201: MoveOut}, operation_id="stock_receive")
@policy(*STOCK_KEEPERS)
def stock_receive(request, payload: ReceiptIn):
    """The warehouse books goods received (入库)."""
    return Status(201, services.stock_receive(actor=request.auth, **payload.model_dump()))


class AdjustmentIn(Schema):
    warehouse_id: int = Field(..., ge=1, le=2**63 - 1)
    product_id: int = Field(..., ge=1, le=2**63 - 1)
    change: Decimal = Field(..., max_digits=14, decimal_places=3, description="+ or -, never 0")
    reason: str = Field(..., min_length=1, max_length=300)


@router.post("/stock/adjustments", response={201: MoveOut}, operation_id="stock_adjust")
@policy(*STOCK_KEEPERS)
def stock_adjust(request, payload: AdjustmentIn):
    """The warehouse corrects on-hand with a reason; never below zero."""
    return Status(201, services.stock_adjust(actor=request.auth, **payload.model_dump()))
