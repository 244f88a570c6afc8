"""register_compile / register_submit and the register's reads: rows, gaps, due day, status,
Excel export, My tasks (R15); contract numbers gapless under concurrency (PostgreSQL)."""

import datetime
import threading
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection, transaction
from django.utils import timezone, translation
from openpyxl import load_workbook

from salesops.core.errors import Forbidden, InvalidInput, TransitionNotAllowed
from salesops.core.models import NumberSequence
from salesops.deals.choices import ContractState
from salesops.deals.models import Contract, ContractRegister
from salesops.deals.selectors.register import (
    STATUS_LABELS,
    register_columns,
    register_due_on,
    register_gaps,
    register_get_for,
    register_rows,
    register_status,
    register_tasks,
    register_xlsx,
)
from salesops.deals.services import contracts as contract_services
from salesops.deals.services import register as services
from salesops.deals.tests.contract_factories import Deal, clock, events_of, local, submitted

pytestmark = pytest.mark.django_db


def _this_month() -> str:
    return timezone.localdate().strftime("%Y%m")


def _last_month_day() -> datetime.date:
    """The 15th of the previous month."""
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=15)


def _last_month() -> str:
    return _last_month_day().strftime("%Y%m")


def _draft_last_month(staff, owner=None) -> Contract:
    with clock(local(_last_month_day())):
        return Deal(staff, owner).draft()


def _void(staff, contract: Contract, reason: str = "客户取消") -> Contract:
    return contract_services.contract_void(actor=staff.admin, contract=contract, reason=reason)


# Rows and gaps


def test_the_register_lists_every_number_in_order_with_state_customer_amount_and_void_reason(staff):
    # given three contracts of this month, the second voided and the third confirmed
    first = Deal(staff).draft()
    second = Deal(staff).draft()
    third_deal = Deal(staff, staff.sales_c)
    third = submitted(third_deal.draft())
    _void(staff, second, "客户改为电话订单")
    # when
    rows = register_rows(_this_month())
    # then
    assert [r.number for r in rows] == [first.number, second.number, third.number]
    assert [r.sequence for r in rows] == [1, 2, 3]
    assert [r.state for r in rows] == [ContractState.DRAFT, ContractState.VOIDED, ContractState.CONFIRMED]
    assert [r.void_reason for r in rows] == ["", "客户改为电话订单", ""]
    assert rows[2].customer == third_deal.customer.name and rows[2].owner == str(staff.sales_c)
    assert rows[0].total_amount == Decimal("15000.00")
    assert register_gaps(_this_month()) == []


