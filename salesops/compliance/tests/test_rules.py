"""Each wired rule: a scenario that breaks it yields exactly one violation, a compliant one none,
and a second sweep nothing more (R17; issue 8 "Rules to wire now")."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from salesops.compliance import services
from salesops.compliance.models import Violation, ViolationState
from salesops.core.models import NumberSequence
from salesops.deals.models import Contract, ContractRegister, Quotation
from salesops.deals.services import contracts as contract_services
from salesops.deals.tests import contract_factories as cf
from salesops.deals.tests.factories import inquiry as make_inquiry
from salesops.expenses.models import SpecialFee
from salesops.expenses.tests import factories as ef
from salesops.workflow.models import ApprovalStep, StepStatus

from .helpers import acknowledge_everyone, of_rule

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _rules(staff):
    acknowledge_everyone()


def signed_on(staff, day: D):
    """A contract signed today through the services, then dated ``day`` (a test of the past)."""
    contract = cf.signed_contract(staff, cf.Deal(staff))
    Contract.objects.filter(pk=contract.pk).update(signed_on=day)
    contract.refresh_from_db()
    return contract


def test_w35_a_contract_not_archived_on_its_signing_day_is_one_violation_of_the_sales_office(staff):
    contract = signed_on(staff, D(2026, 11, 26))  # a Thursday

    assert services.sweep(today=D(2026, 11, 26), codes=["W3.5"]) == {"W3.5": 0}  # still the signing day
    assert services.sweep(today=D(2026, 11, 27), codes=["W3.5"]) == {"W3.5": 1}
    assert services.sweep(today=D(2026, 11, 30), codes=["W3.5"]) == {"W3.5": 0}  # run again: nothing twice

    [found] = of_rule("W3.5")
    assert (found.owner, found.subject_number, found.occurred_on) == (
        staff.back_office,
        contract.number,
        D(2026, 11, 27),
    )
    assert found.subject_type == ContentType.objects.get_for_model(contract) and found.subject_id == contract.pk
    assert found.state == ViolationState.REVIEWING and found.notified


def test_w35_signed_on_a_day_off_is_due_the_next_working_day(staff):
    signed_on(staff, D(2026, 10, 3))  # National Day

    assert services.sweep(today=D(2026, 10, 8), codes=["W3.5"]) == {"W3.5": 0}
    assert services.sweep(today=D(2026, 10, 9), codes=["W3.5"]) == {"W3.5": 1}


def test_w35_archived_the_same_day_is_no_violation(staff, django_capture_on_commit_callbacks):
    contract = cf.signed_contract(staff, cf.Deal(staff))  # today
    with django_capture_on_commit_callbacks(execute=True):
        contract_services.contract_archive(actor=staff.back_office, contract=contract)

    assert services.sweep(today=timezone.localdate() + datetime.timedelta(days=10), codes=["W3.5"]) == {"W3.5": 0}
    assert not of_rule("W3.5")


def test_w35_archived_late_is_found_at_once_as_the_archivers(staff, django_capture_on_commit_callbacks):
    contract = signed_on(staff, timezone.localdate() - datetime.timedelta(days=7))

    with django_capture_on_commit_callbacks(execute=True):
        contract_services.contract_archive(actor=staff.back_office, contract=contract)

    [found] = of_rule("W3.5")
    assert found.owner == staff.back_office and found.found_by == "event"
    assert services.sweep(codes=["W3.5"]) == {"W3.5": 0}


def contracts_numbered_in(*periods: str) -> None:
    NumberSequence.objects.bulk_create([NumberSequence(prefix="HT", period=p, last=3) for p in periods])


def test_r15_a_register_not_submitted_by_the_due_day_is_one_violation_of_the_sales_office(staff):
    # October's register is due Thursday 5 November 2026
    contracts_numbered_in("202609", "202610")
    ContractRegister.objects.create(period="202609", submitted_at=cf.local(D(2026, 10, 8)))  # 5 Oct is a holiday
    assert services.sweep(today=D(2026, 11, 5), codes=["R15"]) == {"R15": 0}
    assert services.sweep(today=D(2026, 11, 6), codes=["R15"]) == {"R15": 1}
    assert services.sweep(today=D(2026, 11, 9), codes=["R15"]) == {"R15": 0}

    [found] = of_rule("R15")
    assert (found.owner, found.period, found.occurred_on) == (staff.back_office, "202610", D(2026, 11, 6))


def test_r15_when_the_5th_is_not_a_working_day_the_register_is_due_the_next_one(staff):
    # November's register: Saturday 5 December 2026 is not a working day, so due Monday 7 December
    contracts_numbered_in("202611")
    assert services.sweep(today=D(2026, 12, 7), codes=["R15"], since=D(2026, 12, 1)) == {"R15": 0}
    assert services.sweep(today=D(2026, 12, 8), codes=["R15"], since=D(2026, 12, 1)) == {"R15": 1}


def test_r15_a_month_without_contracts_needs_no_register(staff):
    assert services.sweep(today=D(2026, 11, 20), codes=["R15"]) == {"R15": 0}


def test_r15_submitted_in_time_is_no_violation(staff):
    contracts_numbered_in("202609", "202610")
    ContractRegister.objects.create(period="202609", submitted_at=cf.local(D(2026, 10, 8)))  # 5 Oct is a holiday
    register = ContractRegister.objects.create(period="202610", submitted_at=cf.local(D(2026, 11, 5), 17))

    assert services.sweep(today=D(2026, 11, 20), codes=["R15"]) == {"R15": 0}
    assert register.pk


def test_w21_an_inquiry_recorded_two_working_days_after_it_arrived_is_found_at_once(
    staff, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        late = make_inquiry(
            staff.sales_a, cf.customer(staff, staff.sales_a), received_on=today - datetime.timedelta(days=7)
        )
        make_inquiry(staff.sales_b, cf.customer(staff, staff.sales_b))  # received today: in time

    [found] = of_rule("W2.1")
    assert (found.owner, found.subject_number, found.found_by) == (staff.sales_a, late.number, "event")


def test_r3_an_expense_recorded_as_already_incurred_is_one_violation(staff, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        spent = ef.expense(staff.sales_a, incurred_on=today - datetime.timedelta(days=1))
        ef.expense(staff.sales_b)  # planned ahead: agreed before it is spent

    assert [v.subject_number for v in of_rule("R3")] == [spent.number]
    assert services.sweep(codes=["R3"]) == {"R3": 0}


def test_r6_a_fee_paid_through_the_services_is_instructed_and_no_violation(staff):
    fee = ef.instructed_special_fee(staff, ef.customer(staff, staff.sales_a))
    from salesops.expenses import services as expense_services

    expense_services.special_fee_record_payment(
        fee=fee, actor=staff.finance, paid_on=timezone.localdate(), reference="银行回单 001"
    )

    assert services.sweep(codes=["R6"]) == {"R6": 0}


def test_r6_a_fee_paid_without_leaderships_instruction_is_one_violation(staff):
    # Only possible around the services (an import, a database edit): the check proves it is seen.
    fee = ef.submitted_special_fee(staff.sales_a, ef.customer(staff, staff.sales_a))
    SpecialFee.objects.filter(pk=fee.pk).update(paid_on=timezone.localdate(), state="paid")

    assert services.sweep(codes=["R6"]) == {"R6": 1}
    assert of_rule("R6")[0].subject_number == fee.number


def test_r4_a_non_standard_quotation_issued_without_approval_is_one_violation(staff):
    deal = cf.Deal(staff)  # issued by the test factory, past the review
    assert services.sweep(codes=["R4"]) == {"R4": 0}  # standard prices: nothing to approve

    Quotation.objects.filter(pk=deal.quotation.pk).update(is_non_standard=True)
    assert services.sweep(codes=["R4"]) == {"R4": 1}

    ApprovalStep.objects.create(
        content_type=ContentType.objects.get_for_model(Quotation),
        object_id=deal.quotation.pk,
        sequence=1,
        role="sales_manager",
        status=StepStatus.APPROVED,
    )
    other = cf.Deal(staff, staff.sales_b)
    Quotation.objects.filter(pk=other.quotation.pk).update(is_non_standard=True)
    ApprovalStep.objects.create(
        content_type=ContentType.objects.get_for_model(Quotation),
        object_id=other.quotation.pk,
        sequence=1,
        role="sales_manager",
        status=StepStatus.APPROVED,
    )
    assert services.sweep(codes=["R4"]) == {"R4": 0}  # approved: no violation


def test_d7_an_approval_left_waiting_is_the_approvers_violation(staff):
    expense = ef.submitted_expense(staff.sales_a)
    step = ApprovalStep.objects.get(object_id=expense.pk, status=StepStatus.PENDING)
    assert step.approver == staff.manager1
    ApprovalStep.objects.filter(pk=step.pk).update(pending_since=cf.local(D(2026, 11, 23)))  # a Monday

    assert services.sweep(today=D(2026, 11, 25), codes=["D7"]) == {"D7": 0}  # waited 2 working days
    assert services.sweep(today=D(2026, 11, 26), codes=["D7"]) == {"D7": 1}  # 3 > 2
    assert services.sweep(today=D(2026, 11, 27), codes=["D7"]) == {"D7": 0}

    [found] = of_rule("D7")
    assert (found.owner, found.subject_number) == (staff.manager1, "")
    assert found.period == f"step{step.pk}-u{staff.manager1.pk}"


def test_an_inactive_rule_finds_nothing(staff):
    services.rule_change(actor=staff.admin, code="R15", note="暂停", is_active=False)

    assert services.sweep(today=D(2026, 11, 6), codes=["R15"]) == {}
    assert not Violation.objects.exists()


def test_the_proposal_follows_the_rules_severity_and_range(staff):
    services.rule_change(
        actor=staff.admin,
        code="R15",
        note="加重",
        severity="moderate",
        penalty_min=Decimal("20"),
        penalty_max=Decimal("65"),
    )
    contracts_numbered_in("202610")
    services.sweep(today=D(2026, 11, 6), codes=["R15"])

    [found] = of_rule("R15")
    assert (found.proposed_points, found.proposed_amount) == (2, Decimal("40.00"))
    assert found.rule.rule_set.version == 2
    # sales_office acknowledged version 1, which holds R15: told of the rule, whatever changed since
    assert found.notified


def test_a_sweep_interrupted_and_run_again_finds_the_same_set(staff, monkeypatch):
    today = timezone.localdate()
    for owner in (staff.sales_a, staff.sales_b, staff.sales_c):
        ef.expense(owner, incurred_on=today - datetime.timedelta(days=1))
    opened = services.approval_chain_open
    calls = {"n": 0}

    def dies_on_the_second(doc):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return opened(doc)

    monkeypatch.setattr(services, "approval_chain_open", dies_on_the_second)
    assert services.sweep(codes=["R3", "R15"]) == {"R15": 0}  # R3 failed, logged; R15 still checked
    assert not of_rule("R3")  # the rule's transaction took its first violation back with it

    monkeypatch.setattr(services, "approval_chain_open", opened)
    assert services.sweep(codes=["R3"]) == {"R3": 3}
    assert sorted(v.owner.username for v in of_rule("R3")) == ["sales_a", "sales_b", "sales_c"]
    assert services.sweep(codes=["R3"]) == {"R3": 0}


def test_a_violation_under_a_new_version_of_a_rule_the_person_acknowledged_before_is_notified(staff):
    # sales_a acknowledged version 1 (helpers: long ago); the admin then changes an unrelated rule
    services.rule_change(actor=staff.admin, code="D7", note="调整", severity="moderate")
    ef.expense(staff.sales_a, incurred_on=timezone.localdate() - datetime.timedelta(days=1))

    services.sweep(codes=["R3"])

    [found] = of_rule("R3")
    assert found.notified and found.rule.rule_set.version == 2


def test_a_breach_counted_over_a_provisional_calendar_says_so(staff):
    contract = signed_on(staff, D(2027, 1, 1))  # 元旦: due the next working day, on a provisional calendar

    services.sweep(today=D(2027, 1, 5), codes=["W3.5"])

    [found] = of_rule("W3.5")
    assert found.subject_number == contract.number and found.provisional
