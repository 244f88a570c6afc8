"""The whole order-to-cash bench: every order ends invoiced, paid and allocated, and the report names
the money steps and the whole order against the issue's goal."""

import io
import re

import pytest
from django.core.management import call_command

from salesops.receivables import bench
from salesops.receivables.models import Allocation, InvoiceBalance, InvoiceRequest, InvoiceRequestState, Receipt
from salesops.workflow.registry import ensure_defaults


@pytest.mark.django_db
def test_bench_runs_orders_to_the_payment_allocated_and_reports_the_money_steps():
    ensure_defaults()
    out = io.StringIO()
    call_command("bench_o2c", "--orders", "2", stdout=out, stderr=io.StringIO())
    output = out.getvalue()
    for step in bench.CASH_STEP_NAMES:
        assert re.search(rf"^{re.escape(step)}\s+[0-9.]+\s+[0-9.]+\s+[0-9.]+$", output, re.MULTILINE), step
    assert re.search(r"^SQL / order, whole order\s+[0-9.]+\s+\(goal: at most 150\)$", output, re.MULTILINE)
    requests = InvoiceRequest.objects.filter(owner__username__startswith="bench_")
    assert requests.count() == 2 and set(requests.values_list("state", flat=True)) == {InvoiceRequestState.INVOICED}
    balances = InvoiceBalance.objects.filter(invoice__request__in=requests)
    assert balances.count() == 2 and all(b.open_amount == 0 and b.allocated == b.total for b in balances)
    receipts = Receipt.objects.filter(recorded_by__username="bench_finance")
    assert receipts.count() == 2
    assert Allocation.objects.active().filter(receipt__in=receipts).count() == 2
    # a second run continues the invoice numbers
    call_command("bench_o2c", "--orders", "1", stdout=io.StringIO(), stderr=io.StringIO())
    assert InvoiceBalance.objects.filter(invoice__request__owner__username__startswith="bench_").count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_whole_order_stays_within_150_statements_on_either_database():
    # given the bench's staff made and an order run before (numbers and rows drawn)
    ensure_defaults()
    bench.run_full_o2c(1)
    # when one more order runs from the inquiry to the payment allocated
    result = bench.run_full_o2c(1)
    # then its statements (transaction control counted apart) are within the goal
    assert result.orders == 1 and 0 < result.statements <= bench.GOAL
    assert result.statements == sum(result.step_statements.values())
