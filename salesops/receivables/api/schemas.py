"""Schemas the money documents' routes share: ids, amounts, a document's customer, an allocation."""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from salesops.core.api import ListQuery
from salesops.core.listing import MAX_DB_INTEGER
from salesops.workflow.docapi import DocumentOut

# An id sent by the client: a value the database's integers hold (a larger one is a 422, not a 500).
Id = Annotated[int, Field(ge=1, le=MAX_DB_INTEGER)]
# CNY to the fen, positive (the services check it again, naming the field).
Money = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]
TEXT = 4000
MAX_LINES = 500


class CustomerDocOut(DocumentOut):
    """A money document's head: the kernel's fields and its customer."""

    customer_id: int
    customer_name: str

    @staticmethod
    def resolve_customer_name(obj: Any) -> str:
        return obj.customer.name


def number_of(related: Any) -> str | None:
    return related.number if related is not None else None


class DocumentFilters(ListQuery):
    """Search, sort and page of a money document list, as its page reads them."""


class AllocationOut(Schema):
    """Part of a receipt applied to an invoice or, as a prepayment, to a contract or phone order;
    a reversed one stays, with who reversed it, when and why."""

    id: int
    receipt_id: int
    receipt_number: str
    invoice_id: int | None
    invoice_number: str | None
    order_id: int | None = Field(..., description="The order account of a prepayment.")
    amount: Decimal
    allocated_at: datetime.datetime
    allocated_by_id: int
    reversed_at: datetime.datetime | None
    reversed_by_id: int | None
    reverse_reason: str

    @staticmethod
    def resolve_receipt_number(obj: Any) -> str:
        return obj.receipt.number

    @staticmethod
    def resolve_invoice_number(obj: Any) -> str | None:
        return obj.invoice.invoice_number if obj.invoice_id else None
