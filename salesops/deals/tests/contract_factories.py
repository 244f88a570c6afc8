"""Test data for the contract, phone order, register and pipeline tests.

Quotations and inquiries are made here with the kernel (``document_create``) and the ORM, not
through the quotation and inquiry services: ``issued_quotation`` **bypasses the manager's review**
(W2.5) and sets the state to issued directly, for test setup only. Contracts and phone orders are
made through their services.
"""

import contextlib
import datetime
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any
from unittest import mock

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from salesops.catalog.models import Product
from salesops.catalog.tests.factories import ProductFactory
from salesops.customers.models import Customer
from salesops.customers.tests.factories import CustomerFactory
from salesops.deals.choices import ContractState, InquiryState, QuotationState
from salesops.deals.lines import LineIn, replace_lines
from salesops.deals.models import Contract, Inquiry, NegotiationNote, PhoneOrder, Quotation, QuotationLine
from salesops.deals.services import contracts as contract_services
from salesops.deals.services import orders as order_services
from salesops.deals.workflows import INQUIRY_FLOW, QUOTATION_FLOW
from salesops.workflow.models import ApprovalStep, DocumentEvent
from salesops.workflow.services import document_create

# (product, quantity, unit price) of a line, as tests write it.
Line = tuple[Product, str, str]


def product(**extra: Any) -> Product:
    return ProductFactory(**extra)


def customer(staff, owner, **extra: Any) -> Customer:
    return CustomerFactory(owner=owner, region=staff.region, **extra)


def line_ins(lines: Sequence[Line]) -> list[LineIn]:
    return [LineIn(product_id=p.pk, quantity=Decimal(q), unit_price=Decimal(price)) for p, q, price in lines]


def issued_quotation(
    owner,
    cust: Customer,
    lines: Sequence[Line],
    *,
    valid_until: datetime.date | None = None,
    **terms: Any,
) -> Quotation:
    """An issued quotation of ``owner``'s. Bypasses the review (state set with the ORM): test setup only."""
    with transaction.atomic():
        quotation = document_create(
            Quotation,
            flow=QUOTATION_FLOW,
            actor=owner,
            owner=owner,
            customer=cust,
            valid_until=valid_until or timezone.localdate() + datetime.timedelta(days=30),
            payment_terms=terms.pop("payment_terms", "on_delivery"),
            delivery_time=terms.pop("delivery_time", "合同签订后30天内"),
            delivery_place=terms.pop("delivery_place", "客户工厂"),
            warranty=terms.pop("warranty", "一年"),
            **terms,
        )
        replace_lines(quotation, line_ins(lines), line_model=QuotationLine, parent_field="quotation")
        Quotation.objects.filter(pk=quotation.pk).update(state=QuotationState.ISSUED, issued_at=timezone.now())
    quotation.refresh_from_db()
    return quotation


def quotation_in_state(owner, cust: Customer, lines: Sequence[Line], state: str, **extra: Any) -> Quotation:
    """A quotation forced into ``state`` (pipeline tests only)."""
    quotation = issued_quotation(owner, cust, lines, **extra)
    Quotation.objects.filter(pk=quotation.pk).update(state=state)
    quotation.refresh_from_db()
    return quotation


def inquiry(owner, cust: Customer, amount: str = "1000.00", state: str = InquiryState.REPORTED) -> Inquiry:
    """An inquiry forced into ``state`` (pipeline tests only)."""
    with transaction.atomic():
        found = document_create(
            Inquiry,
            flow=INQUIRY_FLOW,
            actor=owner,
            owner=owner,
            customer=cust,
            source="phone",
            title="询价",
            estimated_amount=Decimal(amount),
        )
        Inquiry.objects.filter(pk=found.pk).update(state=state)
    found.refresh_from_db()
    return found


def negotiation_note(quotation: Quotation, author) -> NegotiationNote:
    return NegotiationNote.objects.create(quotation=quotation, note="价格谈判第一轮", author=author)


