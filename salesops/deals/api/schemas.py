"""Schemas shared by the deals API families: priced and inquiry lines, terms, the document head."""

from decimal import Decimal

from ninja import Field, Schema

from salesops.core.api import ListQuery
from salesops.workflow.docapi import DocumentOut

from ..choices import PaymentTerms
from ..lines import LineIn

Money = Decimal
TEXT = 4000


class LineSchema(Schema):
    """A priced line: tax-inclusive unit price in yuan (2 decimals), quantity > 0 (3 decimals)."""

    product_id: int
    quantity: Decimal = Field(..., gt=0, max_digits=14, decimal_places=3)
    unit_price: Money = Field(..., ge=0, max_digits=14, decimal_places=2)


class InquiryLineSchema(Schema):
    product_id: int
    quantity: Decimal = Field(..., gt=0, max_digits=14, decimal_places=3)


class LineOut(Schema):
    id: int
    product_id: int
    product_code: str
    product_name: str
    product_model: str
    product_specification: str
    unit: str
    quantity: Decimal
    unit_price: Money
    tax_rate: Decimal
    amount: Money
    tax_amount: Money

    @staticmethod
    def resolve_product_code(obj) -> str:
        return obj.product.code

    @staticmethod
    def resolve_product_name(obj) -> str:
        return obj.product.name

    @staticmethod
    def resolve_product_model(obj) -> str:
        return obj.product.model

    @staticmethod
    def resolve_product_specification(obj) -> str:
        return obj.product.specification

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.product.unit


class InquiryLineOut(Schema):
    id: int
    product_id: int
    product_name: str
    unit: str
    quantity: Decimal

    @staticmethod
    def resolve_product_name(obj) -> str:
        return obj.product.name

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.product.unit


class TermsIn(Schema):
    payment_terms: PaymentTerms = PaymentTerms.ON_DELIVERY
    payment_terms_note: str = Field("", max_length=300)
    delivery_time: str = Field("", max_length=200)
    delivery_place: str = Field("", max_length=200)
    warranty: str = Field("", max_length=200)
    other_terms: str = Field("", max_length=TEXT)


class TermsPatch(Schema):
    version: int = Field(..., ge=1, description="The version read; a newer one on the server gives 409.")
    payment_terms: PaymentTerms | None = None
    payment_terms_note: str | None = Field(None, max_length=300)
    delivery_time: str | None = Field(None, max_length=200)
    delivery_place: str | None = Field(None, max_length=200)
    warranty: str | None = Field(None, max_length=200)
    other_terms: str | None = Field(None, max_length=TEXT)
    lines: list[LineSchema] | None = Field(None, description="When given, replaces every line.")


class PricedOut(DocumentOut):
    customer_id: int
    customer_name: str
    payment_terms: str
    payment_terms_note: str
    delivery_time: str
    delivery_place: str
    warranty: str
    other_terms: str
    total_amount: Money
    tax_amount: Money

    @staticmethod
    def resolve_customer_name(obj) -> str:
        return obj.customer.name


class ListFilters(ListQuery):
    """Search, sort and page of a deals list (page shape: ``core.api.page_of``)."""


def lines_in(rows: list[dict]) -> list[LineIn]:
    """Priced lines as sent (``LineSchema``, dumped) as the services take them."""
    return [LineIn(**row) for row in rows]
