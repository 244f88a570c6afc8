"""R10 (invoice requests archived) and R11 (the daily collection check) through the compliance
engine's sweep with the real calendar, and the closed day that takes no new receipt."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from salesops.compliance import services as compliance
from salesops.compliance.tests.helpers import acknowledge_everyone, of_rule
from salesops.core.errors import Forbidden, InvalidInput
from salesops.deals.tests.contract_factories import local
from salesops.receivables import services
from salesops.receivables.models import DailyCheck, DailyCheckState, InvoiceRequest, Receipt
from salesops.receivables.services import checks
from salesops.workflow.models import DocumentEvent
from salesops.workflow.registry import act_on
from salesops.workflow.rules import rule

from .helpers import Sale

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _rules(staff):
    acknowledge_everyone()


def sweep(code: str, today: D) -> int:
    return compliance.sweep(today=today, codes=[code])[code]


def invoiced_on(staff, day: D) -> InvoiceRequest:
    sale = Sale(staff)
    sale.invoice()
    request = InvoiceRequest.objects.get(contract=sale.contract)
    InvoiceRequest.objects.filter(pk=request.pk).update(invoiced_at=local(day, 10))
    request.refresh_from_db()
    return request


def test_r10_is_one_rule_over_requisitions_and_invoice_requests(staff):
    r10 = rule("R10")
    assert set(r10.watches) == {"fulfilment.requisition", "receivables.invoicerequest"}
    request = invoiced_on(staff, D(2026, 11, 27))  # a Friday: archive by Monday
    assert sweep("R10", D(2026, 11, 30)) == 0
    assert sweep("R10", D(2026, 12, 1)) == 1
    [found] = of_rule("R10")
    assert (found.subject_number, found.owner, found.occurred_on) == (request.number, staff.back_office, D(2026, 12, 1))


def test_r10_archived_late_invoice_request_is_found_at_once(staff, django_capture_on_commit_callbacks):
    request = invoiced_on(staff, timezone.localdate() - datetime.timedelta(days=20))
    with django_capture_on_commit_callbacks(execute=True):
        act_on(request, "archive", actor=staff.back_office)
    [found] = of_rule("R10")
    assert (found.found_by, found.subject_number) == ("event", request.number)


def received(staff, day: D) -> Receipt:
    """A receipt recorded (and dated) on ``day``."""
    sale = Sale(staff)
    receipt = sale.receipt("500.00", allocate="none", received_on=min(day, timezone.localdate()))
    Receipt.objects.filter(pk=receipt.pk).update(received_on=day, created_at=local(day, 9))
    return receipt


def checked(staff, day: D, closed_on: D | None = None) -> DailyCheck:
    checks.daily_check_confirm(actor=staff.back_office, day=day)
    check = checks.daily_check_confirm(actor=staff.finance, day=day)
    assert check.state == DailyCheckState.CLOSED
    if closed_on:
        DailyCheck.objects.filter(pk=check.pk).update(
            closed_at=local(closed_on, 17), first_closed_at=local(closed_on, 17)
        )
    return check


def test_r11_a_working_day_without_the_check_is_a_breach_on_the_next(staff):
    received(staff, D(2026, 11, 27))  # Friday
    checked(staff, D(2026, 11, 26), closed_on=D(2026, 11, 26))  # a day before the first receipt: not counted
    assert sweep("R11", D(2026, 11, 27)) == 0  # the day itself is only at risk
    assert sweep("R11", D(2026, 11, 30)) == 1  # found on Monday, the next working day
    [found] = of_rule("R11")
    assert (found.owner, found.occurred_on, found.subject_number) == (
        staff.back_office,
        D(2026, 11, 30),
        "R11-20261127",
    )
    # the weekend needs no check; Monday not checked is one more on Tuesday
    assert sweep("R11", D(2026, 12, 1)) == 1


def test_r11_checked_the_same_day_is_kept_a_day_later_is_not(staff):
    received(staff, D(2026, 11, 25))
    checked(staff, D(2026, 11, 25), closed_on=D(2026, 11, 25))
    checked(staff, D(2026, 11, 26), closed_on=D(2026, 11, 27))
    checked(staff, D(2026, 11, 27), closed_on=D(2026, 11, 27))
    assert sweep("R11", D(2026, 11, 30)) == 1
    [found] = of_rule("R11")
    assert found.subject_number == "R11-20261126"


def test_a_closed_day_takes_no_receipt_until_finance_reopens_it(staff):
    sale = Sale(staff)
    today = timezone.localdate()
    sale.receipt("300.00", allocate="none")
    check = checked(staff, today)
    assert (check.receipt_count, check.receipt_total) == (1, Decimal("300.00"))
    before = (Receipt.objects.count(), DocumentEvent.objects.count())
    with pytest.raises(InvalidInput) as refused:
        sale.receipt("200.00", allocate="none")
    assert "received_on" in refused.value.extra["fields"]
    assert (Receipt.objects.count(), DocumentEvent.objects.count()) == before
    with pytest.raises(Forbidden):
        checks.daily_check_reopen(actor=staff.back_office, day=today, reason="漏记一笔")
    reopened = checks.daily_check_reopen(actor=staff.finance, day=today, reason="漏记一笔")
    assert reopened.state == DailyCheckState.OPEN and reopened.finance_confirmed_at is None
    assert DocumentEvent.objects.filter(action="reopen", comment="漏记一笔").exists()
    sale.receipt("200.00", allocate="none")


def test_differences_hold_the_day_open_until_resolved(staff):
    today = timezone.localdate()
    difference = checks.difference_add(
        actor=staff.back_office, day=today, text="客户称已付 5000 元，未见到账", amount="5000"
    )
    checks.daily_check_confirm(actor=staff.back_office, day=today)
    check = checks.daily_check_confirm(actor=staff.finance, day=today)
    assert check.state == DailyCheckState.OPEN
    checks.difference_resolve(actor=staff.finance, difference_id=difference.pk, resolution="银行次日到账，计入次日")
    check = checks.daily_check_confirm(actor=staff.back_office, day=today)
    assert check.state == DailyCheckState.CLOSED


def test_only_the_office_and_finance_check_the_day(staff):
    with pytest.raises(Forbidden):
        checks.daily_check_confirm(actor=staff.sales_a, day=timezone.localdate())
    assert not DailyCheck.objects.exists()
    with pytest.raises(Forbidden):
        services.receipt_record(
            actor=staff.sales_a,
            customer_id=Sale(staff).customer.pk,
            received_on=timezone.localdate(),
            method="cash",
            amount="1",
        )


# -- R2 ------------------------------------------------------------------------------------------------


def dealer_receipt(staff, dealer, *, collected_on: D, received_on: D) -> Receipt:
    """A dealer's money sales_a collected on ``collected_on``, received by the company on ``received_on``."""
    receipt = services.receipt_record(
        actor=staff.finance,
        customer_id=dealer.pk,
        received_on=timezone.localdate(),
        method="cash",
        amount="2000.00",
        allocate="none",
        collected_by_id=staff.sales_a.pk,
        collected_on=timezone.localdate(),
    )
    Receipt.objects.filter(pk=receipt.pk).update(collected_on=collected_on, received_on=received_on)
    return receipt


