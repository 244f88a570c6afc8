"""The collection rate (收款率, D2) on hand-made periods: due = what was open at the period's start on
invoices due by its end; collected = what was allocated to them in the period. Allocations are
made now (the services stamp them), so periods are placed around today: one ending today, one
wholly to come, one wholly past.

Red invoices are not covered: no service records one yet (they may not be made with the ORM).
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from salesops.core.errors import Forbidden, InvalidInput
from salesops.receivables import services
from salesops.receivables.models import BillCounting, CollectionTarget, PeriodKind, ReceivablesSettings
from salesops.receivables.selectors.collection import (
    BY_BRANCH,
    Period,
    collection_chart_option,
    collection_rate,
    collection_trend,
)
from salesops.receivables.services.targets import collection_target_set, receivables_settings_update
from salesops.workflow.models import DocumentEvent

from .helpers import Sale

pytestmark = pytest.mark.django_db

D = Decimal
DAY = datetime.timedelta(days=1)
_serial = iter(range(900_000_000_000_000, 10**15))


def _invoice(sale: Sale, lines, issued_on: datetime.date):
    """An invoice issued on ``issued_on`` (due the same day: payment on delivery), numbered in its year."""
    number = f"{issued_on.year % 100:02d}372{next(_serial):015d}"
    return sale.invoice(sale.approved_invoice_request(lines=lines), number=number, issued_on=issued_on)


def _today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def period_data(staff):
    """sales_a's customer: X 4,000.00 due 40 days ago, Y 1,500.00 due 5 days ago, Z 1,000.00 due today;
    paid today: 2,500.00 on X (oldest first), 400.00 on Z. sales_c's customer (the branch): W 500.00
    due 2 days ago, paid today in full."""
    today = _today()
    sale = Sale(staff)
    x = _invoice(sale, [(0, "4")], today - 40 * DAY)
    y = _invoice(sale, [(1, "3")], today - 5 * DAY)
    z = _invoice(sale, [(0, "1")], today)
    sale.receipt("2500.00")
    sale.receipt("400.00", allocate=[services.Target(amount="400.00", invoice_id=z.pk)])
    branch_sale = Sale(staff, owner=staff.sales_c)
    _invoice(branch_sale, [(1, "1")], today - 2 * DAY)
    branch_sale.receipt("500.00")
    return {"sale": sale, "x": x, "y": y, "z": z, "branch_sale": branch_sale}


def _rows(report) -> dict:
    return {row.subject: (row.due, row.collected, row.rate) for row in report.rows}


def test_a_period_ending_today_counts_the_arrears_and_what_fell_due_against_what_was_allocated(staff, period_data):
    # given the period from ten days ago to today
    period = Period("", _today() - 10 * DAY, _today())
    # when leadership reads the rate per salesperson
    report = collection_rate(user=staff.boss, period=period)
    # then sales_a: due X 4,000 + Y 1,500 + Z 1,000 = 6,500.00; collected 2,500 + 400 = 2,900.00
    # (44.62 %); sales_c: 500.00 due, 500.00 collected
    assert _rows(report) == {
        staff.sales_a: (D("6500.00"), D("2900.00"), D("0.4462")),
        staff.sales_c: (D("500.00"), D("500.00"), D("1.0000")),
    }
    assert (report.total.due, report.total.collected, report.total.rate) == (D("7000.00"), D("3400.00"), D("0.4857"))
    # and per branch, the same money
    by_branch = collection_rate(user=staff.boss, period=period, by=BY_BRANCH)
    assert _rows(by_branch) == {
        staff.head_office: (D("6500.00"), D("2900.00"), D("0.4462")),
        staff.branch: (D("500.00"), D("500.00"), D("1.0000")),
    }


def test_a_period_to_come_counts_what_is_still_open_at_its_start_and_nothing_collected_yet(staff, period_data):
    period = Period("", _today() + DAY, _today() + 30 * DAY)
    report = collection_rate(user=staff.boss, period=period)
    # X 1,500 + Y 1,500 + Z 600 still open; W paid
    assert _rows(report) == {staff.sales_a: (D("3600.00"), D("0.00"), D("0.0000"))}


def test_a_past_period_counts_only_invoices_issued_and_due_by_its_end(staff, period_data):
    period = Period("", _today() - 60 * DAY, _today() - 30 * DAY)
    report = collection_rate(user=staff.boss, period=period)
    # only X was issued and due by then; nothing was allocated in that period
    assert _rows(report) == {staff.sales_a: (D("4000.00"), D("0.00"), D("0.0000"))}


def test_a_manager_sees_their_team_and_a_salesperson_themselves(staff, period_data):
    period = Period("", _today() - 10 * DAY, _today())
    assert set(_rows(collection_rate(user=staff.manager1, period=period))) == {staff.sales_a}
    assert set(_rows(collection_rate(user=staff.manager2, period=period))) == {staff.sales_c}
    assert set(_rows(collection_rate(user=staff.sales_c, period=period))) == {staff.sales_c}
    assert _rows(collection_rate(user=staff.sales_b, period=period)) == {}
    assert set(_rows(collection_rate(user=staff.finance, period=period))) == {staff.sales_a, staff.sales_c}


def test_a_bill_counts_when_received_or_not_until_its_maturity_is_known(staff):
    # given an invoice of 1,000.00 due today, 400.00 of it paid with a bank acceptance bill
    sale = Sale(staff)
    _invoice(sale, [(0, "1")], _today())
    sale.receipt("400.00", method="bank_bill")
    this_period = Period("", _today() - DAY, _today())
    to_come = Period("", _today() + DAY, _today() + 10 * DAY)
    # when bills count when received (the default): collected now, not due later
    assert ReceivablesSettings.current().bills_count == BillCounting.RECEIVED
    assert _rows(collection_rate(user=staff.finance, period=this_period))[staff.sales_a][:2] == (
        D("1000.00"),
        D("400.00"),
    )
    assert _rows(collection_rate(user=staff.finance, period=to_come))[staff.sales_a][:2] == (D("600.00"), D("0.00"))
    # when the admin says bills count at maturity: the bill is not collected, its invoice stays due
    receivables_settings_update(actor=staff.admin, bills_count=BillCounting.MATURITY)
    report = collection_rate(user=staff.finance, period=this_period)
    assert report.bills_count == BillCounting.MATURITY
    assert _rows(report)[staff.sales_a][:2] == (D("1000.00"), D("0.00"))
    assert _rows(collection_rate(user=staff.finance, period=to_come))[staff.sales_a][:2] == (D("1000.00"), D("0.00"))


def test_only_the_admin_changes_the_settings(staff):
    with pytest.raises(Forbidden):
        receivables_settings_update(actor=staff.finance, bills_count=BillCounting.MATURITY)
    with pytest.raises(InvalidInput):
        receivables_settings_update(actor=staff.admin, bills_count="whenever")
    assert ReceivablesSettings.current().bills_count == BillCounting.RECEIVED
    receivables_settings_update(actor=staff.admin, bills_count=BillCounting.MATURITY)
    event = DocumentEvent.objects.get(content_type=ContentType.objects.get_for_model(ReceivablesSettings))
    assert (event.actor, event.changes) == (staff.admin, {"bills_count": ["received", "maturity"]})


def test_a_target_is_shown_against_the_actual_rate_of_its_period(staff):
    # given an invoice of 1,000.00 due today, 400.00 paid, and a target of 90 % for this month
    sale = Sale(staff)
    _invoice(sale, [(0, "1")], _today())
    sale.receipt("400.00")
    target = collection_target_set(
        actor=staff.manager1,
        salesperson_id=staff.sales_a.pk,
        period_kind=PeriodKind.MONTH,
        period_on=_today(),
        target_percent="90",
    )
    assert (target.period_start, target.target_rate) == (_today().replace(day=1), D("0.9000"))
    # when the manager reads this month's rate
    month = Period.containing(PeriodKind.MONTH, _today())
    (row,) = collection_rate(user=staff.manager1, period=month).rows
    # then 40 % against 90 %: 50 points behind
    assert (row.subject, row.rate, row.target, row.gap) == (staff.sales_a, D("0.4000"), D("0.9000"), D("-0.5000"))
    chart = collection_chart_option(collection_rate(user=staff.manager1, period=month))
    assert chart["series"][0]["data"] == ["40.0"] and chart["series"][1]["data"] == ["90.0"]
    # and another kind of period (the quarter) has no target
    (quarter_row,) = collection_rate(user=staff.manager1, period=month.__class__.containing("quarter", _today())).rows
    assert quarter_row.target is None
    # and the trend ends with this month
    trend = collection_trend(user=staff.manager1, period=month, count=3)
    assert [row.subject for row in trend][-1] == month and trend[-1].rate == D("0.4000")
    assert len(trend) == 3 and trend[0].subject == month.previous().previous()


def test_setting_a_target_again_changes_it_and_each_change_is_audited(staff):
    def set_to(percent):
        return collection_target_set(
            actor=staff.manager1,
            salesperson_id=staff.sales_a.pk,
            period_kind=PeriodKind.QUARTER,
            period_on=datetime.date(2026, 8, 20),
            target_percent=percent,
        )

    first = set_to("85.5")
    second = set_to("92")
    assert first.pk == second.pk and CollectionTarget.objects.count() == 1
    second.refresh_from_db()
    assert (second.period_start, second.target_rate) == (datetime.date(2026, 7, 1), D("0.9200"))
    events = DocumentEvent.objects.filter(content_type=ContentType.objects.get_for_model(CollectionTarget))
    assert [(e.action, e.changes) for e in events.order_by("pk")] == [
        ("create", {"target_rate": [None, "0.8550"]}),
        ("edit", {"target_rate": ["0.8550", "0.9200"]}),
    ]


@pytest.mark.parametrize(
    ("who", "subject", "error"),
    [
        ("sales_a", {"salesperson": "sales_a"}, Forbidden),  # a salesperson sets no target
        ("manager1", {"salesperson": "sales_c"}, InvalidInput),  # another department's salesperson
        ("manager1", {"branch": "branch"}, InvalidInput),  # another branch
        ("manager1", {}, InvalidInput),  # nobody named
        ("manager1", {"salesperson": "sales_a", "branch": "head_office"}, InvalidInput),  # two named
        ("manager1", {"salesperson": "finance"}, InvalidInput),  # not a salesperson
    ],
)
def test_a_target_outside_the_setters_reach_is_refused_and_nothing_is_set(staff, who, subject, error):
    ids = {f"{kind}_id": getattr(staff, name).pk for kind, name in subject.items()}
    with pytest.raises(error):
        collection_target_set(
            actor=getattr(staff, who), period_kind=PeriodKind.MONTH, period_on=_today(), target_percent="90", **ids
        )
    assert not CollectionTarget.objects.exists()
    assert not DocumentEvent.objects.filter(content_type=ContentType.objects.get_for_model(CollectionTarget)).exists()


@pytest.mark.parametrize("percent", ["-1", "100.01", "12.345", "abc", None])
def test_a_target_rate_outside_0_to_100_percent_is_refused(staff, percent):
    with pytest.raises(InvalidInput) as refused:
        collection_target_set(
            actor=staff.admin,
            branch_id=staff.branch.pk,
            period_kind=PeriodKind.YEAR,
            period_on=_today(),
            target_percent=percent,
        )
    assert "target_percent" in refused.value.extra["fields"]
    assert not CollectionTarget.objects.exists()


def test_the_admin_and_a_manager_for_their_own_branch_set_branch_targets(staff):
    collection_target_set(
        actor=staff.admin,
        branch_id=staff.branch.pk,
        period_kind=PeriodKind.YEAR,
        period_on=_today(),
        target_percent="80",
    )
    collection_target_set(
        actor=staff.manager1,
        branch_id=staff.head_office.pk,
        period_kind=PeriodKind.YEAR,
        period_on=_today(),
        target_percent="95",
    )
    assert dict(CollectionTarget.objects.values_list("branch__code", "target_rate")) == {
        "QD": D("0.8000"),
        "HQ": D("0.9500"),
    }


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-02", datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)),
        ("2024-02", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        ("2026-Q4", datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
        ("2026-q1", datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        ("2026", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
    ],
)
def test_periods_are_read_from_their_labels(text, start, end):
    period = Period.parse(text)
    assert (period.start, period.end) == (start, end)
    assert Period.parse(period.label) == period


@pytest.mark.parametrize("text", ["", "2026-13", "2026-Q5", "26-01", "2026-1", "abcd", "2026-00"])
def test_a_period_label_that_is_none_is_refused(text):
    assert Period.parse(text) is None


def test_a_period_before_january_is_last_year_s_december():
    january = Period.parse("2026-01")
    assert january.previous().label == "2025-12"
    assert Period.parse("2026-Q1").previous().label == "2025-Q4"
