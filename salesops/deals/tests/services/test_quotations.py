"""quotation_create / update / submit / approve / issue / revise / outcomes (W2.5-6, R4, R1)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from salesops.core.errors import Forbidden, InvalidInput, NotFound, StaleEdit, TransitionNotAllowed
from salesops.core.models import NumberSequence
from salesops.customers.models import MarketIntel
from salesops.deals.choices import InquiryState, QuotationState
from salesops.deals.lines import LineIn
from salesops.deals.models import Quotation
from salesops.deals.selectors.quotations import (
    quotation_get_for,
    quotation_list,
    quotation_revisions,
    quotation_tasks,
)
from salesops.deals.services import inquiries, quotations
from salesops.deals.tests.factories import (
    approved_quotation,
    competitor,
    customer,
    deal,
    events_of,
    in_days,
    issued_quotation,
    product,
    quotation,
    snapshot,
    steps_summary,
    submitted_quotation,
)
from salesops.org.models import Company
from salesops.workflow.registry import act_on

pytestmark = pytest.mark.django_db


def _line(prod, quantity="1", price="1000.00") -> LineIn:
    return LineIn(product_id=prod.pk, quantity=Decimal(quantity), unit_price=Decimal(price))


# Creating: amounts, inputs


def test_create_from_a_bid_stores_priced_lines_and_totals(staff):
    # given
    the_deal = deal(staff)
    # when
    quote = quotation(staff.sales_a, the_deal)
    # then a numbered draft owned by the inquiry's salesperson
    assert quote.number.startswith("BJ") and quote.state == QuotationState.DRAFT
    assert (quote.owner, quote.customer, quote.inquiry, quote.revision) == (
        staff.sales_a,
        the_deal.customer,
        the_deal.inquiry,
        1,
    )
    lines = list(quote.lines.order_by("pk"))
    assert [(line.amount, line.tax_rate) for line in lines] == [
        (Decimal("2000.00"), Decimal("0.1300")),
        (Decimal("1000.00"), Decimal("0.1300")),
    ]
    quote.refresh_from_db()
    assert quote.total_amount == sum(line.amount for line in lines) == Decimal("3000.00")
    assert quote.tax_amount == sum(line.tax_amount for line in lines)
    assert (quote.is_non_standard, quote.non_standard_reasons) == (False, [])
    assert events_of(quote) == ["create"]


def test_the_tax_in_a_13_percent_line_is_split_from_the_tax_inclusive_amount(staff):
    # given a 13 % product quoted at ¥1130.00 tax included, and a 9 % one
    the_deal = deal(staff)
    feed = product(standard="109.00", floor="100.00", tax_rate="0.09")
    lines = [
        LineIn(product_id=the_deal.seeder.pk, quantity=Decimal("1"), unit_price=Decimal("1130.00")),
        LineIn(product_id=feed.pk, quantity=Decimal("10"), unit_price=Decimal("109.00")),
    ]
    # when
    quote = quotation(staff.sales_a, the_deal, lines)
    # then ¥1130.00 holds ¥130.00 of tax (¥1000.00 net); ¥1090.00 at 9 % holds ¥90.00
    first, second = quote.lines.order_by("pk")
    assert (first.amount, first.tax_amount) == (Decimal("1130.00"), Decimal("130.00"))
    assert (second.amount, second.tax_amount) == (Decimal("1090.00"), Decimal("90.00"))
    quote.refresh_from_db()
    assert (quote.total_amount, quote.tax_amount) == (Decimal("2220.00"), Decimal("220.00"))


def test_a_manager_may_draft_it_for_the_salesperson_who_owns_the_inquiry(staff):
    the_deal = deal(staff)
    quote = quotation(staff.manager1, the_deal)
    assert quote.owner == staff.sales_a
    assert quotation_get_for(user=staff.sales_a, pk=quote.pk) == quote


def test_a_direct_quotation_for_a_customer_needs_no_inquiry(staff):
    cust = customer(staff, staff.sales_a)
    seeder = product()
    quote = quotations.quotation_create(
        actor=staff.sales_a, customer_id=cust.pk, valid_until=in_days(7), lines=[_line(seeder, "3")]
    )
    assert (quote.inquiry, quote.customer, quote.owner) == (None, cust, staff.sales_a)
    assert quote.total_amount == Decimal("3000.00")


def _count_everything() -> tuple:
    return (Quotation.objects.count(), list(NumberSequence.objects.filter(prefix="BJ").values_list("last", flat=True)))


@pytest.mark.parametrize(
    ("quantity", "price", "field"),
    [
        ("0", "1000.00", "lines.0.quantity"),
        ("-2", "1000.00", "lines.0.quantity"),
        ("1.0005", "1000.00", "lines.0.quantity"),
        ("1", "999.999", "lines.0.unit_price"),  # more than two decimals
        ("1", "-1.00", "lines.0.unit_price"),
    ],
)
def test_create_refuses_a_bad_line_and_writes_nothing(staff, quantity, price, field):
    # given
    the_deal = deal(staff)
    before = _count_everything()
    # when / then
    with pytest.raises(InvalidInput) as caught:
        quotation(staff.sales_a, the_deal, [_line(the_deal.seeder, quantity, price)])
    assert list(caught.value.extra["fields"]) == [field]
    assert _count_everything() == before  # nothing stored, no number drawn


def test_create_refuses_no_lines_a_past_validity_and_an_inactive_product(staff):
    the_deal = deal(staff)
    before = _count_everything()
    with pytest.raises(InvalidInput) as caught:
        quotation(staff.sales_a, the_deal, [])
    assert list(caught.value.extra["fields"]) == ["lines"]
    with pytest.raises(InvalidInput) as caught:
        quotation(staff.sales_a, the_deal, valid_until=in_days(-1))
    assert list(caught.value.extra["fields"]) == ["valid_until"]
    retired = product(is_active=False)
    with pytest.raises(InvalidInput) as caught:
        quotation(staff.sales_a, the_deal, [_line(retired)])
    assert list(caught.value.extra["fields"]) == ["lines.0.product"]
    assert _count_everything() == before


def test_create_refuses_an_inquiry_not_in_bidding_or_not_visible(staff):
    # given a reported inquiry of sales_a, and a bid of sales_b
    reported = deal(staff, bid=False)
    colleague = deal(staff, staff.sales_b)
    # when / then
    with pytest.raises(TransitionNotAllowed):
        quotation(staff.sales_a, reported)
    with pytest.raises(InvalidInput) as caught:
        quotation(staff.sales_a, colleague)
    assert list(caught.value.extra["fields"]) == ["inquiry"]
    with pytest.raises(InvalidInput) as caught:
        quotations.quotation_create(
            actor=staff.sales_a, customer_id=colleague.customer.pk, valid_until=in_days(5), lines=colleague.lines()
        )
    assert list(caught.value.extra["fields"]) == ["customer"]
    with pytest.raises(Forbidden):
        quotation(staff.technical, reported)
    assert Quotation.objects.count() == 0


# Non-standard (R4)


def test_a_price_under_the_floor_is_non_standard_with_its_reason(staff):
    the_deal = deal(staff)
    # ¥790.00: under the floor of ¥800.00 (and 21 % off the standard price)
    quote = quotation(staff.sales_a, the_deal, the_deal.lines(seeder_price="790.00"))
    assert quote.is_non_standard is True
    assert quote.approval_flags() == {"non_standard"}
    floor_reason = quote.non_standard_reasons[0]
    assert "1" in floor_reason and the_deal.seeder.code in floor_reason
    assert "¥790.00" in floor_reason and "¥800.00" in floor_reason


def test_a_discount_beyond_the_company_limit_is_non_standard_even_above_the_floor(staff):
    # given the company allows 10 %; the seed meter (standard ¥250.00, floor ¥200.00) at ¥220.00 is 12 % off
    the_deal = deal(staff)
    quote = quotation(staff.sales_a, the_deal, the_deal.lines(meter_price="220.00"))
    # then
    assert quote.is_non_standard is True
    assert len(quote.non_standard_reasons) == 1
    reason = quote.non_standard_reasons[0]
    assert the_deal.meter.code in reason and "12.0%" in reason and "10.0%" in reason
    # at exactly 10 % off (¥225.00) it is standard
    quote = quotation(staff.sales_a, the_deal, the_deal.lines(meter_price="225.00"))
    assert (quote.is_non_standard, quote.non_standard_reasons) == (False, [])


def test_the_limit_is_the_companys_setting(staff):
    company = Company.current()
    company.max_discount_rate = Decimal("0.1500")
    company.save()
    the_deal = deal(staff)
    quote = quotation(staff.sales_a, the_deal, the_deal.lines(meter_price="220.00"))
    assert quote.is_non_standard is False


def test_non_standard_payment_terms_make_it_non_standard(staff):
    the_deal = deal(staff)
    quote = quotation(staff.sales_a, the_deal, payment_terms="other", payment_terms_note="货到 180 天付款")
    assert quote.is_non_standard is True
    assert len(quote.non_standard_reasons) == 1 and "货到 180 天付款" in quote.non_standard_reasons[0]


def test_update_derives_the_flag_again_and_records_what_changed(staff):
    # given a non-standard draft
    the_deal = deal(staff)
    quote = quotation(staff.sales_a, the_deal, the_deal.lines(seeder_price="700.00"))
    assert quote.is_non_standard
    # when its prices go back to standard
    quote = quotations.quotation_update(
        quotation=quote, actor=staff.sales_a, version=quote.version, lines=the_deal.lines(), warranty="两年"
    )
    # then
    quote.refresh_from_db()
    assert (quote.is_non_standard, quote.non_standard_reasons, quote.warranty) == (False, [], "两年")
    assert (quote.total_amount, quote.version) == (Decimal("3000.00"), 2)
    # one edit event names the terms, the lines, the total and the R4 flag
    assert events_of(quote) == ["create", "edit"]
    assert {"warranty", "lines", "total_amount", "is_non_standard", "non_standard_reasons"} <= set(last_changes(quote))


def test_update_refuses_stale_versions_other_people_and_states_under_review(staff):
    # given
    the_deal = deal(staff)
    quote = quotation(staff.sales_a, the_deal)
    before = snapshot(quote)
    # when / then
    with pytest.raises(StaleEdit):
        quotations.quotation_update(quotation=quote, actor=staff.sales_a, version=quote.version - 1, warranty="x")
    with pytest.raises(Forbidden):
        quotations.quotation_update(quotation=quote, actor=staff.manager1, version=quote.version, warranty="x")
    with pytest.raises(NotFound):
        quotations.quotation_update(quotation=quote, actor=staff.sales_b, version=quote.version, warranty="x")
    with pytest.raises(InvalidInput):
        quotations.quotation_update(quotation=quote, actor=staff.sales_a, version=quote.version, total_amount=1)
    with pytest.raises(InvalidInput):
        quotations.quotation_update(
            quotation=quote, actor=staff.sales_a, version=quote.version, lines=[_line(the_deal.seeder, "0")]
        )
    assert snapshot(quote) == before
    quote = quotations.quotation_submit(quotation=quote, actor=staff.sales_a)
    before = snapshot(quote)
    with pytest.raises(TransitionNotAllowed):
        quotations.quotation_update(
            quotation=quote, actor=staff.sales_a, version=quote.version, lines=the_deal.lines("1.00")
        )
    assert snapshot(quote) == before


def test_submit_derives_the_flag_from_todays_floor_prices(staff):
    # given a standard draft, then the seeder's floor is raised above the quoted price
    the_deal = deal(staff)
    quote = quotation(staff.sales_a, the_deal, the_deal.lines(seeder_price="950.00"))
    assert quote.is_non_standard is False
    the_deal.seeder.floor_price = Decimal("960.00")
    the_deal.seeder.save()
    # when
    quote = quotations.quotation_submit(quotation=quote, actor=staff.sales_a)
    # then
    assert quote.is_non_standard is True and steps_summary(quote) == [("sales_manager", "pending")]


# Review and issue


@pytest.mark.parametrize(
    ("actor_name", "error"),
    [
        ("sales_a", Forbidden),  # the owner cannot approve his own quotation
        ("sales_b", NotFound),
        ("manager2", NotFound),
        ("boss", Forbidden),  # not major: leadership has no step
        ("technical", NotFound),
    ],
)
def test_only_the_owners_manager_approves(staff, actor_name, error):
    quote = submitted_quotation(staff.sales_a, deal(staff))
    before = snapshot(quote)
    with pytest.raises(error):
        quotations.quotation_approve(quotation=quote, actor=getattr(staff, actor_name))
    assert snapshot(quote) == before


def test_a_returned_quotation_is_edited_and_submitted_again(staff):
    the_deal = deal(staff)
    quote = submitted_quotation(staff.sales_a, the_deal)
    before = snapshot(quote)
    with pytest.raises(InvalidInput):
        quotations.quotation_reject(quotation=quote, actor=staff.manager1, reason="")
    assert snapshot(quote) == before
    quote = quotations.quotation_reject(quotation=quote, actor=staff.manager1, reason="交期写清楚")
    assert quote.state == QuotationState.REJECTED
    quote = quotations.quotation_update(
        quotation=quote, actor=staff.sales_a, version=quote.version, delivery_time="合同签订后 10 天"
    )
    quote = quotations.quotation_submit(quotation=quote, actor=staff.sales_a)
    assert quote.state == QuotationState.PENDING
    assert steps_summary(quote) == [("sales_manager", "rejected"), ("sales_manager", "pending")]


@pytest.mark.parametrize("state", ["draft", "pending", "rejected"])
def test_issuing_an_unapproved_quotation_is_refused(staff, state):
    # given
    the_deal = deal(staff)
    quote = quotation(staff.sales_a, the_deal)
    if state != "draft":
        quote = quotations.quotation_submit(quotation=quote, actor=staff.sales_a)
    if state == "rejected":
        quote = quotations.quotation_reject(quotation=quote, actor=staff.manager1, reason="重做")
    before = snapshot(quote)
    # when / then
    with pytest.raises(TransitionNotAllowed):
        quotations.quotation_issue(quotation=quote, actor=staff.sales_a)
    assert snapshot(quote) == before


def test_only_the_salesperson_issues_and_not_after_the_validity_date(staff):
    # given an approved quotation
    quote = approved_quotation(staff, deal(staff))
    before = snapshot(quote)
    # when / then
    with pytest.raises(Forbidden):
        quotations.quotation_issue(quotation=quote, actor=staff.manager1)
    assert snapshot(quote) == before
    Quotation.objects.filter(pk=quote.pk).update(valid_until=in_days(-1))
    quote.refresh_from_db()  # the row as the page reads it
    before = snapshot(quote)
    with pytest.raises(TransitionNotAllowed):
        quotations.quotation_issue(quotation=quote, actor=staff.sales_a)
    assert snapshot(quote) == before


def test_issue_records_the_time_and_the_task_list_shows_approved_ones(staff):
    quote = approved_quotation(staff, deal(staff))
    assert [item.number for item in quotation_tasks(staff.sales_a)] == [quote.number]
    quote = quotations.quotation_issue(quotation=quote, actor=staff.sales_a)
    quote.refresh_from_db()
    assert quote.state == QuotationState.ISSUED and quote.issued_at is not None
    assert quotation_tasks(staff.sales_a) == []


def test_submit_by_someone_else_changes_nothing(staff):
    quote = quotation(staff.sales_a, deal(staff))
    before = snapshot(quote)
    for actor, error in ((staff.manager1, Forbidden), (staff.sales_b, NotFound), (AnonymousUser(), NotFound)):
        with pytest.raises(error):
            quotations.quotation_submit(quotation=quote, actor=actor)
    assert snapshot(quote) == before


def test_submitting_with_an_unanswered_support_request_changes_nothing(staff):
    # given
    the_deal = deal(staff)
    inquiries.support_request_create(
        actor=staff.sales_a, inquiry=the_deal.inquiry, kind="purchasing", question="钢价？", due_on=in_days(1)
    )
    quote = quotation(staff.sales_a, the_deal, the_deal.lines(seeder_price="700.00"))
    before = snapshot(quote)
    # when / then
    with pytest.raises(TransitionNotAllowed):
        quotations.quotation_submit(quotation=quote, actor=staff.sales_a)
    assert snapshot(quote) == before
    assert steps_summary(quote) == []


# Revisions


def test_revise_is_for_the_owner_and_not_for_a_draft(staff):
    # given a draft and an issued quotation
    draft = quotation(staff.sales_a, deal(staff))
    issued = issued_quotation(staff, deal(staff))
    before = (snapshot(draft), snapshot(issued), Quotation.objects.count())
    # when / then
    with pytest.raises(TransitionNotAllowed):
        quotations.quotation_revise(quotation=draft, actor=staff.sales_a)
    with pytest.raises(Forbidden):
        quotations.quotation_revise(quotation=issued, actor=staff.manager1)
    with pytest.raises(NotFound):
        quotations.quotation_revise(quotation=issued, actor=staff.sales_b)
    assert (snapshot(draft), snapshot(issued), Quotation.objects.count()) == before


def test_a_revision_of_a_revision_keeps_the_whole_history_readable(staff):
    the_deal = deal(staff)
    first = issued_quotation(staff, the_deal)
    second = quotations.quotation_revise(quotation=first, actor=staff.sales_a)
    second = quotations.quotation_submit(quotation=second, actor=staff.sales_a)
    second = quotations.quotation_reject(quotation=second, actor=staff.manager1, reason="再降一点")
    third = quotations.quotation_revise(quotation=second, actor=staff.sales_a)
    assert third.revision == 3
    history = quotation_revisions(user=staff.sales_a, quotation=first)
    assert [(q.pk, q.revision, q.state) for q in history] == [
        (first.pk, 1, QuotationState.SUPERSEDED),
        (second.pk, 2, QuotationState.SUPERSEDED),
        (third.pk, 3, QuotationState.DRAFT),
    ]
    assert quotation_revisions(user=staff.sales_b, quotation=first) == []


# Outcomes


def test_lost_without_a_known_winner_or_price_writes_no_intelligence(staff):
    the_deal = deal(staff)
    quote = issued_quotation(staff, the_deal)
    quote = quotations.quotation_record_lost(quotation=quote, actor=staff.sales_a, note="客户不回复")
    assert quote.state == QuotationState.LOST and quote.lost_to is None
    assert MarketIntel.objects.count() == 0


def test_lost_at_a_known_price_only_writes_market_intelligence(staff):
    the_deal = deal(staff)
    quote = issued_quotation(staff, the_deal)
    quotations.quotation_record_lost(
        quotation=quote, actor=staff.manager1, note="听说价格 2500", winning_price=Decimal("2500.00")
    )
    intel = MarketIntel.objects.get()
    assert (intel.subject, intel.competitor, intel.owner, intel.customer) == (
        "market",
        None,
        staff.manager1,
        the_deal.customer,
    )
    assert "¥2500.00" in intel.sales_info


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"note": " "}, "note"),
        ({"note": "丢单", "winning_price": Decimal("-1")}, "winning_price"),
        ({"note": "丢单", "winning_price": Decimal("1.001")}, "winning_price"),
        ({"note": "丢单", "competitor_id": 999999}, "competitor"),
    ],
)
def test_recording_a_loss_refuses_bad_input_and_changes_nothing(staff, fields, bad):
    the_deal = deal(staff)
    quote = issued_quotation(staff, the_deal)
    before = (snapshot(quote), snapshot(the_deal.inquiry))
    with pytest.raises(InvalidInput) as caught:
        quotations.quotation_record_lost(quotation=quote, actor=staff.sales_a, **fields)
    assert list(caught.value.extra["fields"]) == [bad]
    assert (snapshot(quote), snapshot(the_deal.inquiry)) == before
    assert MarketIntel.objects.count() == 0


def test_outcomes_only_for_issued_quotations_and_by_the_right_people(staff):
    the_deal = deal(staff)
    quote = approved_quotation(staff, the_deal)
    rival = competitor()
    before = snapshot(quote)
    with pytest.raises(TransitionNotAllowed):
        quotations.quotation_record_won(quotation=quote, actor=staff.sales_a)
    with pytest.raises(TransitionNotAllowed):
        quotations.quotation_record_lost(quotation=quote, actor=staff.sales_a, note="x", competitor_id=rival.pk)
    assert snapshot(quote) == before
    quote = quotations.quotation_issue(quotation=quote, actor=staff.sales_a)
    before = snapshot(quote)
    with pytest.raises(NotFound):
        quotations.quotation_record_won(quotation=quote, actor=staff.sales_b)
    with pytest.raises(Forbidden):
        quotations.quotation_record_lost(quotation=quote, actor=staff.technical, note="x", competitor_id=rival.pk)
    with pytest.raises(InvalidInput):
        quotations.quotation_withdraw(quotation=quote, actor=staff.sales_a, note="")
    assert snapshot(quote) == before
    assert MarketIntel.objects.count() == 0


def test_the_inquiry_stays_bidding_while_another_quotation_of_it_is_in_play(staff):
    # given two quotations for the same bid (e.g. two product options), both issued
    the_deal = deal(staff)
    first = issued_quotation(staff, the_deal)
    second = issued_quotation(staff, the_deal, the_deal.lines(meter_price="230.00"))
    # when the first is withdrawn
    quotations.quotation_withdraw(quotation=first, actor=staff.sales_a, note="客户只要方案二")
    # then the inquiry still bids; when the second is won, it is won
    the_deal.inquiry.refresh_from_db()
    assert the_deal.inquiry.state == InquiryState.BIDDING
    quotations.quotation_record_won(quotation=second, actor=staff.sales_a)
    the_deal.inquiry.refresh_from_db()
    assert the_deal.inquiry.state == InquiryState.WON


def test_quotation_act_runs_the_review_actions_and_refuses_the_form_ones(staff):
    # given
    the_deal = deal(staff)
    quote = quotation(staff.sales_a, the_deal)
    # when the panel's buttons are pressed
    quote = act_on(quote, "submit", actor=staff.sales_a)
    quote = act_on(quote, "approve", actor=staff.manager1, comment="好")
    quote = act_on(quote, "issue", actor=staff.sales_a)
    assert quote.state == QuotationState.ISSUED and quote.issued_at is not None
    # then revising and outcomes are refused (they have forms)
    before = snapshot(quote)
    for action in ("win", "lose", "withdraw", "supersede"):
        with pytest.raises(InvalidInput):
            act_on(quote, action, actor=staff.sales_a)
    assert snapshot(quote) == before


# Visibility


def test_a_salesperson_never_sees_another_salespersons_quotations(staff):
    # given a quotation each for sales_a, sales_b and sales_c
    mine = quotation(staff.sales_a, deal(staff))
    colleague = quotation(staff.sales_b, deal(staff, staff.sales_b))
    branch = quotation(staff.sales_c, deal(staff, staff.sales_c))
    # then
    assert list(quotation_list(user=staff.sales_a)) == [mine]
    for reader, other in ((staff.sales_a, colleague), (staff.sales_b, mine), (staff.sales_a, branch)):
        with pytest.raises(NotFound):
            quotation_get_for(user=reader, pk=other.pk)
    assert set(quotation_list(user=staff.manager1)) == {mine, colleague}
    assert set(quotation_list(user=staff.branch_mgr)) == {branch}
    assert set(quotation_list(user=staff.boss)) == {mine, colleague, branch}
    for outsider in (staff.technical, staff.purchasing, staff.warehouse, staff.finance, AnonymousUser()):
        assert list(quotation_list(user=outsider)) == []


def last_changes(doc) -> dict:
    """What the document's latest event says changed."""
    from django.contrib.contenttypes.models import ContentType

    from salesops.workflow.models import DocumentEvent

    return (
        DocumentEvent.objects.filter(content_type=ContentType.objects.get_for_model(doc), object_id=doc.pk)
        .latest("pk")
        .changes
    )
