"""Sample deals documents for the kernel's generated tests (``workflow/tests/kit.py``): each one is
made so that its approval chain is not empty (a major inquiry, a deviating contract)."""

from decimal import Decimal

from salesops.deals.choices import InquiryState
from salesops.deals.lines import LineIn
from salesops.deals.services import inquiries
from salesops.org.roles import Role
from salesops.workflow.tests.kit import Sample

from . import contract_factories as cf
from . import factories as f

MANAGER_ROLES = {Role.SALES_MANAGER, Role.BRANCH_MANAGER}


def _decider_of_bids(owner):
    """Who decides to bid on the owner's inquiry: the owner when a manager, else their manager."""
    return owner if owner.roles & MANAGER_ROLES else owner.manager


def _inquiry(staff, owner, **extra):
    product = f.product()
    asked = [inquiries.InquiryLineIn(product.pk, Decimal("2"))]
    return f.inquiry(owner, f.customer(staff, owner), lines=asked, **extra)


def inquiry(staff, owner) -> Sample:
    return Sample(_inquiry(staff, owner, is_flagged_major=True), "bid", _decider_of_bids(owner))


def quotation(staff, owner) -> Sample:
    doc = _inquiry(staff, owner)
    doc = inquiries.inquiry_decide_bid(inquiry=doc, actor=_decider_of_bids(owner))
    assert doc.state == InquiryState.BIDDING
    product = f.product(standard="1000.00", floor="800.00")
    lines = [LineIn(product_id=product.pk, quantity=Decimal("2"), unit_price=Decimal("1000.00"))]
    deal = f.Deal(customer=doc.customer, seeder=product, meter=product, inquiry=doc)
    return Sample(f.quotation(owner, deal, lines=lines), "submit", owner)


def contract(staff, owner) -> Sample:
    deal = cf.Deal(staff, owner)
    return Sample(cf.deviating(deal.draft(), deal), "submit", owner)


def phone_order(staff, owner) -> Sample:
    product = cf.product()
    doc = cf.phone_order(owner, cf.customer(staff, owner), [(product, "2", "1000.00")])
    return Sample(doc, "submit", owner)


SAMPLES = {
    "deals.inquiry": inquiry,
    "deals.quotation": quotation,
    "deals.contract": contract,
    "deals.phoneorder": phone_order,
}