def test_r2_a_dealers_money_collected_without_a_permit_is_the_collectors_breach(staff):
    from salesops.expenses.tests import factories as ef

    dealer = ef.dealer(staff, staff.sales_a)
    receipt = dealer_receipt(staff, dealer, collected_on=D(2026, 11, 24), received_on=D(2026, 11, 24))
    assert sweep("R2", D(2026, 11, 25)) == 1
    [found] = of_rule("R2")
    assert (found.owner, found.subject_number, found.occurred_on) == (staff.sales_a, receipt.number, D(2026, 11, 24))


def test_r2_under_a_permit_remitted_in_time_is_kept_late_is_not(staff, django_capture_on_commit_callbacks):
    from salesops.expenses.tests import factories as ef

    dealer = ef.dealer(staff, staff.sales_a)
    ef.approved_permit(staff, dealer)  # valid from today, remit within 1 working day
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        in_time = services.receipt_record(
            actor=staff.finance,
            customer_id=dealer.pk,
            received_on=today,
            method="cash",
            amount="2000.00",
            allocate="none",
            collected_by_id=staff.sales_a.pk,
            collected_on=today,
        )
    assert of_rule("R2") == []  # checked at once, on the receipt's creation: nothing found
    late_day = today + datetime.timedelta(days=10)
    Receipt.objects.filter(pk=in_time.pk).update(received_on=late_day)
    assert sweep("R2", late_day) == 1
    [found] = of_rule("R2")
    assert found.owner == staff.sales_a and found.occurred_on <= late_day


def test_r2_does_not_apply_to_an_end_users_money(staff):
    sale = Sale(staff)  # an end user
    receipt = sale.receipt(
        "100.00", allocate="none", collected_by_id=staff.sales_a.pk, collected_on=timezone.localdate()
    )
    Receipt.objects.filter(pk=receipt.pk).update(collected_on=D(2026, 11, 24), received_on=D(2026, 11, 26))
    assert sweep("R2", D(2026, 11, 30)) == 0


def test_r11_a_day_reopened_later_was_still_checked_on_time(staff):
    received(staff, D(2026, 11, 25))
    checked(staff, D(2026, 11, 25), closed_on=D(2026, 11, 25))
    checks.daily_check_reopen(actor=staff.finance, day=D(2026, 11, 25), reason="补记一笔")
    checks.daily_check_confirm(actor=staff.back_office, day=D(2026, 11, 25))
    checks.daily_check_confirm(actor=staff.finance, day=D(2026, 11, 25))
    assert sweep("R11", D(2026, 11, 26)) == 0


def test_one_person_does_not_confirm_both_sides(staff):
    from salesops.core.errors import TransitionNotAllowed
    from salesops.org.models import UserRole

    UserRole.objects.create(user=staff.finance, role="back_office")
    staff.finance.refresh_from_db()
    today = timezone.localdate()
    checks.daily_check_confirm(actor=staff.finance, day=today)
    with pytest.raises(TransitionNotAllowed):
        checks.daily_check_confirm(actor=staff.finance, day=today)
    assert DailyCheck.objects.get(day=today).state == DailyCheckState.OPEN


def test_a_receipt_recorded_after_a_confirmation_needs_the_day_confirmed_again(staff):
    sale = Sale(staff)
    today = timezone.localdate()
    checks.daily_check_confirm(actor=staff.finance, day=today)
    sale.receipt("80.00", allocate="none")
    check = checks.daily_check_confirm(actor=staff.back_office, day=today)
    assert check.state == DailyCheckState.OPEN
    check = checks.daily_check_confirm(actor=staff.finance, day=today)
    assert check.state == DailyCheckState.CLOSED and check.receipt_count == 1
