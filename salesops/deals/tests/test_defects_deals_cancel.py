"""Issue 6, defect 10: a draft or returned quotation and a reported inquiry can be cancelled, and an
archived contract the customer cancels later can be voided; each with a reason, keeping its number.
"""

import pytest
from django.utils import timezone

from salesops.core.errors import Forbidden, InvalidInput, NotFound, TransitionNotAllowed
from salesops.deals.choices import ContractState, InquiryState, QuotationState
from salesops.deals.selectors.pipeline import pipeline
from salesops.deals.selectors.register import period_of, register_rows
from salesops.deals.services import contracts as contract_services
from salesops.deals.services import inquiries, quotations
from salesops.deals.tests import contract_factories as cf
from salesops.deals.tests import factories as f
from salesops.deals.workflows import CONTRACT_FLOW, INQUIRY_FLOW, QUOTATION_FLOW
from salesops.workflow.registry import act_on

pytestmark = pytest.mark.django_db


def _actions(flow, doc, user) -> list[str]:
    """The buttons the generic document panel shows (``Flow.actions_for``)."""
    return [name for name, _t in flow.actions_for(doc, user)]


# Quotations


def test_a_draft_quotation_is_cancelled_with_a_reason_and_keeps_its_number(staff):
    # given a draft quotation: the panel offers its salesperson the cancel button
    quote = f.quotation(staff.sales_a, f.deal(staff))
    assert "cancel" in _actions(QUOTATION_FLOW, quote, staff.sales_a)
    # when cancelled through the panel's action
    cancelled = act_on(quote, "cancel", actor=staff.sales_a, comment="客户改需求，作废")
    # then it is cancelled, number and reason kept, audited
    cancelled.refresh_from_db()
    assert (cancelled.state, cancelled.number, cancelled.void_reason) == (
        QuotationState.CANCELLED,
        quote.number,
        "客户改需求，作废",
    )
    assert f.events_of(cancelled)[-1] == "cancel"


def test_a_returned_quotation_is_cancelled_by_its_manager(staff):
    quote = f.submitted_quotation(staff.sales_a, f.deal(staff))
    quote = quotations.quotation_reject(quotation=quote, actor=staff.manager1, reason="价格不对")
    cancelled = quotations.quotation_cancel(quotation=quote, actor=staff.manager1, reason="重新报价")
    assert cancelled.state == QuotationState.CANCELLED


def test_cancelling_a_quotation_needs_a_reason_its_people_and_a_draft(staff):
    the_deal = f.deal(staff)
    quote = f.quotation(staff.sales_a, the_deal)
    before = f.snapshot(quote)
    with pytest.raises(InvalidInput):
        quotations.quotation_cancel(quotation=quote, actor=staff.sales_a, reason="  ")
    with pytest.raises(NotFound):
        quotations.quotation_cancel(quotation=quote, actor=staff.sales_b, reason="不要")
    with pytest.raises(Forbidden):
        quotations.quotation_cancel(quotation=quote, actor=staff.boss, reason="不要")
    assert f.snapshot(quote) == before
    issued = f.issued_quotation(staff, f.deal(staff))
    before = f.snapshot(issued)
    with pytest.raises(TransitionNotAllowed):
        quotations.quotation_cancel(quotation=issued, actor=staff.sales_a, reason="不要")
    assert f.snapshot(issued) == before


def test_a_cancelled_only_quotation_leaves_its_inquiry_bidding_for_a_new_one(staff):
    # given an inquiry in bidding with one draft quotation
    the_deal = f.deal(staff)
    quote = f.quotation(staff.sales_a, the_deal)
    # when the draft is cancelled
    quotations.quotation_cancel(quotation=quote, actor=staff.sales_a, reason="报错了")
    # then the inquiry is free: bidding, counted as bidding again, and quoted anew
    the_deal.inquiry.refresh_from_db()
    assert the_deal.inquiry.state == InquiryState.BIDDING
    assert {s.key: s.count for s in pipeline(user=staff.sales_a)}["inquiry_bidding"] == 1
    assert f.quotation(staff.sales_a, the_deal).state == QuotationState.DRAFT


def test_cancelling_the_last_live_quotation_lets_the_inquiry_take_the_earlier_loss(staff):
    # given an issued quotation lost while a second draft kept the inquiry open
    the_deal = f.deal(staff)
    first = f.issued_quotation(staff, the_deal)
    second = f.quotation(staff.sales_a, the_deal)
    quotations.quotation_record_lost(quotation=first, actor=staff.sales_a, note="价格高")
    the_deal.inquiry.refresh_from_db()
    assert the_deal.inquiry.state == InquiryState.BIDDING
    # when the draft is cancelled
    quotations.quotation_cancel(quotation=second, actor=staff.sales_a, reason="不再报价")
    # then nothing is in play any more: the inquiry is lost
    the_deal.inquiry.refresh_from_db()
    assert the_deal.inquiry.state == InquiryState.LOST


# Inquiries


def test_a_reported_inquiry_is_cancelled_by_its_salesperson_with_a_reason(staff):
    doc = f.deal(staff, bid=False).inquiry
    assert "cancel" in _actions(INQUIRY_FLOW, doc, staff.sales_a)
    cancelled = act_on(doc, "cancel", actor=staff.sales_a, comment="客户取消询价")
    cancelled.refresh_from_db()
    assert (cancelled.state, cancelled.number, cancelled.void_reason) == (
        InquiryState.CANCELLED,
        doc.number,
        "客户取消询价",
    )
    # out of the pipeline
    assert {s.key: s.count for s in pipeline(user=staff.sales_a)}["inquiry_reported"] == 0


