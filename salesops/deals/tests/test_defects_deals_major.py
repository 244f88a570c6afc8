"""Issue 6, defect 5: "major" goes through leadership whichever way the decision goes, and the
major flag travels inquiry → quotation → contract (W2.1, W2.5, W3.2).
"""

from decimal import Decimal

import pytest

from salesops.core.errors import Forbidden, InvalidInput, TransitionNotAllowed
from salesops.deals.choices import ContractState, InquiryState, QuotationState
from salesops.deals.lines import LineIn
from salesops.deals.services import contracts as contract_services
from salesops.deals.services import inquiries, quotations
from salesops.deals.tests import factories as f
from salesops.deals.workflows import INQUIRY_FLOW
from salesops.workflow.models import ApprovalRule, Notification
from salesops.workflow.registry import act_on
from salesops.workflow.services import transition

pytestmark = pytest.mark.django_db

MAJORS = [{"is_flagged_major": True}, {"estimated_amount": "800000.00"}]


def _events(doc) -> list[str]:
    return f.events_of(doc)


@pytest.mark.parametrize("major", MAJORS, ids=["flagged", "amount"])
def test_the_managers_decline_of_a_major_inquiry_waits_for_leadership(staff, major):
    # given a major inquiry reported by sales_a
    doc = f.deal(staff, bid=False, **major).inquiry
    # when the manager declines it
    doc = inquiries.inquiry_decline(inquiry=doc, actor=staff.manager1, reason="利润太低")
    # then it is not declined: leadership decides, and is told
    doc.refresh_from_db()
    assert doc.state == InquiryState.DECLINE_PROPOSED
    assert doc.decline_reason == "利润太低"
    assert f.steps_summary(doc) == [("leadership", "pending")]
    assert Notification.objects.filter(user=staff.boss, text__contains=doc.number).exists()
    assert _events(doc)[-1] == "propose_decline"


def test_leadership_agrees_with_the_proposal_and_the_inquiry_is_declined(staff):
    doc = f.deal(staff, bid=False, is_flagged_major=True).inquiry
    doc = inquiries.inquiry_decline(inquiry=doc, actor=staff.manager1, reason="利润太低")
    # the manager cannot decide it alone, nor the salesperson
    before = f.snapshot(doc)
    with pytest.raises(Forbidden):
        inquiries.inquiry_overrule(inquiry=doc, actor=staff.manager1, reason="就这样")
    with pytest.raises(Forbidden):
        inquiries.inquiry_instruct(inquiry=doc, actor=staff.sales_a)
    assert f.snapshot(doc) == before
    # leadership agrees (through the panel's action, as My tasks would)
    doc = act_on(doc, "agree_decline", actor=staff.boss)
    doc.refresh_from_db()
    assert (doc.state, doc.decline_reason) == (InquiryState.DECLINED, "利润太低")
    assert f.steps_summary(doc) == [("leadership", "approved")]


def test_leadership_overrules_the_proposal_and_the_inquiry_goes_to_bidding(staff):
    doc = f.deal(staff, bid=False, is_flagged_major=True).inquiry
    doc = inquiries.inquiry_decline(inquiry=doc, actor=staff.manager1, reason="利润太低")
    doc = act_on(doc, "instruct_bid", actor=staff.boss, comment="战略客户，必须投")
    doc.refresh_from_db()
    assert (doc.state, doc.decline_reason) == (InquiryState.BIDDING, "")
    assert f.steps_summary(doc) == [("leadership", "rejected")]
    # and a quotation may now be drafted for it
    assert f.quotation(staff.sales_a, f.Deal(doc.customer, *_products(doc), doc)).state == QuotationState.DRAFT


def _products(inquiry):
    lines = list(inquiry.lines.select_related("product").order_by("pk"))
    return lines[0].product, lines[1].product


def test_the_kernel_refuses_a_direct_decline_of_a_major_inquiry(staff):
    # given a major inquiry
    doc = f.deal(staff, bid=False, is_flagged_major=True).inquiry
    before = f.snapshot(doc)
    # when anything takes the plain decline past the service
    with pytest.raises(TransitionNotAllowed):
        transition(INQUIRY_FLOW, doc, "decline", actor=staff.manager1, comment="不做")
    # then nothing changed
    assert f.snapshot(doc) == before


