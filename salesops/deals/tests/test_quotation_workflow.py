"""One scenario per path of an inquiry and its quotation (W2, R4, R1), through the services the UI calls."""

from decimal import Decimal

import pytest

from salesops.core.errors import Forbidden, TransitionNotAllowed
from salesops.customers.models import MarketIntel
from salesops.deals.choices import InquiryState, QuotationState, SupportState
from salesops.deals.lines import LineIn
from salesops.deals.selectors.quotations import quotation_get_for, quotation_revisions
from salesops.deals.services import inquiries, quotations
from salesops.deals.services.inquiries import InquiryLineIn
from salesops.deals.tests.factories import (
    competitor,
    customer,
    deal,
    events_of,
    in_days,
    inquiry,
    issued_quotation,
    product,
    quotation,
    snapshot,
    steps_summary,
    submitted_quotation,
)
from salesops.workflow.models import Notification

pytestmark = pytest.mark.django_db


def test_plain_path_inquiry_bid_quotation_approved_and_issued(staff):
    # given sales_a's inquiry for two products of a customer
    cust = customer(staff, staff.sales_a)
    seeder, meter = product(standard="1000.00", floor="800.00"), product(standard="250.00", floor="200.00")
    doc = inquiry(
        staff.sales_a,
        cust,
        lines=[InquiryLineIn(seeder.pk, Decimal("2")), InquiryLineIn(meter.pk, Decimal("4"))],
    )
    assert doc.state == InquiryState.REPORTED
    assert Notification.objects.filter(user=staff.manager1, text__contains=doc.number).exists()
    # when the manager decides to bid (not major: no leadership step)
    doc = inquiries.inquiry_decide_bid(inquiry=doc, actor=staff.manager1)
    assert doc.state == InquiryState.BIDDING and steps_summary(doc) == []
    # and sales_a quotes at standard prices, submits, the manager approves, sales_a issues
    lines = [
        LineIn(product_id=seeder.pk, quantity=Decimal("2"), unit_price=Decimal("1000.00")),
        LineIn(product_id=meter.pk, quantity=Decimal("4"), unit_price=Decimal("250.00")),
    ]
    quote = quotations.quotation_create(
        actor=staff.sales_a, inquiry_id=doc.pk, valid_until=in_days(30), lines=lines, warranty="一年"
    )
    assert quote.state == QuotationState.DRAFT and quote.is_non_standard is False
    quote = quotations.quotation_submit(quotation=quote, actor=staff.sales_a)
    assert steps_summary(quote) == [("sales_manager", "pending")]
    quote = quotations.quotation_approve(quotation=quote, actor=staff.manager1, comment="同意")
    assert quote.state == QuotationState.APPROVED
    quote = quotations.quotation_issue(quotation=quote, actor=staff.sales_a)
    # then
    quote.refresh_from_db()
    assert quote.state == QuotationState.ISSUED and quote.issued_at is not None
    assert quote.total_amount == Decimal("3000.00")
    assert events_of(quote) == ["create", "submit", "approve", "issue"]
    assert events_of(doc) == ["create", "bid"]


def test_major_inquiry_and_quotation_need_leadership(staff):
    # given a major inquiry (estimated at the ¥500,000 threshold)
    the_deal = deal(staff, bid=False, estimated_amount="500000.00")
    doc = the_deal.inquiry
    # when the manager decides to bid
    doc = inquiries.inquiry_decide_bid(inquiry=doc, actor=staff.manager1)
    # then the decision waits for leadership's instruction
    assert doc.state == InquiryState.DECIDING
    assert steps_summary(doc) == [("leadership", "pending")]
    with pytest.raises(Forbidden):
        inquiries.inquiry_instruct(inquiry=doc, actor=staff.manager1)
    with pytest.raises(TransitionNotAllowed):
        quotation(staff.sales_a, the_deal)
    doc = inquiries.inquiry_instruct(inquiry=doc, actor=staff.boss, comment="同意投标")
    assert doc.state == InquiryState.BIDDING
    the_deal.inquiry = doc
    # given a quotation of ¥500,000 (major)
    big = [LineIn(product_id=the_deal.seeder.pk, quantity=Decimal("500"), unit_price=Decimal("1000.00"))]
    quote = submitted_quotation(staff.sales_a, the_deal, big)
    # then both steps are planned, the manager's first
    assert quote.total_amount == Decimal("500000.00")
    assert steps_summary(quote) == [("sales_manager", "pending"), ("leadership", "waiting")]
    # leadership cannot jump the manager
    before = snapshot(quote)
    with pytest.raises(Forbidden):
        quotations.quotation_approve(quotation=quote, actor=staff.boss)
    assert snapshot(quote) == before
    # when the manager approves, it still waits for leadership, and cannot be issued
    quote = quotations.quotation_approve(quotation=quote, actor=staff.manager1)
    assert quote.state == QuotationState.PENDING
    assert steps_summary(quote) == [("sales_manager", "approved"), ("leadership", "pending")]
    with pytest.raises(TransitionNotAllowed):
        quotations.quotation_issue(quotation=quote, actor=staff.sales_a)
    # when leadership approves
    quote = quotations.quotation_approve(quotation=quote, actor=staff.boss)
    quote = quotations.quotation_issue(quotation=quote, actor=staff.sales_a)
    # then
    assert quote.state == QuotationState.ISSUED