def test_cancelling_an_inquiry_needs_a_reason_its_salesperson_and_no_decision_yet(staff):
    doc = f.deal(staff, bid=False).inquiry
    before = f.snapshot(doc)
    with pytest.raises(InvalidInput):
        inquiries.inquiry_cancel(inquiry=doc, actor=staff.sales_a, reason="")
    # the manager decides (declines), he does not cancel: a major inquiry cannot dodge leadership so
    with pytest.raises(Forbidden):
        inquiries.inquiry_cancel(inquiry=doc, actor=staff.manager1, reason="不要")
    assert f.snapshot(doc) == before
    bidding = f.deal(staff).inquiry
    before = f.snapshot(bidding)
    with pytest.raises(TransitionNotAllowed):
        inquiries.inquiry_cancel(inquiry=bidding, actor=staff.sales_a, reason="不要")
    assert f.snapshot(bidding) == before


# Archived contracts


def _archived(staff):
    contract = cf.signed_contract(staff, cf.Deal(staff))
    return contract_services.contract_archive(actor=staff.back_office, contract=contract)


def test_an_archived_contract_the_customer_cancels_is_voided_and_shows_in_the_register(staff):
    # given an archived contract
    contract = _archived(staff)
    assert "cancel" in _actions(CONTRACT_FLOW, contract, staff.manager1)
    # when the customer cancels and the manager records it
    cancelled = act_on(contract, "cancel", actor=staff.manager1, comment="客户取消订单")
    # then it is voided, number and reason kept; the register lists it as voided
    cancelled.refresh_from_db()
    assert (cancelled.state, cancelled.number, cancelled.void_reason) == (
        ContractState.VOIDED,
        contract.number,
        "客户取消订单",
    )
    row = next(r for r in register_rows(period_of(timezone.localdate())) if r.number == contract.number)
    assert (row.state, row.void_reason) == (ContractState.VOIDED, "客户取消订单")
    assert cf.events_of(cancelled)[-1] == "cancel"


def test_cancelling_an_archived_contract_needs_a_manager_or_the_admin_and_a_reason(staff):
    contract = _archived(staff)
    before = cf.snapshot(contract)
    with pytest.raises(InvalidInput):
        contract_services.contract_cancel(actor=staff.manager1, contract=contract, reason=" ")
    for actor in (staff.sales_a, staff.back_office):
        with pytest.raises(Forbidden):
            contract_services.contract_cancel(actor=actor, contract=contract, reason="客户取消")
    with pytest.raises(NotFound):
        contract_services.contract_cancel(actor=staff.manager2, contract=contract, reason="客户取消")
    assert cf.snapshot(contract) == before
    assert contract_services.contract_cancel(actor=staff.admin, contract=contract, reason="客户取消").state == (
        ContractState.VOIDED
    )


def test_only_an_archived_contract_is_cancelled_so(staff):
    contract = cf.confirmed_contract(staff, cf.Deal(staff))
    before = cf.snapshot(contract)
    with pytest.raises(TransitionNotAllowed):
        contract_services.contract_cancel(actor=staff.manager1, contract=contract, reason="客户取消")
    assert cf.snapshot(contract) == before


def test_a_cancelled_archived_contract_leaves_its_deal_lost_not_won(staff):
    # given a deal from its inquiry, closed by signing (quotation and inquiry won), contract archived
    quote = f.issued_quotation(staff, f.deal(staff))
    contract = cf.submitted(contract_services.contract_draft_from_quotation(actor=staff.sales_a, quotation=quote))
    contract = contract_services.contract_sign(
        actor=staff.sales_a, contract=contract, signed_on=timezone.localdate(), scan=cf.scan()
    )
    contract = contract_services.contract_archive(actor=staff.back_office, contract=contract)
    quote.refresh_from_db()
    assert (quote.state, quote.inquiry.state) == (QuotationState.WON, InquiryState.WON)
    # when the customer cancels the contract
    act_on(contract, "cancel", actor=staff.manager1, comment="客户取消订单")
    # then the deal is lost after all, with the reason, and no button offers the way back
    quote.refresh_from_db()
    quote.inquiry.refresh_from_db()
    assert (quote.state, quote.inquiry.state) == (QuotationState.LOST, InquiryState.LOST)
    assert "客户取消订单" in quote.outcome_note
    assert cf.events_of(quote)[-1] == cf.events_of(quote.inquiry)[-1] == "contract_cancelled"
    assert "contract_cancelled" not in _actions(QUOTATION_FLOW, quote, staff.manager1)


def test_voiding_a_signed_contract_leaves_its_deal_lost(staff):
    contract = cf.signed_contract(staff, cf.Deal(staff))
    contract_services.contract_void(actor=staff.manager1, contract=contract, reason="签错客户")
    quote = contract.quotation
    quote.refresh_from_db()
    assert quote.state == QuotationState.LOST and "签错客户" in quote.outcome_note


def test_voiding_an_unsigned_contract_leaves_the_issued_quotation_as_it_was(staff):
    deal = cf.Deal(staff)
    contract = deal.draft()
    contract_services.contract_void(actor=staff.manager1, contract=contract, reason="重新起草")
    deal.quotation.refresh_from_db()
    assert deal.quotation.state == QuotationState.ISSUED
