"""The review of a violation: the manager confirms, reduces or waives; the person appeals within
the window; leadership decides; the ledger follows, append-only; nobody waits for nobody."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from salesops.compliance import services
from salesops.compliance.models import LedgerEntry, Violation, ViolationState
from salesops.compliance.selectors import ledger_month, violation_list
from salesops.core.errors import Forbidden, InvalidInput, NotFound, TransitionNotAllowed
from salesops.core.models import NumberSequence
from salesops.workflow.approvals import current_step
from salesops.workflow.registry import act_on

from .helpers import acknowledge_everyone

pytestmark = pytest.mark.django_db
D = datetime.date


def found_r15(staff) -> Violation:
    """The sales office missed October's register (R15)."""
    NumberSequence.objects.create(prefix="HT", period="202610", last=2)
    services.sweep(today=D(2026, 11, 6), codes=["R15"])
    return Violation.objects.get(rule_code="R15")


def found_r3(staff, person=None) -> Violation:
    from salesops.expenses.tests import factories as ef

    ef.expense(person or staff.sales_a, incurred_on=timezone.localdate() - datetime.timedelta(days=1))
    services.sweep(codes=["R3"])
    return Violation.objects.filter(rule_code="R3").latest("pk")


@pytest.fixture
def violation(staff):
    acknowledge_everyone()
    return found_r3(staff)


def test_the_persons_manager_reviews_and_confirms_into_the_ledger(staff, violation):
    step = current_step(violation)
    assert step.approver == staff.manager1

    confirmed = act_on(violation, "confirm", actor=staff.manager1)

    assert confirmed.state == ViolationState.CONFIRMED
    assert (confirmed.points, confirmed.amount) == (1, Decimal("10.00"))
    [entry] = LedgerEntry.objects.all()
    assert (entry.person, entry.points, entry.amount, entry.mode) == (staff.sales_a, 1, Decimal("0"), "points")


def test_the_person_never_reviews_their_own_violation(staff, violation):
    with pytest.raises(Forbidden):
        act_on(violation, "confirm", actor=staff.sales_a)
    assert Violation.objects.get(pk=violation.pk).state == ViolationState.REVIEWING
    assert not LedgerEntry.objects.exists()


def test_a_waiver_needs_a_reason_and_leaves_the_ledger_empty(staff, violation):
    with pytest.raises(InvalidInput):
        act_on(violation, "waive", actor=staff.manager1, comment=" ")
    assert Violation.objects.get(pk=violation.pk).state == ViolationState.REVIEWING

    waived = act_on(violation, "waive", actor=staff.manager1, comment="客户临时要求，事后补批")

    assert waived.state == ViolationState.WAIVED
    assert not LedgerEntry.objects.exists()


def test_a_reduction_is_below_the_proposal_with_a_reason(staff, violation):
    with pytest.raises(InvalidInput):
        services.violation_reduce(violation=violation, actor=staff.manager1, points=2, amount=Decimal("5"), reason="x")
    with pytest.raises(InvalidInput):
        services.violation_reduce(violation=violation, actor=staff.manager1, points=0, amount=Decimal("5"), reason="")
    assert Violation.objects.get(pk=violation.pk).state == ViolationState.REVIEWING

    reduced = services.violation_reduce(
        violation=violation, actor=staff.manager1, points=0, amount=Decimal("5.00"), reason="初犯"
    )

    assert (reduced.state, reduced.points, reduced.amount, reduced.reduce_reason) == (
        ViolationState.CONFIRMED,
        0,
        Decimal("5.00"),
        "初犯",
    )
    assert LedgerEntry.objects.get().note == "初犯"


def test_a_violation_of_unacknowledged_rules_cannot_be_confirmed_only_waived(staff):
    violation = found_r3(staff)  # nobody acknowledged the rules
    assert not violation.notified

    with pytest.raises(TransitionNotAllowed):
        act_on(violation, "confirm", actor=staff.manager1)
    with pytest.raises(TransitionNotAllowed):
        services.violation_reduce(violation=violation, actor=staff.manager1, points=0, amount=Decimal("1"), reason="x")

    assert act_on(violation, "waive", actor=staff.manager1, comment="未告知").state == ViolationState.WAIVED


