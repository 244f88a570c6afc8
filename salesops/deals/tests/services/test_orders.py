"""phone_order_create / phone_order_update / phone_order_submit / phone_order_confirm /
phone_order_reject / phone_order_cancel / the registry's act_on (W3.6)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from salesops.core.errors import Forbidden, InvalidInput, NotFound, StaleEdit, TransitionNotAllowed
from salesops.core.models import NumberSequence
from salesops.deals.choices import PhoneOrderState
from salesops.deals.models import PhoneOrder
from salesops.deals.selectors.orders import phone_order_get_for, phone_order_list
from salesops.deals.services import orders as services
from salesops.deals.tests.contract_factories import customer, events_of, line_ins, phone_order, product, snapshot
from salesops.workflow.approvals import steps_of
from salesops.workflow.models import ApprovalRule
from salesops.workflow.registry import act_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def goods():
    return product(name="水泵", standard_price=Decimal("500000.00"), floor_price=Decimal("1.00"))


@pytest.fixture
def cust_a(staff):
    return customer(staff, staff.sales_a)


def _lines(goods, quantity="2", price="1500.00"):
    return [(goods, quantity, price)]


def _submitted(staff, cust, goods, **extra) -> PhoneOrder:
    order = phone_order(staff.sales_a, cust, extra.pop("lines", _lines(goods)), **extra)
    return services.phone_order_submit(actor=staff.sales_a, order=order)


def _drawn() -> int:
    period = timezone.localdate().strftime("%Y%m")
    return NumberSequence.objects.filter(prefix="DD", period=period).values_list("last", flat=True).first() or 0


def test_a_phone_order_is_recorded_as_a_numbered_draft_with_lines(staff, cust_a, goods):
    # when sales_a records a fax order
    order = phone_order(staff.sales_a, cust_a, _lines(goods), channel="fax", payment_terms="prepaid")
    # then
    assert order.number == f"DD{timezone.localdate():%Y%m}0001"
    assert (order.state, order.channel, order.owner, order.customer) == ("draft", "fax", staff.sales_a, cust_a)
    assert order.reason_without_contract == "老客户补货，电话下单"
    assert order.payment_terms == "prepaid"
    assert order.total_amount == Decimal("3000.00")
    assert order.lines.get().quantity == Decimal("2.000")
    assert events_of(order) == ["create"]


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"reason_without_contract": "  "}, {"reason_without_contract"}),
        ({"channel": "email"}, {"channel"}),
        ({"received_on": "tomorrow"}, {"received_on"}),
        ({"received_on": None}, {"received_on"}),
        ({"lines": "zero"}, {"lines.0.quantity"}),
        ({"lines": "negative"}, {"lines.0.quantity"}),
        ({"lines": "fen"}, {"lines.0.unit_price"}),
        ({"lines": "none"}, {"lines"}),
        ({"reason_without_contract": "", "lines": "zero"}, {"reason_without_contract", "lines.0.quantity"}),
        ({"payment_terms": "barter"}, {"payment_terms"}),
    ],
)
def test_a_bad_order_is_refused_and_nothing_is_created(staff, cust_a, goods, change, fields):
    lines = {
        "zero": [(goods, "0", "10.00")],
        "negative": [(goods, "-1", "10.00")],
        "fen": [(goods, "1", "10.001")],
        "none": [],
    }.get(change.pop("lines", None), _lines(goods))
    if change.get("received_on") == "tomorrow":
        change["received_on"] = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(InvalidInput) as caught:
        phone_order(staff.sales_a, cust_a, lines, **change)
    assert set(caught.value.extra["fields"]) == fields
    assert PhoneOrder.objects.count() == 0 and _drawn() == 0


def test_an_order_for_anothers_customer_is_refused(staff, goods):
    theirs = customer(staff, staff.sales_b)
    with pytest.raises(InvalidInput) as caught:
        phone_order(staff.sales_a, theirs, _lines(goods))
    assert list(caught.value.extra["fields"]) == ["customer"]
    assert PhoneOrder.objects.count() == 0


@pytest.mark.parametrize("role_user", ["warehouse", "finance", "back_office", "technical", "boss"])
def test_orders_are_taken_by_the_sales_staff_only(staff, cust_a, goods, role_user):
    with pytest.raises(Forbidden):
        phone_order(getattr(staff, role_user), cust_a, _lines(goods))
    assert PhoneOrder.objects.count() == 0


def test_the_manager_confirms_a_phone_order_and_a_salesperson_cannot(staff, cust_a, goods):
    # given a submitted phone order
    order = _submitted(staff, cust_a, goods)
    assert order.state == PhoneOrderState.PENDING
    assert [(s.role, s.approver, s.status) for s in steps_of(order)] == [("sales_manager", staff.manager1, "pending")]
    before = snapshot(order)
    # when a salesperson tries to confirm it: the owner, and a colleague who cannot even see it
    with pytest.raises(Forbidden):
        services.phone_order_confirm(actor=staff.sales_a, order=order)
    with pytest.raises(NotFound):
        services.phone_order_confirm(actor=staff.sales_b, order=order)
    # then nothing changed
    assert snapshot(order) == before
    # when the manager confirms
    order = services.phone_order_confirm(actor=staff.manager1, order=order, comment="可以发货")
    # then it may be executed
    assert order.state == PhoneOrderState.CONFIRMED
    assert events_of(order) == ["create", "submit", "confirm"]


def test_a_salesperson_holding_no_approval_step_cannot_confirm_even_anothers_order(staff, goods):
    # sales_b sees only their own orders; sales_a's order is not found for them, and their own is theirs
    cust_b = customer(staff, staff.sales_b)
    order = phone_order(staff.sales_b, cust_b, _lines(goods))
    order = services.phone_order_submit(actor=staff.sales_b, order=order)
    before = snapshot(order)
    with pytest.raises(NotFound):
        services.phone_order_confirm(actor=staff.sales_a, order=order)
    with pytest.raises(Forbidden):
        services.phone_order_confirm(actor=staff.sales_b, order=order)
    assert snapshot(order) == before


@pytest.mark.parametrize(
    ("actor_name", "error"),
    [("manager2", NotFound), ("branch_mgr", NotFound), ("back_office", Forbidden), ("boss", Forbidden)],
)
def test_only_the_pending_manager_confirms(staff, cust_a, goods, actor_name, error):
    order = _submitted(staff, cust_a, goods)
    before = snapshot(order)
    with pytest.raises(error):
        services.phone_order_confirm(actor=getattr(staff, actor_name), order=order)
    assert snapshot(order) == before


def test_anonymous_cannot_confirm(staff, cust_a, goods):
    order = _submitted(staff, cust_a, goods)
    before = snapshot(order)
    with pytest.raises(NotFound):
        services.phone_order_confirm(actor=AnonymousUser(), order=order)
    assert snapshot(order) == before


def test_a_major_order_needs_the_manager_then_leadership(staff, cust_a, goods):
    # given an order at the phone-order threshold (200 000)
    order = _submitted(staff, cust_a, goods, lines=[(goods, "1", "200000.00")])
    assert [(s.role, s.status) for s in steps_of(order)] == [("sales_manager", "pending"), ("leadership", "waiting")]
    before = snapshot(order)
    with pytest.raises(Forbidden):
        services.phone_order_confirm(actor=staff.boss, order=order)
    assert snapshot(order) == before
    order = services.phone_order_confirm(actor=staff.manager1, order=order)
    assert order.state == PhoneOrderState.PENDING
    order = services.phone_order_confirm(actor=staff.boss, order=order)
    assert order.state == PhoneOrderState.CONFIRMED


def test_the_manager_cannot_confirm_his_own_order(staff, goods):
    own = customer(staff, staff.manager1)
    order = phone_order(staff.manager1, own, _lines(goods))
    order = services.phone_order_submit(actor=staff.manager1, order=order)
    before = snapshot(order)
    with pytest.raises(Forbidden):
        services.phone_order_confirm(actor=staff.manager1, order=order)
    assert snapshot(order) == before


def test_a_rejected_order_is_corrected_and_resubmitted(staff, cust_a, goods):
    order = _submitted(staff, cust_a, goods)
    before = snapshot(order)
    with pytest.raises(InvalidInput):
        services.phone_order_reject(actor=staff.manager1, order=order, comment="")
    assert snapshot(order) == before
    order = services.phone_order_reject(actor=staff.manager1, order=order, comment="价格不对")
    assert order.state == PhoneOrderState.REJECTED
    order = services.phone_order_update(
        actor=staff.sales_a, order=order, version=order.version, lines=line_ins(_lines(goods, "2", "1800.00"))
    )
    assert order.total_amount == Decimal("3600.00")
    order = services.phone_order_submit(actor=staff.sales_a, order=order)
    assert order.state == PhoneOrderState.PENDING
    assert [(s.round, s.status) for s in steps_of(order)] == [(1, "rejected"), (2, "pending")]


def test_update_changes_fields_and_lines_with_one_version_step(staff, cust_a, goods):
    order = phone_order(staff.sales_a, cust_a, _lines(goods))
    other = customer(staff, staff.sales_a)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    order = services.phone_order_update(
        actor=staff.sales_a,
        order=order,
        version=1,
        customer_id=other.pk,
        received_on=yesterday,
        delivery_place="客户仓库",
        lines=line_ins(_lines(goods, "3", "1000.00")),
    )
    assert (order.customer, order.received_on, order.delivery_place) == (other, yesterday, "客户仓库")
    assert (order.total_amount, order.version) == (Decimal("3000.00"), 2)
    # one edit event names the fields and the lines (the total, 3 × 1000 as 2 × 1500, did not change)
    assert events_of(order) == ["create", "edit"]
    assert {"customer", "received_on", "delivery_place", "lines"} <= set(last_changes(order))


def test_update_refusals_change_nothing(staff, cust_a, goods):
    order = phone_order(staff.sales_a, cust_a, _lines(goods))
    before = snapshot(order)
    theirs = customer(staff, staff.sales_b)
    with pytest.raises(InvalidInput):
        services.phone_order_update(actor=staff.sales_a, order=order, version=1, customer_id=theirs.pk)
    with pytest.raises(InvalidInput):
        services.phone_order_update(actor=staff.sales_a, order=order, version=1, state="confirmed")
    with pytest.raises(InvalidInput):
        services.phone_order_update(
            actor=staff.sales_a, order=order, version=1, lines=line_ins([(goods, "1", "0.005")])
        )
    with pytest.raises(StaleEdit):
        services.phone_order_update(actor=staff.sales_a, order=order, version=7, warranty="两年")
    with pytest.raises(Forbidden):
        services.phone_order_update(actor=staff.manager1, order=order, version=1, warranty="两年")
    with pytest.raises(NotFound):
        services.phone_order_update(actor=staff.sales_b, order=order, version=1, warranty="两年")
    assert snapshot(order) == before
    order = services.phone_order_submit(actor=staff.sales_a, order=order)
    before = snapshot(order)
    with pytest.raises(TransitionNotAllowed):
        services.phone_order_update(actor=staff.sales_a, order=order, version=order.version, warranty="两年")
    assert snapshot(order) == before


def test_the_owner_cancels_a_draft_but_not_a_pending_order(staff, cust_a, goods):
    draft = phone_order(staff.sales_a, cust_a, _lines(goods))
    with pytest.raises(Forbidden):
        services.phone_order_cancel(actor=staff.manager1, order=draft)
    draft = services.phone_order_cancel(actor=staff.sales_a, order=draft)
    assert draft.state == PhoneOrderState.CANCELLED
    pending = _submitted(staff, cust_a, goods)
    before = snapshot(pending)
    with pytest.raises(TransitionNotAllowed):
        services.phone_order_cancel(actor=staff.sales_a, order=pending)
    assert snapshot(pending) == before


def test_submitting_is_refused_when_the_policy_asks_nobody_to_confirm(staff, cust_a, goods):
    ApprovalRule.objects.filter(doc_type="deals.phoneorder").update(is_active=False)
    order = phone_order(staff.sales_a, cust_a, _lines(goods))
    before = snapshot(order)
    with pytest.raises(TransitionNotAllowed) as caught:
        services.phone_order_submit(actor=staff.sales_a, order=order)
    assert "W3.6" in caught.value.message
    assert snapshot(order) == before


def test_phone_order_act_routes_actions_through_the_services(staff, cust_a, goods):
    order = phone_order(staff.sales_a, cust_a, _lines(goods))
    order = act_on(order, "submit", actor=staff.sales_a)
    before = snapshot(order)
    with pytest.raises(Forbidden):
        act_on(order, "confirm", actor=staff.sales_a)
    with pytest.raises(TransitionNotAllowed):
        act_on(order, "ship", actor=staff.manager1)
    assert snapshot(order) == before
    order = act_on(order, "confirm", actor=staff.manager1)
    assert order.state == PhoneOrderState.CONFIRMED


def test_a_salesperson_never_sees_anothers_orders_and_the_sales_office_sees_all(staff, cust_a, goods):
    mine = phone_order(staff.sales_a, cust_a, _lines(goods))
    theirs = phone_order(staff.sales_c, customer(staff, staff.sales_c), _lines(goods))
    assert list(phone_order_list(user=staff.sales_a)) == [mine]
    with pytest.raises(NotFound):
        phone_order_get_for(user=staff.sales_a, pk=theirs.pk)
    with pytest.raises(NotFound):
        phone_order_get_for(user=staff.manager1, pk=theirs.pk)
    assert phone_order_get_for(user=staff.manager2, pk=theirs.pk) == theirs
    assert set(phone_order_list(user=staff.back_office)) == {mine, theirs}
    assert not phone_order_list(user=staff.warehouse).exists()


def last_changes(doc) -> dict:
    """What the document's latest event says changed."""
    from django.contrib.contenttypes.models import ContentType

    from salesops.workflow.models import DocumentEvent

    return (
        DocumentEvent.objects.filter(content_type=ContentType.objects.get_for_model(doc), object_id=doc.pk)
        .latest("pk")
        .changes
    )