class Deal:
    """A salesperson's customer, two products and an issued quotation for them (2 lines, 15,000.00)."""

    def __init__(self, staff, owner=None, *, prices: tuple[str, str] = ("1000.00", "500.00"), **quotation_extra):
        self.owner = owner or staff.sales_a
        self.customer = customer(staff, self.owner)
        self.pump = product(name="水泵", standard_price=Decimal("2000000.00"), floor_price=Decimal("1.00"))
        self.valve = product(name="阀门", standard_price=Decimal("2000000.00"), floor_price=Decimal("1.00"))
        self.lines: list[Line] = [(self.pump, "10", prices[0]), (self.valve, "10", prices[1])]
        self.quotation = issued_quotation(self.owner, self.customer, self.lines, **quotation_extra)

    def draft(self, actor=None) -> Contract:
        return contract_services.contract_draft_from_quotation(actor=actor or self.owner, quotation=self.quotation)


def deviating(contract: Contract, deal: Deal, **terms: Any) -> Contract:
    """The contract with the first line's price cut from the quotation's (a deviation)."""
    lines = [(deal.pump, "10", "900.00"), (deal.valve, "10", deal.lines[1][2])]
    return contract_services.contract_update(
        actor=contract.owner, contract=contract, version=contract.version, lines=line_ins(lines), **terms
    )


def submitted(contract: Contract) -> Contract:
    return contract_services.contract_submit(actor=contract.owner, contract=contract)


def confirmed_contract(staff, deal: Deal) -> Contract:
    """A contract without deviations, below the major threshold: confirmed at submission."""
    contract = submitted(deal.draft())
    assert contract.state == ContractState.CONFIRMED
    return contract


def scan(name: str = "signed.pdf", content: bytes = b"%PDF-1.4\n% signed contract\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def signed_contract(staff, deal: Deal, signed_on: datetime.date | None = None) -> Contract:
    contract = confirmed_contract(staff, deal)
    return contract_services.contract_sign(
        actor=contract.owner, contract=contract, signed_on=signed_on or timezone.localdate(), scan=scan()
    )


def phone_order(actor, cust: Customer, lines: Sequence[Line], **extra: Any) -> PhoneOrder:
    return order_services.phone_order_create(
        actor=actor,
        customer_id=cust.pk,
        channel=extra.pop("channel", "phone"),
        received_on=extra.pop("received_on", timezone.localdate()),
        reason_without_contract=extra.pop("reason_without_contract", "老客户补货，电话下单"),
        lines=line_ins(lines),
        **extra,
    )


@contextlib.contextmanager
def clock(moment: datetime.datetime) -> Iterator[None]:
    """Run with ``timezone.now()`` (and so ``timezone.localdate()``) at ``moment``.

    Model field defaults bound to ``timezone.now`` (``created_at``, event ``at``) keep the real time.
    """
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def local(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def snapshot(doc) -> tuple:
    """What a refused action must leave unchanged: state, version, events, approval steps, lines, key fields."""
    row = type(doc).objects.get(pk=doc.pk)
    content_type = ContentType.objects.get_for_model(doc)
    steps = tuple(
        ApprovalStep.objects.filter(content_type=content_type, object_id=doc.pk)
        .order_by("pk")
        .values_list("status", "decided_by_id")
    )
    events = DocumentEvent.objects.filter(content_type=content_type, object_id=doc.pk).count()
    lines = tuple(row.lines.order_by("pk").values_list("product_id", "quantity", "unit_price"))
    extra = tuple(
        getattr(row, name)
        for name in ("deviations", "signed_on", "archived_at", "void_reason", "total_amount")
        if hasattr(row, name)
    )
    return (row.state, row.version, events, steps, lines, extra)


def events_of(doc) -> list[str]:
    return list(
        DocumentEvent.objects.filter(content_type=ContentType.objects.get_for_model(doc), object_id=doc.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )
