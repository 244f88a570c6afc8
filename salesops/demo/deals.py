"""Demo deals: inquiries, quotations, contracts and phone orders at every stage of W2-W3, made
through the deals services (so numbers, approval steps, notifications and audit events are real).
Called by the demo loader after customers and products exist.
"""

import datetime
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from salesops.catalog.models import Product
from salesops.customers.models import Competitor, Customer
from salesops.deals.bench import SCAN_PDF
from salesops.deals.lines import LineIn
from salesops.deals.services import contracts, inquiries, negotiations, orders, quotations
from salesops.deals.services.inquiries import InquiryLineIn
from salesops.org.models import User
from salesops.workflow.approvals import current_step

# How far each demo deal goes, in order of the flow.
STAGES = (
    "reported",
    "declined",
    "quotation_draft",
    "quotation_review",
    "issued",
    "negotiation",
    "lost",
    "contract_deviation",
    "signed",
    "archived",
)
REACHED = {stage: index for index, stage in enumerate(STAGES)}


def _decider(doc, users: dict[str, User]) -> User:
    """Whoever the pending approval step waits for."""
    step = current_step(doc)
    if step.approver_id:
        return step.approver
    return users["boss"] if step.role == "leadership" else doc.owner.manager


def _approve_all(doc, approve, users):
    while doc.state in ("pending", "deciding"):
        doc = approve(doc, _decider(doc, users))
    return doc


def load_demo_deals(*, rng: random.Random, users: dict[str, User], salespeople: list[str], today: datetime.date) -> int:
    """Create one deal per (salesperson, stage) pair in turn; return how many deals were made."""
    products = list(Product.objects.filter(is_active=True).order_by("code")[:40])
    competitors = list(Competitor.objects.order_by("pk"))
    made = 0
    for index, stage in enumerate(STAGES * 2):
        owner = users[salespeople[index % len(salespeople)]]
        customer = rng.choice(list(Customer.objects.filter(owner=owner)[:20]))
        picked = rng.sample(products, 2)
        quantities = [Decimal(rng.randint(1, 6)), Decimal(rng.randint(2, 12))]
        _deal(stage, owner, customer, picked, quantities, users, competitors, rng, today)
        made += 1
    _phone_orders(users, salespeople, products, today)
    return made


def _deal(stage, owner, customer, products, quantities, users, competitors, rng, today) -> None:
    reached = REACHED[stage]
    estimated = sum((p.standard_price * q for p, q in zip(products, quantities, strict=True)), Decimal("0"))
    inquiry = inquiries.inquiry_create(
        actor=owner,
        customer_id=customer.pk,
        kind=rng.choice(["inquiry", "tender"]),
        source=rng.choice(["visit", "phone", "online", "government"]),
        title=f"{products[0].name}采购",
        description=f"客户需要{products[0].name}和{products[1].name}，请报价。",
        deadline_on=today + datetime.timedelta(days=rng.randint(5, 20)),
        estimated_amount=estimated.quantize(Decimal("0.01")),
        lines=[InquiryLineIn(p.pk, q) for p, q in zip(products, quantities, strict=True)],
    )
    if stage == "reported":
        return
    if stage == "declined":
        inquiries.inquiry_decline(inquiry=inquiry, actor=owner.manager, reason="交期无法满足，放弃本次报价")
        return
    inquiry = inquiries.inquiry_decide_bid(inquiry=inquiry, actor=owner.manager)
    inquiry = _approve_all(inquiry, lambda d, u: inquiries.inquiry_instruct(inquiry=d, actor=u), users)
    # Every third deal quotes under the floor price: non-standard, the manager's approval says so (R4).
    discount = Decimal("0.80") if reached % 3 == 0 else Decimal("0.95")
    lines = [
        LineIn(p.pk, q, (p.standard_price * discount).quantize(Decimal("0.01")))
        for p, q in zip(products, quantities, strict=True)
    ]
    quotation = quotations.quotation_create(
        actor=owner,
        inquiry_id=inquiry.pk,
        valid_until=today + datetime.timedelta(days=30),
        lines=lines,
        payment_terms="on_delivery",
        delivery_time="合同签订后 15 天",
        delivery_place="客户指定地点",
        warranty="整机一年",
    )
    if stage == "quotation_draft":
        return
    quotation = quotations.quotation_submit(quotation=quotation, actor=owner)
    if stage == "quotation_review":
        return
    quotation = _approve_all(quotation, lambda d, u: quotations.quotation_approve(quotation=d, actor=u), users)
    quotation = quotations.quotation_issue(quotation=quotation, actor=owner)
    if reached >= REACHED["negotiation"]:
        negotiations.negotiation_note_add(
            actor=owner, quotation=quotation, happened_on=today, note="客户希望交期提前一周，价格待定"
        )
    if stage in ("issued", "negotiation"):
        return
    if stage == "lost":
        competitor = rng.choice(competitors) if competitors else None
        quotations.quotation_record_lost(
            quotation=quotation,
            actor=owner,
            note="竞争对手报价更低",
            competitor_id=competitor.pk if competitor else None,
            winning_price=(quotation.total_amount * Decimal("0.9")).quantize(Decimal("0.01")),
        )
        return
    contract = contracts.contract_draft_from_quotation(actor=owner, quotation=quotation)
    if stage == "contract_deviation":
        # The customer negotiated one more unit of the first line: a deviation to re-confirm (W3.3).
        changed = [LineIn(line.product_id, line.quantity, line.unit_price) for line in contract.lines.all()]
        changed[0] = LineIn(changed[0].product_id, changed[0].quantity + 1, changed[0].unit_price)
        contract = contracts.contract_update(actor=owner, contract=contract, version=contract.version, lines=changed)
        contracts.contract_submit(actor=owner, contract=contract)
        return
    contract = contracts.contract_submit(actor=owner, contract=contract)
    contract = _approve_all(contract, lambda d, u: contracts.contract_confirm(actor=u, contract=d), users)
    scan = SimpleUploadedFile("signed-contract.pdf", SCAN_PDF, content_type="application/pdf")
    contract = contracts.contract_sign(actor=owner, contract=contract, signed_on=today, scan=scan)
    if stage == "archived":
        contracts.contract_archive(actor=users["office1"], contract=contract)


def _phone_orders(users, salespeople, products, today) -> None:
    for index, name in enumerate(salespeople[:3]):
        owner = users[name]
        customer = Customer.objects.filter(owner=owner).order_by("pk").first()
        product = products[index]
        order = orders.phone_order_create(
            actor=owner,
            customer_id=customer.pk,
            channel="phone" if index % 2 == 0 else "fax",
            received_on=today,
            reason_without_contract="老客户电话追加订货，来不及签订正式合同",
            lines=[LineIn(product.pk, Decimal("2"), product.standard_price)],
            payment_terms="on_delivery",
        )
        if index > 0:
            orders.phone_order_submit(actor=owner, order=order)
