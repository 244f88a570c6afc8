"""Customers, products and deals documents for the deals tests; documents are made through the services.

``deal(staff)`` gives a customer of the salesperson, two products with standard and floor prices,
and an inquiry the manager decided to bid on (leadership instructing too when it is major).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from salesops.catalog.models import Product
from salesops.customers.models import Competitor, Customer
from salesops.deals.choices import InquiryState, QuotationState
from salesops.deals.lines import LineIn
from salesops.deals.models import Inquiry, Quotation
from salesops.deals.services import inquiries, quotations
from salesops.deals.services.inquiries import InquiryLineIn
from salesops.workflow.models import ApprovalStep, DocumentEvent

_codes = iter(range(1, 10**6))


def customer(staff, owner, **extra) -> Customer:
    code = extra.pop("code", f"DL-C{next(_codes):05d}")
    return Customer.objects.create(
        code=code,
        name=extra.pop("name", f"济南农机客户{code}"),
        kind=extra.pop("kind", "end_user"),
        region=staff.region,
        owner=owner,
        branch=owner.branch,
        department=owner.department,
        **extra,
    )


def product(*, standard: str = "1000.00", floor: str = "800.00", tax_rate: str = "0.13", **extra) -> Product:
    code = extra.pop("code", f"DL-P{next(_codes):05d}")
    return Product.objects.create(
        code=code,
        name=extra.pop("name", f"播种机{code}"),
        unit=extra.pop("unit", "台"),
        standard_price=Decimal(standard),
        floor_price=Decimal(floor),
        tax_rate=Decimal(tax_rate),
        **extra,
    )


def competitor(name: str = "潍坊某农机厂") -> Competitor:
    return Competitor.objects.create(name=name, products="播种机")


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def inquiry(actor, cust: Customer, *, lines=None, **extra) -> Inquiry:
    return inquiries.inquiry_create(
        actor=actor,
        customer_id=cust.pk,
        kind=extra.pop("kind", "inquiry"),
        source=extra.pop("source", "visit"),
        title=extra.pop("title", "春播播种机采购"),
        description=extra.pop("description", "客户需要 2 台播种机和 4 套排种器"),
        deadline_on=extra.pop("deadline_on", in_days(10)),
        estimated_amount=Decimal(extra.pop("estimated_amount", "3000.00")),
        is_flagged_major=extra.pop("is_flagged_major", False),
        lines=lines if lines is not None else [],
        **extra,
    )


@dataclass
class Deal:
    customer: Customer
    seeder: Product  # standard ¥1000.00, floor ¥800.00, 13 %
    meter: Product  # standard ¥250.00, floor ¥200.00, 13 %
    inquiry: Inquiry

    def lines(self, seeder_price: str = "1000.00", meter_price: str = "250.00") -> list[LineIn]:
        """2 seeders and 4 seed meters: ¥3000.00 at standard prices."""
        return [
            LineIn(product_id=self.seeder.pk, quantity=Decimal("2"), unit_price=Decimal(seeder_price)),
            LineIn(product_id=self.meter.pk, quantity=Decimal("4"), unit_price=Decimal(meter_price)),
        ]


def deal(staff, owner=None, *, bid: bool = True, **inquiry_fields) -> Deal:
    """A customer of ``owner`` (sales_a), two products, and an inquiry for them; with ``bid`` the
    owner's manager decided to bid (and leadership instructed a major one): the inquiry is BIDDING."""
    owner = owner or staff.sales_a
    cust = customer(staff, owner)
    seeder = product(standard="1000.00", floor="800.00")
    meter = product(standard="250.00", floor="200.00", name="排种器")
    asked = [InquiryLineIn(seeder.pk, Decimal("2")), InquiryLineIn(meter.pk, Decimal("4"))]
    doc = inquiry(owner, cust, lines=asked, **inquiry_fields)
    if bid:
        manager = staff.manager2 if owner.branch_id == staff.branch.pk else staff.manager1
        doc = inquiries.inquiry_decide_bid(inquiry=doc, actor=manager)
        if doc.state == InquiryState.DECIDING:
            doc = inquiries.inquiry_instruct(inquiry=doc, actor=staff.boss)
    return Deal(customer=cust, seeder=seeder, meter=meter, inquiry=doc)


def quotation(actor, the_deal: Deal, lines=None, **extra) -> Quotation:
    return quotations.quotation_create(
        actor=actor,
        inquiry_id=the_deal.inquiry.pk,
        valid_until=extra.pop("valid_until", in_days(30)),
        lines=lines if lines is not None else the_deal.lines(),
        payment_terms=extra.pop("payment_terms", "on_delivery"),
        delivery_time=extra.pop("delivery_time", "合同签订后 15 天"),
        delivery_place=extra.pop("delivery_place", "客户仓库"),
        warranty=extra.pop("warranty", "一年"),
        **extra,
    )


def submitted_quotation(actor, the_deal: Deal, lines=None, **extra) -> Quotation:
    doc = quotation(actor, the_deal, lines, **extra)
    return quotations.quotation_submit(quotation=doc, actor=actor)


def approved_quotation(staff, the_deal: Deal, lines=None, **extra) -> Quotation:
    """Submitted by sales_a and approved by manager1 (and by leadership when major)."""
    doc = submitted_quotation(staff.sales_a, the_deal, lines, **extra)
    doc = quotations.quotation_approve(quotation=doc, actor=staff.manager1)
    if doc.state != QuotationState.APPROVED:
        doc = quotations.quotation_approve(quotation=doc, actor=staff.boss)
    return doc


def issued_quotation(staff, the_deal: Deal, lines=None, **extra) -> Quotation:
    doc = approved_quotation(staff, the_deal, lines, **extra)
    return quotations.quotation_issue(quotation=doc, actor=staff.sales_a)


def events_of(doc) -> list[str]:
    return list(
        DocumentEvent.objects.filter(content_type=ContentType.objects.get_for_model(doc), object_id=doc.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def steps_summary(doc) -> list[tuple[str, str]]:
    return list(
        ApprovalStep.objects.filter(content_type=ContentType.objects.get_for_model(doc), object_id=doc.pk)
        .order_by("round", "sequence")
        .values_list("role", "status")
    )


def snapshot(doc) -> tuple:
    """What a refused action must leave unchanged: state, version, audit events, approval steps, and
    the priced lines, totals and outcome of a quotation."""
    row = type(doc).objects.get(pk=doc.pk)
    content_type = ContentType.objects.get_for_model(doc)
    steps = tuple(
        ApprovalStep.objects.filter(content_type=content_type, object_id=doc.pk)
        .order_by("pk")
        .values_list("status", "decided_by_id")
    )
    events = DocumentEvent.objects.filter(content_type=content_type, object_id=doc.pk).count()
    extra: tuple = ()
    if isinstance(row, Quotation):
        lines = tuple(row.lines.order_by("pk").values_list("product_id", "quantity", "unit_price", "amount"))
        extra = (
            lines,
            row.total_amount,
            row.tax_amount,
            row.is_non_standard,
            row.issued_at,
            row.lost_to_id,
            row.lost_price,
            row.outcome_note,
        )
    if isinstance(row, Inquiry):
        extra = (row.decline_reason, tuple(row.lines.order_by("pk").values_list("product_id", "quantity")))
    return (row.state, row.version, events, steps, extra)
