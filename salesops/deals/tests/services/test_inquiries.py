"""inquiry_create / inquiry_update / bid decision (W2.1) and support requests (W2.3-4)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from salesops.core.errors import Forbidden, InvalidInput, NotFound, StaleEdit, TransitionNotAllowed
from salesops.deals.choices import InquiryState, SupportState
from salesops.deals.models import Inquiry, SupportRequest
from salesops.deals.selectors.inquiries import (
    inquiry_get_for,
    inquiry_list,
    inquiry_tasks,
    support_request_get_for,
    support_request_list,
    support_request_tasks,
    support_requests_for_inquiry,
)
from salesops.deals.services import inquiries
from salesops.deals.services.inquiries import InquiryLineIn
from salesops.deals.tests.factories import customer, deal, events_of, in_days, inquiry, product, snapshot, steps_summary
from salesops.workflow.models import DocumentEvent, Notification
from salesops.workflow.registry import act_on

pytestmark = pytest.mark.django_db


# Creating and editing


def test_create_gives_a_numbered_reported_inquiry_and_tells_the_manager_at_once(staff):
    # given a customer of sales_a and a product
    cust = customer(staff, staff.sales_a)
    seeder = product()
    # when
    doc = inquiry(staff.sales_a, cust, lines=[InquiryLineIn(seeder.pk, Decimal("2.5"))], kind="tender")
    # then
    assert doc.number.startswith("XJ") and doc.state == InquiryState.REPORTED
    assert (doc.owner, doc.branch, doc.customer, doc.kind) == (staff.sales_a, staff.head_office, cust, "tender")
    assert list(doc.lines.values_list("product_id", "quantity")) == [(seeder.pk, Decimal("2.500"))]
    assert events_of(doc) == ["create"]
    assert Notification.objects.filter(user=staff.manager1, text__contains=doc.number).count() == 1
    assert not Notification.objects.filter(user=staff.sales_a).exists()


def test_a_branch_salespersons_inquiry_is_reported_to_the_branch_sales_manager(staff):
    cust = customer(staff, staff.sales_c)
    doc = inquiry(staff.sales_c, cust)
    assert list(Notification.objects.filter(text__contains=doc.number).values_list("user", flat=True)) == [
        staff.manager2.pk
    ]


@pytest.mark.parametrize("role_user", ["technical", "purchasing", "finance", "warehouse", "back_office", "boss"])
def test_create_is_refused_to_roles_that_do_not_sell(staff, role_user):
    cust = customer(staff, staff.sales_a)
    with pytest.raises(Forbidden):
        inquiry(getattr(staff, role_user), cust)
    assert Inquiry.objects.count() == 0


def test_create_refuses_another_salespersons_customer(staff):
    other = customer(staff, staff.sales_b)
    with pytest.raises(InvalidInput) as caught:
        inquiry(staff.sales_a, other)
    assert list(caught.value.extra["fields"]) == ["customer"]
    assert Inquiry.objects.count() == 0


@pytest.mark.parametrize("quantity", ["0", "-1", "1.0001", "abc"])
def test_create_refuses_a_bad_quantity_and_writes_nothing(staff, quantity):
    cust = customer(staff, staff.sales_a)
    seeder = product()
    with pytest.raises(InvalidInput) as caught:
        inquiry(staff.sales_a, cust, lines=[InquiryLineIn(seeder.pk, quantity)])
    assert list(caught.value.extra["fields"]) == ["lines.0.quantity"]
    assert Inquiry.objects.count() == 0 and DocumentEvent.objects.count() == 0


@pytest.mark.parametrize("amount", ["-1.00", "10.001"])
def test_create_refuses_a_bad_estimated_amount(staff, amount):
    cust = customer(staff, staff.sales_a)
    with pytest.raises(InvalidInput) as caught:
        inquiry(staff.sales_a, cust, estimated_amount=amount)
    assert list(caught.value.extra["fields"]) == ["estimated_amount"]


def test_create_refuses_a_deadline_in_the_past_and_an_unknown_source(staff):
    cust = customer(staff, staff.sales_a)
    with pytest.raises(InvalidInput) as caught:
        inquiry(staff.sales_a, cust, deadline_on=in_days(-1))
    assert list(caught.value.extra["fields"]) == ["deadline_on"]
    with pytest.raises(InvalidInput) as caught:
        inquiry(staff.sales_a, cust, source="pigeon")
    assert "source" in caught.value.extra["fields"]
    assert Inquiry.objects.count() == 0


def test_update_of_a_reported_inquiry_changes_fields_and_lines_and_bumps_the_version(staff):
    # given
    the_deal = deal(staff, bid=False)
    doc = the_deal.inquiry
    # when
    doc = inquiries.inquiry_update(
        inquiry=doc,
        actor=staff.sales_a,
        version=doc.version,
        title="秋播播种机采购",
        estimated_amount=Decimal("4000.00"),
        lines=[InquiryLineIn(the_deal.seeder.pk, Decimal("3"))],
    )
    # then
    assert (doc.title, doc.estimated_amount, doc.version) == ("秋播播种机采购", Decimal("4000.00"), 2)
    assert list(doc.lines.values_list("product_id", "quantity")) == [(the_deal.seeder.pk, Decimal("3"))]
    # one edit event names the fields and the lines
    assert events_of(doc) == ["create", "edit"]
    edit_event = DocumentEvent.objects.filter(object_id=doc.pk, action="edit").get()
    assert {"title", "estimated_amount", "lines"} <= set(edit_event.changes)


def test_update_refuses_a_stale_version_the_wrong_person_and_a_decided_inquiry(staff):
    # given
    the_deal = deal(staff, bid=False)
    doc = the_deal.inquiry
    before = snapshot(doc)
    # when / then: a stale version
    with pytest.raises(StaleEdit):
        inquiries.inquiry_update(inquiry=doc, actor=staff.sales_a, version=doc.version + 1, title="x")
    # the manager is not the owner
    with pytest.raises(Forbidden):
        inquiries.inquiry_update(inquiry=doc, actor=staff.manager1, version=doc.version, title="x")
    # a colleague cannot see it
    with pytest.raises(NotFound):
        inquiries.inquiry_update(inquiry=doc, actor=staff.sales_b, version=doc.version, title="x")
    # state and number are not editable
    with pytest.raises(InvalidInput):
        inquiries.inquiry_update(inquiry=doc, actor=staff.sales_a, version=doc.version, state="bidding")
    assert snapshot(doc) == before
    # after the bid decision
    doc = inquiries.inquiry_decide_bid(inquiry=doc, actor=staff.manager1)
    before = snapshot(doc)
    with pytest.raises(TransitionNotAllowed):
        inquiries.inquiry_update(inquiry=doc, actor=staff.sales_a, version=doc.version, title="x")
    assert snapshot(doc) == before


# The bid decision


def test_the_manager_decides_to_bid_on_a_normal_inquiry_at_once(staff):
    the_deal = deal(staff, bid=False)
    doc = inquiries.inquiry_decide_bid(inquiry=the_deal.inquiry, actor=staff.manager1, comment="可以做")
    assert doc.state == InquiryState.BIDDING
    assert steps_summary(doc) == []
    assert events_of(doc) == ["create", "bid"]
    assert Notification.objects.filter(user=staff.sales_a, text__contains=doc.number).exists()


@pytest.mark.parametrize(
    ("actor_name", "error"),
    [
        ("sales_a", Forbidden),  # the salesperson may not decide his own bid
        ("sales_b", NotFound),  # a colleague does not see it
        ("manager2", NotFound),  # another department's manager
        ("technical", NotFound),
        ("boss", Forbidden),  # leadership instructs a major one only, through its step
    ],
)
def test_only_the_owners_manager_decides_the_bid(staff, actor_name, error):
    # given
    doc = deal(staff, bid=False).inquiry
    before = snapshot(doc)
    # when / then
    with pytest.raises(error):
        inquiries.inquiry_decide_bid(inquiry=doc, actor=getattr(staff, actor_name))
    assert snapshot(doc) == before


def test_anonymous_cannot_decide(staff):
    doc = deal(staff, bid=False).inquiry
    before = snapshot(doc)
    with pytest.raises(NotFound):
        inquiries.inquiry_decide_bid(inquiry=doc, actor=AnonymousUser())
    assert snapshot(doc) == before


def test_the_branch_manager_may_decide_for_his_branch(staff):
    doc = deal(staff, staff.sales_c, bid=False).inquiry
    doc = inquiries.inquiry_decide_bid(inquiry=doc, actor=staff.branch_mgr)
    assert doc.state == InquiryState.BIDDING


def test_decline_needs_a_reason_and_keeps_it(staff):
    # given
    doc = deal(staff, bid=False).inquiry
    before = snapshot(doc)
    # when / then
    with pytest.raises(InvalidInput):
        inquiries.inquiry_decline(inquiry=doc, actor=staff.manager1, reason="  ")
    assert snapshot(doc) == before
    with pytest.raises(Forbidden):
        inquiries.inquiry_decline(inquiry=doc, actor=staff.sales_a, reason="不做")
    assert snapshot(doc) == before
    doc = inquiries.inquiry_decline(inquiry=doc, actor=staff.manager1, reason="利润太低")
    doc.refresh_from_db()
    assert (doc.state, doc.decline_reason) == (InquiryState.DECLINED, "利润太低")


def test_a_major_inquiry_waits_for_leadership_who_is_told(staff):
    # given an inquiry estimated above the threshold
    doc = deal(staff, bid=False, estimated_amount="800000.00").inquiry
    # when
    doc = inquiries.inquiry_decide_bid(inquiry=doc, actor=staff.manager1)
    # then
    assert doc.state == InquiryState.DECIDING
    assert steps_summary(doc) == [("leadership", "pending")]
    assert Notification.objects.filter(user=staff.boss, text__contains=doc.number).exists()
    # the manager cannot instruct, the salesperson cannot overrule
    before = snapshot(doc)
    with pytest.raises(Forbidden):
        inquiries.inquiry_instruct(inquiry=doc, actor=staff.manager1)
    with pytest.raises(Forbidden):
        inquiries.inquiry_overrule(inquiry=doc, actor=staff.sales_a, reason="x")
    with pytest.raises(InvalidInput):
        inquiries.inquiry_overrule(inquiry=doc, actor=staff.boss, reason="")
    assert snapshot(doc) == before
    doc = inquiries.inquiry_instruct(inquiry=doc, actor=staff.boss, comment="全力投标")
    assert doc.state == InquiryState.BIDDING
    assert steps_summary(doc) == [("leadership", "approved")]


def test_inquiry_act_takes_decisions_and_refuses_outcomes(staff):
    # given
    doc = deal(staff, bid=False).inquiry
    # when the panel's button "bid" is pressed
    doc = act_on(doc, "bid", actor=staff.manager1)
    assert doc.state == InquiryState.BIDDING
    # then an outcome is refused: it follows the quotation
    before = snapshot(doc)
    for action in ("win", "lose", "withdraw"):
        with pytest.raises(InvalidInput):
            act_on(doc, action, actor=staff.sales_a)
    with pytest.raises(TransitionNotAllowed):
        act_on(doc, "explode", actor=staff.sales_a)
    assert snapshot(doc) == before
    declined = act_on(deal(staff, bid=False).inquiry, "decline", actor=staff.manager1, comment="不做")
    assert declined.decline_reason == "不做"


# Visibility


def test_a_salesperson_sees_only_his_own_inquiries(staff):
    # given one inquiry each for sales_a, sales_b and sales_c
    mine = deal(staff, bid=False).inquiry
    colleague = deal(staff, staff.sales_b, bid=False).inquiry
    branch = deal(staff, staff.sales_c, bid=False).inquiry
    # then
    assert list(inquiry_list(user=staff.sales_a)) == [mine]
    with pytest.raises(NotFound):
        inquiry_get_for(user=staff.sales_a, pk=colleague.pk)
    with pytest.raises(NotFound):
        inquiry_get_for(user=staff.sales_b, pk=mine.pk)
    assert set(inquiry_list(user=staff.manager1)) == {mine, colleague}
    assert set(inquiry_list(user=staff.manager2)) == {branch}
    assert set(inquiry_list(user=staff.branch_mgr)) == {branch}
    assert set(inquiry_list(user=staff.boss)) == {mine, colleague, branch}
    for outsider in (staff.technical, staff.purchasing, staff.warehouse, AnonymousUser()):
        assert list(inquiry_list(user=outsider)) == []


def test_the_managers_task_list_shows_inquiries_waiting_for_the_bid_decision(staff):
    doc = deal(staff, bid=False).inquiry
    assert [item.number for item in inquiry_tasks(staff.manager1)] == [doc.number]
    assert inquiry_tasks(staff.manager2) == [] and inquiry_tasks(staff.sales_a) == []


# Support requests


def _ask(staff, doc, kind="technical", actor=None, **extra):
    return inquiries.support_request_create(
        actor=actor or staff.sales_a,
        inquiry=doc,
        kind=kind,
        question=extra.pop("question", "排种器适配大豆吗？" if kind == "technical" else "钢材价格和交期？"),
        due_on=extra.pop("due_on", in_days(2)),
    )


def test_a_support_request_is_recorded_on_the_inquiry_and_the_department_is_told(staff):
    # given
    doc = deal(staff).inquiry
    # when
    request = _ask(staff, doc, "purchasing")
    # then
    assert (request.state, request.kind, request.requested_by) == (SupportState.OPEN, "purchasing", staff.sales_a)
    assert events_of(doc)[-1] == "support_request"
    event = DocumentEvent.objects.filter(action="support_request").get()
    assert event.comment == "钢材价格和交期？" and event.actor == staff.sales_a
    assert Notification.objects.filter(user=staff.purchasing, text__contains=doc.number).exists()
    assert not Notification.objects.filter(user=staff.technical).exists()


def test_the_manager_may_ask_too(staff):
    doc = deal(staff).inquiry
    request = _ask(staff, doc, actor=staff.manager1)
    assert request.requested_by == staff.manager1


@pytest.mark.parametrize(
    ("actor_name", "error"),
    [("sales_b", NotFound), ("technical", Forbidden), ("manager2", NotFound), ("finance", Forbidden)],
)
def test_support_is_asked_only_by_the_owner_or_his_manager(staff, actor_name, error):
    doc = deal(staff).inquiry
    before = snapshot(doc)
    with pytest.raises(error):
        _ask(staff, doc, actor=getattr(staff, actor_name))
    assert snapshot(doc) == before and SupportRequest.objects.count() == 0


def test_a_support_request_needs_a_kind_a_question_and_a_due_date_not_past(staff):
    doc = deal(staff).inquiry
    with pytest.raises(InvalidInput) as caught:
        inquiries.support_request_create(
            actor=staff.sales_a, inquiry=doc, kind="legal", question=" ", due_on=in_days(-1)
        )
    assert set(caught.value.extra["fields"]) == {"kind", "question", "due_on"}
    assert SupportRequest.objects.count() == 0


def test_no_support_is_asked_for_a_closed_inquiry(staff):
    doc = inquiries.inquiry_decline(inquiry=deal(staff, bid=False).inquiry, actor=staff.manager1, reason="不做")
    with pytest.raises(TransitionNotAllowed):
        _ask(staff, doc)
    assert SupportRequest.objects.count() == 0


def test_technical_answers_a_technical_request_and_the_requester_is_told(staff):
    # given
    doc = deal(staff).inquiry
    request = _ask(staff, doc, "technical")
    # when
    request = inquiries.support_request_answer(actor=staff.technical, support_request=request, answer="需换 8 孔盘")
    # then
    assert (request.state, request.answer, request.answered_by) == (
        SupportState.ANSWERED,
        "需换 8 孔盘",
        staff.technical,
    )
    assert request.answered_at is not None
    assert events_of(doc)[-1] == "support_answered"
    assert Notification.objects.filter(user=staff.sales_a, text__contains=doc.number).exists()


@pytest.mark.parametrize(
    ("kind", "actor_name", "error"),
    [
        ("purchasing", "technical", NotFound),  # technical answering a purchasing request
        ("technical", "purchasing", NotFound),
        ("technical", "sales_a", Forbidden),  # the salesperson cannot answer his own question
        ("technical", "manager1", Forbidden),
    ],
)
def test_only_the_addressed_department_answers(staff, kind, actor_name, error):
    # given
    doc = deal(staff).inquiry
    request = _ask(staff, doc, kind)
    events = events_of(doc)
    # when / then
    with pytest.raises(error):
        inquiries.support_request_answer(actor=getattr(staff, actor_name), support_request=request, answer="答复")
    request.refresh_from_db()
    assert (request.state, request.answer, request.answered_by) == (SupportState.OPEN, "", None)
    assert events_of(doc) == events


def test_an_answer_must_be_written_and_given_once(staff):
    doc = deal(staff).inquiry
    request = _ask(staff, doc)
    with pytest.raises(InvalidInput):
        inquiries.support_request_answer(actor=staff.technical, support_request=request, answer="  ")
    request.refresh_from_db()
    assert request.state == SupportState.OPEN
    inquiries.support_request_answer(actor=staff.technical, support_request=request, answer="可以")
    with pytest.raises(TransitionNotAllowed):
        inquiries.support_request_answer(actor=staff.technical, support_request=request, answer="再答")
    request.refresh_from_db()
    assert request.answer == "可以"


def test_the_manager_waives_a_request_with_a_reason(staff):
    # given
    doc = deal(staff).inquiry
    request = _ask(staff, doc)
    # when / then: the salesperson may not, a reason is needed, another manager cannot see it
    for actor, reason, error in (
        (staff.sales_a, "不需要", Forbidden),
        (staff.manager1, " ", InvalidInput),
        (staff.manager2, "不需要", NotFound),
    ):
        with pytest.raises(error):
            inquiries.support_request_waive(actor=actor, support_request=request, reason=reason)
    request.refresh_from_db()
    assert request.state == SupportState.OPEN
    request = inquiries.support_request_waive(actor=staff.manager1, support_request=request, reason="用标准参数")
    assert (request.state, request.waive_reason) == (SupportState.WAIVED, "用标准参数")
    assert events_of(doc)[-1] == "support_waived"


def test_technical_and_purchasing_see_only_the_requests_addressed_to_them(staff):
    # given a technical and a purchasing request on sales_a's inquiry, and a technical one on sales_c's
    doc = deal(staff).inquiry
    tech = _ask(staff, doc, "technical")
    purchase = _ask(staff, doc, "purchasing")
    other = _ask(staff, deal(staff, staff.sales_c).inquiry, "technical", actor=staff.sales_c)
    # then
    assert set(support_request_list(user=staff.technical)) == {tech, other}
    assert list(support_request_list(user=staff.purchasing)) == [purchase]
    assert list(support_requests_for_inquiry(user=staff.technical, inquiry_id=doc.pk)) == [tech]
    assert list(support_requests_for_inquiry(user=staff.sales_a, inquiry_id=doc.pk)) == [tech, purchase]
    assert list(support_requests_for_inquiry(user=staff.sales_b, inquiry_id=doc.pk)) == []
    with pytest.raises(NotFound):
        support_request_get_for(user=staff.technical, pk=purchase.pk)
    with pytest.raises(NotFound):
        support_request_get_for(user=staff.purchasing, pk=tech.pk)
    with pytest.raises(NotFound):
        support_request_get_for(user=staff.sales_b, pk=tech.pk)
    assert list(support_request_list(user=staff.warehouse)) == []
    # technical still cannot open the inquiry itself
    with pytest.raises(NotFound):
        inquiry_get_for(user=staff.technical, pk=doc.pk)
    # their task lists
    assert {item.number for item in support_request_tasks(staff.technical)} == {doc.number, other.inquiry.number}
    assert len(support_request_tasks(staff.purchasing)) == 1 and support_request_tasks(staff.sales_a) == []
