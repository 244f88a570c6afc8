"""special_fee_create / special_fee_transition / special_fee_record_payment (R5, R6)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from salesops.core.errors import Forbidden, InvalidInput, NotFound, TransitionNotAllowed
from salesops.expenses import services
from salesops.expenses.models import SpecialFeeState
from salesops.expenses.tests.factories import (
    customer,
    events_of,
    instructed_special_fee,
    snapshot,
    special_fee,
    submitted_special_fee,
)
from salesops.workflow.approvals import steps_of

pytestmark = pytest.mark.django_db


def test_create_needs_a_customer(staff):
    with pytest.raises(InvalidInput) as caught:
        services.special_fee_create(
            actor=staff.sales_a, customer_id=None, kind="marketing", amount=Decimal("100.00"), reason="x"
        )
    assert "customer" in caught.value.extra["fields"]


def test_create_gives_a_numbered_draft(staff, cust_a):
    fee = special_fee(staff.sales_a, cust_a)
    assert fee.number.startswith("TS") and fee.state == SpecialFeeState.DRAFT and fee.customer == cust_a


def test_manager_consent_then_leadership_instruction_then_finance_pays(staff, cust_a):
    # given a submitted fee: manager's consent (R5) first, then leadership's instruction (R6)
    fee = submitted_special_fee(staff.sales_a, cust_a, "3000.00")
    assert [(s.role, s.status) for s in steps_of(fee)] == [("sales_manager", "pending"), ("leadership", "waiting")]
    # when the manager consents
    fee = services.special_fee_transition(fee=fee, action="approve", actor=staff.manager1)
    # then it waits for leadership, even below the major threshold
    assert fee.state == SpecialFeeState.PENDING
    # when leadership instructs
    fee = services.special_fee_transition(fee=fee, action="approve", actor=staff.boss, comment="同意支付")
    assert fee.state == SpecialFeeState.APPROVED
    # when finance records the payment
    paid_on = timezone.localdate()
    fee = services.special_fee_record_payment(fee=fee, actor=staff.finance, paid_on=paid_on, reference="BANK-001")
    # then
    assert fee.state == SpecialFeeState.PAID
    assert (fee.paid_on, fee.payment_reference, fee.paid_by) == (paid_on, "BANK-001", staff.finance)
    assert events_of(fee) == ["create", "submit", "approve", "approve", "pay"]


def test_paying_before_leadership_instructs_is_refused_and_changes_nothing(staff, cust_a):
    # given a fee the manager consented to, leadership not yet
    fee = submitted_special_fee(staff.sales_a, cust_a)
    fee = services.special_fee_transition(fee=fee, action="approve", actor=staff.manager1)
    before = snapshot(fee)
    # when finance tries to pay
    with pytest.raises(TransitionNotAllowed):
        services.special_fee_record_payment(
            fee=fee, actor=staff.finance, paid_on=timezone.localdate(), reference="BANK-002"
        )
    # then
    assert snapshot(fee) == before


def test_the_r6_guard_holds_even_when_the_policy_drops_leadership(staff, cust_a):
    from salesops.workflow.models import ApprovalRule

    # given a policy edited to need only the manager
    ApprovalRule.objects.filter(doc_type="expenses.specialfee", role="leadership").update(is_active=False)
    fee = submitted_special_fee(staff.sales_a, cust_a)
    fee = services.special_fee_transition(fee=fee, action="approve", actor=staff.manager1)
    assert fee.state == SpecialFeeState.APPROVED
    before = snapshot(fee)
    # when finance tries to pay without leadership's instruction
    with pytest.raises(TransitionNotAllowed) as caught:
        services.special_fee_record_payment(fee=fee, actor=staff.finance, paid_on=timezone.localdate(), reference="X")
    # then
    assert "R6" in caught.value.message
    assert snapshot(fee) == before


@pytest.mark.parametrize("actor_name", ["sales_a", "manager1", "boss", "back_office"])
def test_only_finance_pays(staff, cust_a, actor_name):
    fee = instructed_special_fee(staff, cust_a)
    before = snapshot(fee)
    with pytest.raises(Forbidden):
        services.special_fee_record_payment(
            fee=fee, actor=getattr(staff, actor_name), paid_on=timezone.localdate(), reference="X"
        )
    assert snapshot(fee) == before


def test_pay_through_the_generic_action_is_refused(staff, cust_a):
    fee = instructed_special_fee(staff, cust_a)
    before = snapshot(fee)
    with pytest.raises(InvalidInput):
        services.special_fee_transition(fee=fee, action="pay", actor=staff.finance)
    assert snapshot(fee) == before


@pytest.mark.parametrize(
    ("reference", "paid_on", "field"),
    [("", None, "reference"), ("BANK", "future", "paid_on"), ("x" * 101, None, "reference")],
)
def test_payment_input_is_checked(staff, cust_a, reference, paid_on, field):
    fee = instructed_special_fee(staff, cust_a)
    before = snapshot(fee)
    day = timezone.localdate() + datetime.timedelta(days=3) if paid_on == "future" else timezone.localdate()
    with pytest.raises(InvalidInput) as caught:
        services.special_fee_record_payment(fee=fee, actor=staff.finance, paid_on=day, reference=reference)
    assert list(caught.value.extra["fields"]) == [field]
    assert snapshot(fee) == before


def test_a_paid_fee_cannot_be_paid_twice(staff, cust_a):
    fee = instructed_special_fee(staff, cust_a)
    fee = services.special_fee_record_payment(fee=fee, actor=staff.finance, paid_on=timezone.localdate(), reference="A")
    before = snapshot(fee)
    with pytest.raises(TransitionNotAllowed):
        services.special_fee_record_payment(fee=fee, actor=staff.finance, paid_on=timezone.localdate(), reference="B")
    assert snapshot(fee) == before


@pytest.mark.parametrize(("actor_name", "error"), [("manager2", NotFound), ("sales_a", Forbidden), ("boss", Forbidden)])
def test_only_the_owners_manager_consents(staff, cust_a, actor_name, error):
    fee = submitted_special_fee(staff.sales_a, cust_a)
    before = snapshot(fee)
    with pytest.raises(error):
        services.special_fee_transition(fee=fee, action="approve", actor=getattr(staff, actor_name))
    assert snapshot(fee) == before


def test_a_branch_salespersons_fee_goes_to_his_own_manager(staff):
    cust_c = customer(staff, staff.sales_c)
    fee = submitted_special_fee(staff.sales_c, cust_c)
    assert steps_of(fee)[0].approver == staff.manager2
    fee = services.special_fee_transition(fee=fee, action="approve", actor=staff.manager2)
    assert [s.status for s in steps_of(fee)] == ["approved", "pending"]
