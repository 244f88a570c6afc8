"""Ageing of open invoice amounts (账龄) at the buckets' boundaries, per customer and in total, and
the dunning list (催款) built on the same overdue amounts (W5.1)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from salesops.receivables import services
from salesops.receivables.models import PaymentRequestState
from salesops.receivables.selectors.ageing import BUCKET_KEYS, ageing, ageing_chart_option, bucket_of
from salesops.receivables.selectors.dunning import dunning_groups, dunning_list

from .helpers import Sale

pytestmark = pytest.mark.django_db

D = Decimal
DAY = datetime.timedelta(days=1)

BOUNDARIES = [
    (0, "not_due"),
    (1, "days_1_30"),
    (30, "days_1_30"),
    (31, "days_31_60"),
    (60, "days_31_60"),
    (61, "days_61_90"),
    (90, "days_61_90"),
    (91, "over_90"),
]


@pytest.mark.parametrize(("days", "bucket"), [*BOUNDARIES, (-5, "not_due"), (400, "over_90")])
def test_each_number_of_days_past_due_falls_in_one_bucket(days, bucket):
    assert bucket_of(days) == bucket


def test_an_open_amount_moves_through_the_buckets_on_their_boundary_days(staff):
    # given an invoice of 1,000.00 due today (payment on delivery), 400.00 of it paid
    sale = Sale(staff)
    invoice = sale.invoice(sale.approved_invoice_request(lines=[(0, "1")]))
    sale.receipt("400.00")
    assert invoice.due_on == timezone.localdate()
    for days, bucket in BOUNDARIES:
        # when the ageing is read ``days`` after the due date
        report = ageing(user=staff.finance, today=invoice.due_on + days * DAY)
        # then the 600.00 still open is in that bucket alone, for the customer and in total
        (row,) = report.rows
        expected = {key: D("600.00") if key == bucket else D("0.00") for key in BUCKET_KEYS}
        assert (row.customer, row.amounts) == (sale.customer, expected), days
        assert report.totals.amounts == expected
        assert row.overdue == (D("0.00") if bucket == "not_due" else D("600.00"))


def test_ageing_is_per_customer_and_in_total_for_the_customers_the_reader_sees(staff):
    # given sales_a's customer owing 1,000.00 due today and sales_c's (the branch) owing 1,500.00
    ours = Sale(staff)
    ours.invoice(ours.approved_invoice_request(lines=[(0, "1")]))
    theirs = Sale(staff, owner=staff.sales_c)
    theirs.invoice(theirs.approved_invoice_request(lines=[(1, "3")]))
    later = timezone.localdate() + 45 * DAY
    # when finance reads it 45 days on: both customers, the total adds them up
    report = ageing(user=staff.finance, today=later)
    assert {row.customer: row.amounts["days_31_60"] for row in report.rows} == {
        ours.customer: D("1000.00"),
        theirs.customer: D("1500.00"),
    }
    assert report.totals.amounts["days_31_60"] == D("2500.00") and report.totals.total == D("2500.00")
    # and the chart shows the buckets' totals
    chart = ageing_chart_option(report)
    assert chart["series"][0]["data"][2]["value"] == "2500.00"
    # then a salesperson and a manager see their own customers only
    assert [row.customer for row in ageing(user=staff.sales_a, today=later).rows] == [ours.customer]
    assert [row.customer for row in ageing(user=staff.manager2, today=later).rows] == [theirs.customer]
    assert [row.customer for row in ageing(user=staff.branch_mgr, today=later).rows] == [theirs.customer]
    assert ageing(user=staff.sales_b, today=later).rows == []
    # and finance may narrow it to a salesperson or a branch
    assert [r.customer for r in ageing(user=staff.finance, today=later, salesperson_id=staff.sales_c.pk).rows] == [
        theirs.customer
    ]
    assert [r.customer for r in ageing(user=staff.finance, today=later, branch_id=staff.head_office.pk).rows] == [
        ours.customer
    ]


def test_a_paid_invoice_is_not_aged(staff):
    sale = Sale(staff)
    invoice = sale.invoice(sale.approved_invoice_request(lines=[(0, "1")]))
    sale.receipt(str(invoice.total_amount))
    assert ageing(user=staff.finance, today=timezone.localdate() + 100 * DAY).rows == []


def test_the_dunning_list_gives_overdue_invoices_oldest_first_with_the_last_payment_request(staff):
    # given two invoices of sales_a's customer, the first asked for on a payment request sent by e-mail
    sale = Sale(staff)
    first = sale.invoice(sale.approved_invoice_request(lines=[(0, "2")]))
    second = sale.invoice(sale.approved_invoice_request(lines=[(1, "2")]))
    request = sale.payment_request(first)
    services.payment_request_send(request=request, actor=sale.owner, method="email", sent_to="cw@example.cn")
    sale.receipt("300.00", allocate=[services.Target(amount="300.00", invoice_id=second.pk)])
    # and an invoice of sales_b's customer
    other = Sale(staff, owner=staff.sales_b)
    other.invoice(other.approved_invoice_request(lines=[(0, "1")]))
    in_ten_days = timezone.localdate() + 10 * DAY
    # when sales_a reads their dunning list ten days after the due dates
    rows = dunning_list(user=staff.sales_a, today=in_ten_days)
    # then their two invoices, with what is open, the days overdue and the last request asked for each
    assert [(r.invoice, r.open, r.days_overdue) for r in rows] == [
        (first, D("2000.00"), 10),
        (second, D("700.00"), 10),
    ]
    assert (rows[0].request_number, rows[0].request_state) == (request.number, PaymentRequestState.SENT)
    assert rows[0].request_sent_at is not None
    assert (rows[1].request_number, rows[1].request_sent_at) == ("", None)
    # and nothing is overdue on the due date itself
    assert dunning_list(user=staff.sales_a) == []
    # when their manager reads it: grouped by salesperson, each group with its total
    groups = dunning_groups(dunning_list(user=staff.manager1, today=in_ten_days))
    assert [(g["salesperson"], len(g["rows"]), g["total"]) for g in groups] == [
        (staff.sales_a, 2, D("2700.00")),
        (staff.sales_b, 1, D("1000.00")),
    ]
    # and another department's manager sees none of them
    assert dunning_list(user=staff.manager2, today=in_ten_days) == []
