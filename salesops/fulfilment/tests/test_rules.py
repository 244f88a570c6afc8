"""R7, R8 and R10 as the compliance engine runs them: each scenario through the sweep (or the
on-event check) with the real Chinese calendar, a breach yielding exactly one violation of the
right person and a compliant one none."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from salesops.compliance import services as compliance
from salesops.compliance.selectors import rules_at_risk
from salesops.compliance.tests.helpers import acknowledge_everyone, of_rule
from salesops.deals.models import Contract
from salesops.deals.tests.contract_factories import local
from salesops.fulfilment import services
from salesops.fulfilment.deadlines import ship_by
from salesops.fulfilment.models import DelayState, DeliveryNote, FulfilmentSettings, Requisition
from salesops.fulfilment.rules import R7, note_corrections
from salesops.workflow.registry import act_on
from salesops.workflow.rules import CheckWindow
from salesops.workflow.tests.kit import deciders, pending_step

from .helpers import Order, shipment

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)

# The calendar: signed on -> ship by (the first working day strictly after signing).
SHIP_BY = [
    (D(2026, 9, 30), D(2026, 10, 8)),  # National Day and the Mid-Autumn Festival
    (D(2026, 2, 13), D(2026, 2, 14)),  # a Friday, then a Saturday worked (调休) before the Spring Festival
    (D(2025, 12, 31), D(2026, 1, 4)),  # New Year, then a Sunday worked
    (D(2026, 4, 30), D(2026, 5, 6)),  # Labour Day
    (D(2026, 10, 9), D(2026, 10, 10)),  # a Saturday worked after National Day
]


@pytest.fixture(autouse=True)
def _rules(staff):
    acknowledge_everyone()


def signed(staff, day: D, owner=None) -> Order:
    """An order whose contract was signed on ``day`` (signed today through the services, then dated)."""
    order = Order(staff, owner)
    Contract.objects.filter(pk=order.contract.pk).update(signed_on=day)
    order.contract.refresh_from_db()
    return order


def ship_on(order: Order, day: D):
    note = order.note()
    return services.outbound_book(actor=order.staff.warehouse, note_id=note.pk, shipment=shipment(shipped_on=day))


def delay(order: Order, until: D, *, accept: bool):
    found = services.delay_create(
        actor=order.owner, contract_id=order.contract.pk, reason="customer_asked", ship_on=until
    )
    found = act_on(found, "submit", actor=order.owner)
    manager = deciders(found, pending_step(found))[0]
    if accept:
        return act_on(found, "accept", actor=manager)
    return act_on(found, "reject", actor=manager, comment="理由不充分")


def r7(today: D) -> int:
    return compliance.sweep(today=today, codes=["R7"])["R7"]


# -- R7 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("signed_on", "due"), SHIP_BY)
def test_r7_the_ship_by_date_follows_the_chinese_calendar(signed_on, due):
    assert ship_by(signed_on).day == due


@pytest.mark.parametrize(("signed_on", "due"), SHIP_BY)
def test_r7_shipped_on_the_ship_by_day_is_no_violation(staff, signed_on, due):
    order = signed(staff, signed_on)
    ship_on(order, due)

    assert r7(due + DAY) == 0
    assert r7(due + 10 * DAY) == 0
    assert not of_rule("R7")


@pytest.mark.parametrize(("signed_on", "due"), SHIP_BY)
def test_r7_shipped_a_day_later_is_one_violation_of_the_sales_office(staff, signed_on, due):
    order = signed(staff, signed_on)
    ship_on(order, due + DAY)

    assert r7(due) == 0  # not late yet on the ship-by day
    assert r7(due + 2 * DAY) == 1
    assert r7(due + 3 * DAY) == 0  # run again: nothing twice

    [found] = of_rule("R7")
    assert (found.owner, found.subject_number, found.occurred_on) == (
        staff.back_office,
        order.contract.number,
        due + DAY,
    )
    assert found.subject_type == ContentType.objects.get_for_model(Contract) and found.subject_id == order.contract.pk
    assert not found.provisional
    assert str(due) in found.detail and str(due + DAY) in found.detail


def test_r7_not_shipped_is_found_the_day_after_the_ship_by_date(staff):
    order = signed(staff, D(2026, 9, 30))

    assert r7(D(2026, 10, 8)) == 0
    assert r7(D(2026, 10, 9)) == 1
    [found] = of_rule("R7")
    assert (found.period, found.occurred_on) == ("2026-10-08", D(2026, 10, 9))
    assert "2026-09-30" in found.detail and "2026-10-08" in found.detail
    assert found.subject_number == order.contract.number


def test_r7_an_archived_contract_is_the_archivers_breach(staff):
    from salesops.deals.services import contracts as contract_services

    order = signed(staff, D(2026, 9, 30))
    contract_services.contract_archive(actor=staff.back_office, contract=order.contract)

    assert r7(D(2026, 10, 9)) == 1
    assert of_rule("R7")[0].owner == staff.back_office


def test_r7_an_accepted_delay_covers_the_day_and_a_rejected_one_does_not(staff):
    excused = signed(staff, D(2026, 9, 30))
    refused = signed(staff, D(2026, 9, 30), staff.sales_b)
    accepted = delay(excused, D(2026, 10, 15), accept=True)
    rejected = delay(refused, D(2026, 10, 15), accept=False)
    ship_on(excused, D(2026, 10, 12))
    ship_on(refused, D(2026, 10, 12))

    assert (accepted.state, rejected.state) == (DelayState.ACCEPTED, DelayState.REJECTED)
    assert r7(D(2026, 10, 20)) == 1
    assert [v.subject_number for v in of_rule("R7")] == [refused.contract.number]


def test_r7_a_delay_accepted_to_a_date_and_missed_is_a_breach_again(staff):
    order = signed(staff, D(2026, 9, 30))
    assert r7(D(2026, 10, 9)) == 1  # the ship-by date passed with no accepted reason
    delay(order, D(2026, 10, 14), accept=True)  # accepted afterwards, to the 14th

    assert r7(D(2026, 10, 14)) == 0
    assert r7(D(2026, 10, 15)) == 1  # missed again
    ship_on(order, D(2026, 10, 16))
    assert r7(D(2026, 10, 20)) == 0

    assert [(v.period, v.occurred_on) for v in of_rule("R7")] == [
        ("2026-10-08", D(2026, 10, 9)),
        ("2026-10-14", D(2026, 10, 15)),
    ]


def test_r7_a_late_outbound_is_found_when_it_is_booked(staff, django_capture_on_commit_callbacks):
    order = signed(staff, timezone.localdate() - 20 * DAY)
    note = order.note()

    with django_capture_on_commit_callbacks(execute=True):
        services.outbound_book(actor=staff.warehouse, note_id=note.pk, shipment=shipment())

    [found] = of_rule("R7")
    assert (found.owner, found.found_by, found.subject_number) == (staff.back_office, "event", order.contract.number)


def test_r7_an_outbound_in_time_runs_no_check(staff, django_capture_on_commit_callbacks, monkeypatch):
    order = Order(staff)  # signed today: ship by the next working day
    note = order.note()
    checked: list[list[str]] = []
    monkeypatch.setattr(compliance, "sweep", lambda **kwargs: checked.append(kwargs["codes"]) or {})

    with django_capture_on_commit_callbacks(execute=True):
        outbound = services.outbound_book(actor=staff.warehouse, note_id=note.pk, shipment=shipment())

    assert not R7.suspect(outbound)
    assert not any("R7" in codes for codes in checked)


def test_r7_a_provisional_calendar_marks_the_violation(staff):
    order = signed(staff, D(2027, 3, 5))  # a Friday in a year without the official arrangement

    due = ship_by(order.contract.signed_on)
    assert due.provisional and due.day == D(2027, 3, 8)
    assert r7(D(2027, 3, 9)) == 1
    assert of_rule("R7")[0].provisional


def test_r7_at_risk_lists_the_contracts_due_today_not_yet_shipped(staff):
    due_today = signed(staff, D(2026, 9, 30))
    shipped = signed(staff, D(2026, 9, 30), staff.sales_b)
    ship_on(shipped, D(2026, 10, 8))

    risk = rules_at_risk(user=staff.boss, today=D(2026, 10, 8))

    rows = [(r.code, r.breach.subject_number, r.today) for r in risk["upcoming"] if r.code == "R7"]
    assert rows == [("R7", due_today.contract.number, True)]


# -- R8 ---------------------------------------------------------------------------------------------


def issued_days_ago(order: Order, days: int) -> DeliveryNote:
    note = order.note()
    DeliveryNote.objects.filter(pk=note.pk).update(created_at=timezone.now() - days * DAY)
    note.refresh_from_db()
    return note


def test_r8_a_note_corrected_the_day_it_was_issued_is_counted_not_a_violation(staff):
    order = Order(staff)
    note = order.note()
    services.note_reissue(note=note, actor=staff.back_office, reason="收货人电话写错", consignee_phone="13900000000")

    assert compliance.sweep(codes=["R8"]) == {"R8": 0}
    today = timezone.localdate()
    assert note_corrections(CheckWindow(today=today, since=today.replace(day=1), horizon=today)) == {
        staff.back_office.pk: 1
    }


def test_r8_a_note_voided_after_a_day_in_the_warehouse_is_one_violation_of_its_issuer(staff):
    order = Order(staff)
    note = issued_days_ago(order, 20)
    services.note_void(note=note, actor=staff.back_office, reason="规格型号开错")

    assert compliance.sweep(codes=["R8"]) == {"R8": 1}
    assert compliance.sweep(codes=["R8"]) == {"R8": 0}
    [found] = of_rule("R8")
    assert (found.owner, found.subject_number, found.occurred_on) == (
        staff.back_office,
        note.number,
        timezone.localdate(),
    )
    assert "规格型号开错" in found.detail


def test_r8_the_void_is_found_when_it_is_made(staff, django_capture_on_commit_callbacks):
    order = Order(staff)
    note = issued_days_ago(order, 20)

    with django_capture_on_commit_callbacks(execute=True):
        services.note_reissue(note=note, actor=staff.back_office, reason="地址写错", address="潍坊市寒亭区 2 号")

    [found] = of_rule("R8")
    assert (found.found_by, found.subject_number) == ("event", note.number)


def test_r8_the_figure_counts_per_clerk_per_month_and_shows_on_the_managers_page(staff, web_client):
    order = Order(staff)
    first = order.note()
    services.note_void(note=first, actor=staff.back_office, reason="开错")
    services.note_void(note=order.note(first.requisition), actor=staff.back_office, reason="又开错")
    today = timezone.localdate()
    next_month = (today.replace(day=28) + 5 * DAY).replace(day=1)

    assert note_corrections(CheckWindow(today=today, since=today.replace(day=1), horizon=today)) == {
        staff.back_office.pk: 2
    }
    assert note_corrections(CheckWindow(today=next_month + 27 * DAY, since=next_month, horizon=today)) == {}
    page = web_client(staff.boss).get(reverse("compliance:at-risk")).content.decode()
    table = page[page.index('data-testid="tally-R8"') :].split("</table>")[0]
    assert f"<td>{staff.back_office}</td>" in table and '<td class="text-end">2</td>' in table


# -- R10 --------------------------------------------------------------------------------------------


def approved_on(staff, day: D, hour: int = 10) -> Requisition:
    requisition = Order(staff).approved_requisition()
    Requisition.objects.filter(pk=requisition.pk).update(approved_at=local(day, hour))
    requisition.refresh_from_db()
    return requisition


def archived_on(requisition: Requisition, actor, day: D) -> None:
    act_on(requisition, "archive", actor=actor)
    Requisition.objects.filter(pk=requisition.pk).update(archived_at=local(day, 16))


def r10(today: D) -> int:
    return compliance.sweep(today=today, codes=["R10"])["R10"]


def test_r10_approved_on_a_friday_is_due_the_monday_after_the_weekend(staff):
    requisition = approved_on(staff, D(2026, 11, 27))  # Friday; one working day (the default)

    assert r10(D(2026, 11, 30)) == 0  # Monday: still in time
    assert r10(D(2026, 12, 1)) == 1
    [found] = of_rule("R10")
    assert (found.owner, found.subject_number, found.occurred_on) == (
        staff.back_office,
        requisition.number,
        D(2026, 12, 1),
    )


def test_r10_archived_on_the_last_working_day_is_in_time_the_next_is_late(staff):
    in_time = approved_on(staff, D(2026, 9, 30))  # due 8 October, after the National Day holiday
    late = approved_on(staff, D(2026, 9, 30))
    archived_on(in_time, staff.back_office, D(2026, 10, 8))
    archived_on(late, staff.back_office, D(2026, 10, 9))

    assert r10(D(2026, 10, 20)) == 1
    [found] = of_rule("R10")
    assert (found.subject_number, found.owner, found.occurred_on) == (late.number, staff.back_office, D(2026, 10, 9))


def test_r10_counts_the_configured_working_days(staff):
    FulfilmentSettings.objects.update(archive_working_days=2)
    approved_on(staff, D(2026, 9, 30))  # two working days: 8 and 9 October

    assert r10(D(2026, 10, 9)) == 0
    assert r10(D(2026, 10, 10)) == 1


def test_r10_archived_late_is_found_at_once(staff, django_capture_on_commit_callbacks):
    requisition = Order(staff).approved_requisition()
    Requisition.objects.filter(pk=requisition.pk).update(approved_at=timezone.now() - 20 * DAY)
    requisition.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        act_on(requisition, "archive", actor=staff.back_office)

    [found] = of_rule("R10")
    assert (found.found_by, found.owner) == ("event", staff.back_office)