def test_a_proposal_is_refused_when_the_policy_names_no_leadership_step(staff):
    ApprovalRule.objects.filter(doc_type="deals.inquiry").update(is_active=False)
    doc = f.deal(staff, bid=False, is_flagged_major=True).inquiry
    before = f.snapshot(doc)
    with pytest.raises(TransitionNotAllowed):
        inquiries.inquiry_decline(inquiry=doc, actor=staff.manager1, reason="不做")
    assert f.snapshot(doc) == before


def test_a_minor_inquiry_is_still_declined_by_the_manager_alone(staff):
    doc = f.deal(staff, bid=False).inquiry
    doc = inquiries.inquiry_decline(inquiry=doc, actor=staff.manager1, reason="利润太低")
    assert doc.state == InquiryState.DECLINED and f.steps_summary(doc) == []
    with pytest.raises(InvalidInput):
        inquiries.inquiry_decline(inquiry=f.deal(staff, bid=False).inquiry, actor=staff.manager1, reason=" ")


@pytest.mark.parametrize("major", MAJORS, ids=["flagged", "amount"])
def test_a_quotation_of_a_major_inquiry_is_major_and_leadership_reviews_it(staff, major):
    # given a major inquiry in bidding (leadership instructed) and a ¥3,000 quotation for it
    the_deal = f.deal(staff, **major)
    quote = f.submitted_quotation(staff.sales_a, the_deal)
    # then the chain has leadership after the manager, though the amount is far below the threshold
    assert quote.is_flagged_major
    assert f.steps_summary(quote) == [("sales_manager", "pending"), ("leadership", "waiting")]
    quote = quotations.quotation_approve(quotation=quote, actor=staff.manager1)
    assert quote.state == QuotationState.PENDING
    assert quotations.quotation_approve(quotation=quote, actor=staff.boss).state == QuotationState.APPROVED


def test_a_revision_of_a_major_quotation_stays_major(staff):
    the_deal = f.deal(staff, is_flagged_major=True)
    quote = f.issued_quotation(staff, the_deal)
    revision = quotations.quotation_revise(quotation=quote, actor=staff.sales_a)
    assert revision.is_flagged_major and "major" in revision.approval_flags()


def test_a_contract_of_a_major_quotation_is_major_and_leadership_re_confirms_it(staff):
    # given an issued quotation of a flagged-major inquiry, and its contract without any deviation
    the_deal = f.deal(staff, is_flagged_major=True)
    quote = f.issued_quotation(staff, the_deal)
    contract = contract_services.contract_draft_from_quotation(actor=staff.sales_a, quotation=quote)
    # when submitted
    contract = contract_services.contract_submit(actor=staff.sales_a, contract=contract)
    # then it is not confirmed at once: leadership re-confirms the major contract
    assert contract.is_flagged_major
    assert contract.state == ContractState.PENDING
    assert f.steps_summary(contract) == [("leadership", "pending")]
    contract = contract_services.contract_confirm(actor=staff.boss, contract=contract)
    assert contract.state == ContractState.CONFIRMED


def test_a_contract_cut_below_the_threshold_stays_major_when_its_quotation_was(staff):
    # given a quotation at the quotation threshold (¥500,000) for a minor inquiry
    the_deal = f.deal(staff)
    big = [LineIn(product_id=the_deal.seeder.pk, quantity=Decimal("500"), unit_price=Decimal("1000.00"))]
    quote = f.issued_quotation(staff, the_deal, lines=big)
    # when its contract is cut to ¥400,000 (below the contract threshold) and submitted
    contract = contract_services.contract_draft_from_quotation(actor=staff.sales_a, quotation=quote)
    cut = [LineIn(product_id=the_deal.seeder.pk, quantity=Decimal("400"), unit_price=Decimal("1000.00"))]
    contract = contract_services.contract_update(
        actor=staff.sales_a, contract=contract, version=contract.version, lines=cut
    )
    contract = contract_services.contract_submit(actor=staff.sales_a, contract=contract)
    # then the deal is still major: the manager re-confirms the deviation, then leadership
    assert contract.total_amount == Decimal("400000.00")
    assert f.steps_summary(contract) == [("sales_manager", "pending"), ("leadership", "waiting")]