def test_the_register_is_gapless_after_voids_refusals_and_a_rolled_back_creation(staff):
    # given a kept contract
    kept = Deal(staff).draft()
    # when a creation fails after its number was drawn, and another is refused before drawing one
    doomed = Deal(staff)
    with pytest.raises(RuntimeError), transaction.atomic():
        drawn = doomed.draft()
        assert drawn.number.endswith("0002")
        raise RuntimeError("the caller's transaction failed after the draft")
    expired = Deal(staff, valid_until=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(InvalidInput):
        expired.draft()
    # and a contract is voided
    _void(staff, kept)
    # then the next contract takes the next number: no gap, nothing burned
    following = doomed.draft()
    assert following.number.endswith("0002")
    assert [r.number for r in register_rows(_this_month())] == [kept.number, following.number]
    assert register_gaps(_this_month()) == []


def test_a_number_drawn_but_held_by_no_contract_shows_as_a_gap_and_blocks_compiling(staff):
    # given a fault: the counter moved without a contract (never happens through the services)
    _draft_last_month(staff)
    NumberSequence.objects.filter(prefix="HT", period=_last_month()).update(last=2)
    # then
    assert register_gaps(_last_month()) == [f"HT{_last_month()}0002"]
    with pytest.raises(TransitionNotAllowed) as caught:
        services.register_compile(actor=staff.back_office, period=_last_month())
    assert f"HT{_last_month()}0002" in caught.value.message
    assert not ContractRegister.objects.exists()


def test_the_register_of_an_empty_month_is_empty_and_gapless(staff):
    assert register_rows("202001") == [] and register_gaps("202001") == []


@pytest.mark.parametrize("period", ["2026-11", "202613", "202600", "2026", "abcdef", None, "199912"])
def test_a_bad_month_is_refused(staff, period):
    with pytest.raises(InvalidInput) as caught:
        register_rows(period)
    assert list(caught.value.extra["fields"]) == ["period"]


# Due day and status


@pytest.mark.parametrize(
    ("period", "due"),
    [
        ("202611", datetime.date(2026, 12, 7)),  # Saturday the 5th: the next working day
        ("202612", datetime.date(2027, 1, 5)),
        ("202701", datetime.date(2027, 2, 9)),  # 5-8 Feb 2027 is Spring Festival (provisional calendar)
        ("202609", datetime.date(2026, 10, 8)),  # National Day week
        ("202602", datetime.date(2026, 3, 5)),
    ],
)
def test_the_register_is_due_on_the_5th_of_the_following_month_or_the_next_working_day(period, due):
    assert register_due_on(period) == due


def test_the_due_day_is_a_company_setting(staff):
    staff.company.register_due_day = 10
    staff.company.save()
    assert register_due_on("202612") == datetime.date(2027, 1, 11)  # Sunday the 10th: Monday


def test_a_register_not_submitted_by_the_due_day_is_overdue(staff):
    assert register_status("202610", datetime.date(2026, 11, 1)) == "due"
    assert register_status("202610", datetime.date(2026, 11, 5)) == "due"
    assert register_status("202610", datetime.date(2026, 11, 6)) == "overdue"
    assert register_status("202610", datetime.date(2027, 3, 1)) == "overdue"
    # a compiled but unsubmitted register is still overdue
    ContractRegister.objects.create(period="202610", compiled_at=timezone.now())
    assert register_status("202610", datetime.date(2026, 11, 6)) == "overdue"
    ContractRegister.objects.filter(period="202610").update(submitted_at=timezone.now())
    assert register_status("202610", datetime.date(2026, 11, 6)) == "submitted"


# Compiling and submitting


def test_the_sales_office_compiles_and_submits_last_months_register(staff):
    # given last month: two contracts, one voided; and one contract this month
    kept = _draft_last_month(staff)
    voided = _void(staff, _draft_last_month(staff, staff.sales_c), "重复录入")
    Deal(staff).draft()
    # when the sales office compiles
    register = services.register_compile(actor=staff.back_office, period=_last_month())
    # then the counts come from last month's contracts only
    assert (register.period, register.contract_count, register.voided_count) == (_last_month(), 2, 1)
    assert register.compiled_at is not None and register.submitted_at is None
    assert events_of(register) == ["compile"]
    # when it submits
    register = services.register_submit(actor=staff.back_office, period=_last_month())
    # then
    assert register.submitted_by == staff.back_office and register.submitted_at is not None
    assert events_of(register) == ["compile", "submit"]
    assert register_status(_last_month(), timezone.localdate()) == "submitted"
    sheet = register_get_for(user=staff.back_office, period=_last_month())
    assert [r.number for r in sheet.rows] == [kept.number, voided.number]
    assert (sheet.status, sheet.gaps, sheet.voided_count) == ("submitted", [], 1)
    assert sheet.submitted_late is (timezone.localdate() > register_due_on(_last_month()))


def test_submitting_compiles_afresh_and_a_submitted_register_is_final(staff):
    contract = _draft_last_month(staff)
    services.register_compile(actor=staff.back_office, period=_last_month())
    # a void after compiling is counted at submission
    _void(staff, contract)
    register = services.register_submit(actor=staff.back_office, period=_last_month())
    assert (register.contract_count, register.voided_count) == (1, 1)
    # a second submission or compilation is refused and changes nothing
    before = (register.submitted_at, register.compiled_at, events_of(register))
    for service in (services.register_submit, services.register_compile):
        with pytest.raises(TransitionNotAllowed):
            service(actor=staff.back_office, period=_last_month())
    register.refresh_from_db()
    assert (register.submitted_at, register.compiled_at, events_of(register)) == before


def test_submitting_without_compiling_first_compiles(staff):
    _draft_last_month(staff)
    register = services.register_submit(actor=staff.back_office, period=_last_month())
    assert (register.contract_count, register.compiled_at is not None) == (1, True)


@pytest.mark.parametrize("which", ["current", "future"])
def test_the_current_or_a_future_month_is_refused(staff, which):
    today = timezone.localdate()
    period = (
        _this_month() if which == "current" else (today.replace(day=28) + datetime.timedelta(days=5)).strftime("%Y%m")
    )
    Deal(staff).draft()
    for service in (services.register_compile, services.register_submit):
        with pytest.raises(InvalidInput) as caught:
            service(actor=staff.back_office, period=period)
        assert list(caught.value.extra["fields"]) == ["period"]
    assert not ContractRegister.objects.exists()


@pytest.mark.parametrize("actor_name", ["sales_a", "manager1", "boss", "finance", "admin"])
def test_only_the_sales_office_compiles_and_submits(staff, actor_name):
    _draft_last_month(staff)
    for service in (services.register_compile, services.register_submit):
        with pytest.raises(Forbidden):
            service(actor=getattr(staff, actor_name), period=_last_month())
    assert not ContractRegister.objects.exists()


# Reading, export, My tasks


@pytest.mark.parametrize("actor_name", ["sales_a", "manager1", "branch_mgr", "finance", "warehouse"])
def test_only_those_who_see_every_contract_read_the_register(staff, actor_name):
    _draft_last_month(staff)
    with pytest.raises(Forbidden):
        register_get_for(user=getattr(staff, actor_name), period=_last_month())
    with pytest.raises(Forbidden):
        register_xlsx(user=getattr(staff, actor_name), period=_last_month())


def test_leadership_reads_the_register_with_its_due_status(staff):
    _draft_last_month(staff)
    due_on = register_due_on(_last_month())
    sheet = register_get_for(user=staff.boss, period=_last_month(), today=due_on + datetime.timedelta(days=1))
    assert (sheet.status, sheet.due_on, len(sheet.rows)) == ("overdue", due_on, 1)


def test_the_register_exports_to_excel_with_chinese_headers(staff):
    kept = _draft_last_month(staff)
    voided = _void(staff, _draft_last_month(staff), "客户取消")
    content = register_xlsx(user=staff.back_office, period=_last_month())
    sheet = load_workbook(BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    with translation.override("zh-hans"):
        assert rows[0] == tuple(str(column.header) for column in register_columns())
    assert [r[0] for r in rows[1:]] == [kept.number, voided.number]
    assert Decimal(str(rows[1][4])) == Decimal("15000.00")
    assert rows[2][-1] == "客户取消"


def test_my_tasks_ask_the_sales_office_for_last_months_register_until_it_is_submitted(staff):
    _draft_last_month(staff)
    tasks = register_tasks(staff.back_office)
    assert [(t.kind, t.number) for t in tasks] == [("register", f"HT{_last_month()}")]
    assert tasks[0].detail == str(STATUS_LABELS[register_status(_last_month(), timezone.localdate())])
    assert register_tasks(staff.sales_a) == [] and register_tasks(staff.manager1) == []
    services.register_submit(actor=staff.back_office, period=_last_month())
    assert register_tasks(staff.back_office) == []


# Concurrency (PostgreSQL)


def _run_together(count: int, work) -> tuple[list, list[BaseException]]:
    barrier = threading.Barrier(count)
    results: list = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            result = work(index)
            with lock:
                results.append(result)
        except BaseException as exc:  # collected and asserted by the test
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_drafts_get_twenty_consecutive_numbers(staff):
    # given twenty issued quotations of different salespeople
    owners = [staff.sales_a, staff.sales_b, staff.sales_c]
    deals = [Deal(staff, owners[i % 3]) for i in range(20)]
    # when twenty threads draft their contracts at the same moment
    numbers, errors = _run_together(20, lambda i: deals[i].draft().number)
    # then twenty distinct, consecutive numbers, and the register has no gap
    assert errors == []
    period = _this_month()
    assert sorted(numbers) == [f"HT{period}{n:04d}" for n in range(1, 21)]
    assert [r.number for r in register_rows(period)] == sorted(numbers)
    assert register_gaps(period) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_drafts_of_one_quotation_make_one_contract(staff):
    deal = Deal(staff)
    numbers, errors = _run_together(5, lambda i: deal.draft().number)
    assert len(numbers) == 1 and len(errors) == 4
    assert all(isinstance(e, TransitionNotAllowed) for e in errors)
    assert Contract.objects.filter(quotation=deal.quotation).count() == 1
    assert register_gaps(_this_month()) == []


def test_a_due_day_in_a_year_without_the_official_arrangement_is_marked_provisional(staff):
    from salesops.deals.selectors.register import register_deadline
    from salesops.org.models import CalendarYear

    assert register_deadline("202611").provisional is False
    assert register_deadline("202612") == register_deadline("202612")  # 2027-01-05, a Tuesday
    assert register_deadline("202612").provisional is True
    CalendarYear.objects.create(year=2027, entered_by=staff.admin)
    assert register_deadline("202612").provisional is False


def test_the_register_pages_say_a_provisional_due_day(staff, web_client):
    from django.urls import reverse

    office = web_client(staff.back_office)
    detail = office.get(reverse("deals:register-detail", args=["202612"]), {"page": 1}).content.decode()
    assert 'data-testid="provisional"' in detail
    detail = office.get(reverse("deals:register-detail", args=["202610"])).content.decode()
    assert 'data-testid="provisional"' not in detail