def test_flagged_major_inquiry_overruled_by_leadership_is_declined(staff):
    # given a small inquiry the salesperson flagged major
    the_deal = deal(staff, bid=False, estimated_amount="1000.00", is_flagged_major=True)
    doc = inquiries.inquiry_decide_bid(inquiry=the_deal.inquiry, actor=staff.manager1)
    assert doc.state == InquiryState.DECIDING
    # when leadership does not want to bid
    doc = inquiries.inquiry_overrule(inquiry=doc, actor=staff.boss, reason="资金占用太大")
    # then
    doc.refresh_from_db()
    assert doc.state == InquiryState.DECLINED and doc.decline_reason == "资金占用太大"
    assert steps_summary(doc) == [("leadership", "rejected")]


def test_non_standard_price_needs_the_managers_approval_and_shows_why(staff):
    # given a bid and a seeder priced under its floor (¥800.00)
    the_deal = deal(staff)
    quote = quotation(staff.sales_a, the_deal, the_deal.lines(seeder_price="750.00"))
    # then the quotation is non-standard and says which line and why
    assert quote.is_non_standard is True
    assert len(quote.non_standard_reasons) == 2  # under the floor, and more than 10 % off the standard price
    assert all(the_deal.seeder.code in reason for reason in quote.non_standard_reasons)
    assert "¥750.00" in quote.non_standard_reasons[0] and "¥800.00" in quote.non_standard_reasons[0]
    # when submitted, the manager's approval is needed before issuing
    quote = quotations.quotation_submit(quotation=quote, actor=staff.sales_a)
    assert steps_summary(quote) == [("sales_manager", "pending")]
    assert quote.approval_flags() == {"non_standard"}
    before = snapshot(quote)
    with pytest.raises(TransitionNotAllowed):
        quotations.quotation_issue(quotation=quote, actor=staff.sales_a)
    assert snapshot(quote) == before
    # the manager reads the reasons on the quotation and approves
    seen = quotation_get_for(user=staff.manager1, pk=quote.pk)
    assert seen.non_standard_reasons == quote.non_standard_reasons
    quotations.quotation_approve(quotation=quote, actor=staff.manager1, comment="老客户，同意特价")
    quote = quotations.quotation_issue(quotation=quote, actor=staff.sales_a)
    assert quote.state == QuotationState.ISSUED


def test_declined_bid_closes_the_inquiry(staff):
    # given a reported inquiry
    the_deal = deal(staff, bid=False)
    # when the manager declines with a reason
    doc = inquiries.inquiry_decline(inquiry=the_deal.inquiry, actor=staff.manager1, reason="交期做不到")
    # then it is declined, with the reason, and nobody can quote for it
    doc.refresh_from_db()
    assert doc.state == InquiryState.DECLINED and doc.decline_reason == "交期做不到"
    assert events_of(doc) == ["create", "decline"]
    the_deal.inquiry = doc
    with pytest.raises(TransitionNotAllowed):
        quotation(staff.sales_a, the_deal)
    assert Notification.objects.filter(user=staff.sales_a, text__contains=doc.number).exists()


def test_lost_quotation_writes_market_intelligence(staff):
    # given an issued quotation and a known competitor
    the_deal = deal(staff)
    quote = issued_quotation(staff, the_deal)
    rival = competitor()
    # when sales_a records the loss, with the winner and its price
    quote = quotations.quotation_record_lost(
        quotation=quote,
        actor=staff.sales_a,
        competitor_id=rival.pk,
        winning_price=Decimal("2680.00"),
        note="对方价格低 10%",
    )
    # then the quotation and the inquiry are lost, and R1 intelligence exists, written by sales_a
    quote.refresh_from_db()
    assert quote.state == QuotationState.LOST
    assert (quote.lost_to, quote.lost_price, quote.outcome_note) == (rival, Decimal("2680.00"), "对方价格低 10%")
    the_deal.inquiry.refresh_from_db()
    assert the_deal.inquiry.state == InquiryState.LOST
    intel = MarketIntel.objects.get()
    assert (intel.subject, intel.competitor, intel.customer, intel.owner) == (
        "competitor",
        rival,
        the_deal.customer,
        staff.sales_a,
    )
    assert "¥2680.00" in intel.sales_info and quote.number in intel.sales_info
    assert intel.market_facts == "对方价格低 10%"


