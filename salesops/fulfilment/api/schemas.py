"""Schemas the delivery documents' routes share: ids, picked lines, a line's product, a document's
customer. No schema here carries a price: the warehouse reads every one of them."""

from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from salesops.core.api import ListQuery
from salesops.core.listing import MAX_DB_INTEGER
from salesops.core.policy import AUTHENTICATED
from salesops.workflow.docapi import DocumentOut

from ..services import Pick

# An id sent by the client: a value the database's integers hold (a larger one is a 422, not a 500).
Id = Annotated[int, Field(ge=1, le=MAX_DB_INTEGER)]
Quantity = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=3)]
TEXT = 4000
# Anyone signed in may call the lists, gets and action routes, as the pages: each answers only the
# documents ``visible_to`` the caller (404 for the others), and the flow decides who may act (403).
READERS = (AUTHENTICATED,)
MAX_LINES = 500


class PickIn(Schema):
    """One line taken from the source document: its line's id and how much (at the unit's scale)."""

    line_id: Id
    quantity: Quantity


def picks_in(rows: list[dict[str, Any]]) -> list[Pick]:
    """Picked lines as sent (``PickIn``, dumped) as the services take them."""
    return [Pick(row["line_id"], row["quantity"]) for row in rows]


def lines_field(source: str, *, optional: bool = True) -> Any:
    if optional:
        return Field(
            None, min_length=1, max_length=MAX_LINES, description=f"Lines of the {source}; omitted: all still open."
        )
    return Field(..., min_length=1, max_length=MAX_LINES, description=f"Lines of the {source}.")


class ProductFields(Schema):
    """A line's product as the warehouse reads it: code, name, model, specification and unit."""

    product_id: int
    product_code: str
    product_name: str
    product_model: str
    product_specification: str
    unit: str

    @staticmethod
    def resolve_product_code(obj: Any) -> str:
        return obj.product.code

    @staticmethod
    def resolve_product_name(obj: Any) -> str:
        return obj.product.name

    @staticmethod
    def resolve_product_model(obj: Any) -> str:
        return obj.product.model

    @staticmethod
    def resolve_product_specification(obj: Any) -> str:
        return obj.product.specification

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return obj.product.unit


class ProductLineOut(ProductFields):
    """A line of a delivery document."""

    id: int


class CustomerDocOut(DocumentOut):
    """A delivery document's head: the kernel's fields and its customer."""

    customer_id: int
    customer_name: str

    @staticmethod
    def resolve_customer_name(obj: Any) -> str:
        return obj.customer.name


def number_of(related: Any) -> str | None:
    return related.number if related is not None else None


class DocumentFilters(ListQuery):
    """Search, sort and page of a delivery document list, as its page reads them."""