def test_an_appeal_inside_the_window_goes_to_leadership_who_may_grant_it(staff, violation):
    act_on(violation, "confirm", actor=staff.manager1)

    with pytest.raises(NotFound):
        act_on(violation, "appeal", actor=staff.sales_b, comment="不是我")  # not theirs to see
    with pytest.raises(Forbidden):
        act_on(violation, "appeal", actor=staff.manager1, comment="替他申诉")  # only the person appeals
    appealed = act_on(violation, "appeal", actor=staff.sales_a, comment="费用是经理口头同意的")
    assert appealed.state == ViolationState.APPEALED
    assert current_step(appealed).role == "leadership"

    with pytest.raises(Forbidden):
        act_on(appealed, "grant_appeal", actor=staff.manager1, comment="同意")
    granted = act_on(appealed, "grant_appeal", actor=staff.boss, comment="有经理口头同意的记录")

    assert granted.state == ViolationState.OVERTURNED
    original, reversal = LedgerEntry.objects.order_by("pk")
    assert reversal.reverses == original and reversal.points == -original.points
    assert ledger_month(user=staff.boss, month=timezone.localdate().strftime("%Y%m"))[0].points == 0


def test_leadership_may_reject_the_appeal(staff, violation):
    act_on(violation, "confirm", actor=staff.manager1)
    act_on(violation, "appeal", actor=staff.sales_a, comment="不服")

    upheld = act_on(violation, "reject_appeal", actor=staff.boss, comment="证据确凿")

    assert upheld.state == ViolationState.UPHELD
    assert LedgerEntry.objects.count() == 1


def test_an_appeal_after_the_window_is_refused(staff, violation):
    confirmed = act_on(violation, "confirm", actor=staff.manager1)
    Violation.objects.filter(pk=confirmed.pk).update(confirmed_at=timezone.now() - datetime.timedelta(days=30))

    with pytest.raises(TransitionNotAllowed):
        act_on(Violation.objects.get(pk=confirmed.pk), "appeal", actor=staff.sales_a, comment="晚了")
    assert Violation.objects.get(pk=confirmed.pk).state == ViolationState.CONFIRMED


def test_a_managers_violation_is_reviewed_by_leadership(staff):
    acknowledge_everyone()
    violation = found_r3(staff, staff.manager1)

    step = current_step(violation)
    assert step.role == "leadership" and step.approver is None
    assert act_on(violation, "confirm", actor=staff.boss).state == ViolationState.CONFIRMED


def test_the_sales_offices_violation_is_seen_by_them_and_reviewed_by_leadership(staff):
    acknowledge_everyone()
    violation = found_r15(staff)

    assert violation.owner == staff.back_office
    assert list(violation_list(user=staff.back_office)) == [violation]
    assert current_step(violation).role == "leadership"
    assert act_on(violation, "confirm", actor=staff.boss).state == ViolationState.CONFIRMED


def test_each_sees_their_own_and_managers_their_people(staff, violation):
    assert list(violation_list(user=staff.sales_a)) == [violation]
    assert list(violation_list(user=staff.sales_b)) == []
    assert list(violation_list(user=staff.manager1)) == [violation]
    assert list(violation_list(user=staff.manager2)) == []
    assert list(violation_list(user=staff.boss)) == [violation]
    with pytest.raises(NotFound):
        act_on(violation, "confirm", actor=staff.manager2)


def test_only_hr_exporters_read_the_ledger(staff, violation):
    month = timezone.localdate().strftime("%Y%m")
    for user in (staff.sales_a, staff.manager1, staff.back_office):
        with pytest.raises(Forbidden):
            ledger_month(user=user, month=month)
    assert ledger_month(user=staff.finance, month=month) == []


def test_the_monthly_summary_applies_the_cap(staff):
    from salesops.compliance.models import PenaltySettings

    acknowledge_everyone()
    settings = PenaltySettings.current()
    settings.monthly_points_cap = 2
    settings.save()
    for _n in range(3):
        act_on(found_r3(staff), "confirm", actor=staff.manager1)

    [line] = ledger_month(user=staff.boss, month=timezone.localdate().strftime("%Y%m"))
    assert (line.violations, line.points, line.capped_points) == (3, 3, 2)


def test_fines_need_the_legal_notice(staff):
    with pytest.raises(InvalidInput):
        services.penalty_settings_update(
            actor=staff.admin, mode="fine", appeal_working_days=3, monthly_cap=Decimal("200"), monthly_points_cap=10
        )
    settings = services.penalty_settings_update(
        actor=staff.admin,
        mode="fine",
        appeal_working_days=3,
        monthly_cap=Decimal("200"),
        monthly_points_cap=10,
        accept_fine_notice=True,
    )
    assert settings.mode == "fine" and settings.fine_notice_accepted_by == staff.admin
    with pytest.raises(Forbidden):
        services.penalty_settings_update(
            actor=staff.manager1, mode="points", appeal_working_days=3, monthly_cap=Decimal("1"), monthly_points_cap=1
        )


def test_the_ledger_is_append_only(staff, violation):
    act_on(violation, "confirm", actor=staff.manager1)
    entry = LedgerEntry.objects.get()
    entry.points = 0
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