def test_revision_supersedes_the_old_quotation_and_both_stay_readable(staff):
    # given an issued quotation
    the_deal = deal(staff)
    old = issued_quotation(staff, the_deal)
    # when sales_a revises it
    new = quotations.quotation_revise(quotation=old, actor=staff.sales_a, comment="客户要求降价")
    # then the old one is superseded, the new one a draft with revision 2 and the same lines and terms
    old.refresh_from_db()
    assert old.state == QuotationState.SUPERSEDED
    assert (new.state, new.revision, new.previous_id) == (QuotationState.DRAFT, 2, old.pk)
    assert new.number != old.number and new.inquiry_id == old.inquiry_id
    assert list(new.lines.values_list("product_id", "quantity", "unit_price", "amount")) == list(
        old.lines.values_list("product_id", "quantity", "unit_price", "amount")
    )
    assert (new.total_amount, new.warranty, new.delivery_place) == (old.total_amount, "一年", "客户仓库")
    # both readable by sales_a and the manager, oldest first
    for reader in (staff.sales_a, staff.manager1):
        assert quotation_get_for(user=reader, pk=old.pk).state == QuotationState.SUPERSEDED
        assert [q.pk for q in quotation_revisions(user=reader, quotation=new)] == [old.pk, new.pk]
    assert events_of(old)[-1] == "supersede"
    # the revision goes through review again
    new = quotations.quotation_update(
        quotation=new, actor=staff.sales_a, version=new.version, lines=the_deal.lines(meter_price="240.00")
    )
    new = quotations.quotation_submit(quotation=new, actor=staff.sales_a)
    new = quotations.quotation_approve(quotation=new, actor=staff.manager1)
    new = quotations.quotation_issue(quotation=new, actor=staff.sales_a)
    assert new.state == QuotationState.ISSUED and new.total_amount == Decimal("2960.00")


@pytest.mark.parametrize("settle", ["answer", "waive"])
def test_a_support_request_blocks_review_until_answered_or_waived(staff, settle):
    # given a bid with a question to technical, and a draft quotation
    the_deal = deal(staff)
    request = inquiries.support_request_create(
        actor=staff.sales_a,
        inquiry=the_deal.inquiry,
        kind="technical",
        question="排种器能否适配大豆？",
        due_on=in_days(3),
    )
    quote = quotation(staff.sales_a, the_deal)
    before = snapshot(quote)
    # when submitting while it is open: refused, nothing changes
    with pytest.raises(TransitionNotAllowed):
        quotations.quotation_submit(quotation=quote, actor=staff.sales_a)
    assert snapshot(quote) == before
    # when technical answers, or the manager waives it
    if settle == "answer":
        request = inquiries.support_request_answer(
            actor=staff.technical, support_request=request, answer="可以，需更换 8 孔排种盘"
        )
        assert request.state == SupportState.ANSWERED
    else:
        request = inquiries.support_request_waive(actor=staff.manager1, support_request=request, reason="标准配置即可")
        assert request.state == SupportState.WAIVED
    # then the quotation goes to review
    quote = quotations.quotation_submit(quotation=quote, actor=staff.sales_a)
    assert quote.state == QuotationState.PENDING
    expected = "support_answered" if settle == "answer" else "support_waived"
    assert events_of(the_deal.inquiry)[-2:] == ["support_request", expected]


def test_won_quotation_wins_the_inquiry(staff):
    # given an issued quotation
    the_deal = deal(staff)
    quote = issued_quotation(staff, the_deal)
    # when the customer accepts it
    quote = quotations.quotation_record_won(quotation=quote, actor=staff.sales_a, note="客户已确认")
    # then
    the_deal.inquiry.refresh_from_db()
    assert quote.state == QuotationState.WON and the_deal.inquiry.state == InquiryState.WON


def test_withdrawn_quotation_withdraws_the_inquiry(staff):
    the_deal = deal(staff)
    quote = issued_quotation(staff, the_deal)
    quote = quotations.quotation_withdraw(quotation=quote, actor=staff.manager1, note="客户项目取消")
    the_deal.inquiry.refresh_from_db()
    assert quote.state == QuotationState.WITHDRAWN and the_deal.inquiry.state == InquiryState.WITHDRAWN
    assert MarketIntel.objects.count() == 0


def test_a_quotation_past_its_validity_cannot_go_to_review(staff):
    # given a draft whose validity date has passed since it was written
    the_deal = deal(staff)
    quote = quotation(staff.sales_a, the_deal)
    type(quote).objects.filter(pk=quote.pk).update(valid_until=in_days(-1))
    quote.refresh_from_db()  # the row as the page reads it
    before = snapshot(quote)
    # when / then
    with pytest.raises(TransitionNotAllowed):
        quotations.quotation_submit(quotation=quote, actor=staff.sales_a)
    assert snapshot(quote) == before
