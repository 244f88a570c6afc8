"""The order-to-cash benchmark command: whole orders through the services, its figures, and the
statement budget of one order's fulfilment steps."""

import io
import re
from itertools import cycle

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from salesops import cli
from salesops.deals.bench import StatementCounter, StepRecorder, run_deal
from salesops.fulfilment import bench, services
from salesops.fulfilment.models import (
    Confirmation,
    ConfirmationState,
    DeliveryNote,
    NoteState,
    OrderLine,
    Outbound,
    OutboundState,
    Requisition,
    RequisitionState,
)
from salesops.fulfilment.selectors import stock_drift
from salesops.workflow.models import Attachment
from salesops.workflow.registry import ensure_defaults
from salesops.workflow.tests.kit import steps_of

from .helpers import Order, scan, shipment

# SQL statements of one order's fulfilment steps (requisition, submit, approvals, note, outbound,
# confirmation), as the bench counts them on PostgreSQL (on SQLite it counts each transaction's
# BEGIN besides). The issue's goal is 60. A head-office order (W4.3: the
# sales manager approves) meets it; a branch's (W4.2: the branch manager first, one more approval
# and one more routing read) does not yet. Of a branch order's 65 the fulfilment services send 23
# (the rows they copy, the counters, the stock, the lines), the document kernel the rest (numbers,
# audit events, the approval chain, notifications, the scan, the lock each transition takes).
HEAD_OFFICE_BUDGET = 60
BRANCH_BUDGET = 65
# Each service call is one transaction, whose BEGIN and COMMIT the query capture lists too.
HEAD_OFFICE_CALLS = 6
BRANCH_CALLS = 7


def _bench(n: int) -> str:
    out = io.StringIO()
    call_command("bench_o2c", "--orders", str(n), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _figure(output: str, label: str) -> float:
    found = re.search(rf"^{re.escape(label)}\s+([0-9.]+)", output, re.MULTILINE)
    assert found, f"{label!r} missing from:\n{output}"
    return float(found.group(1))


@pytest.mark.django_db
def test_bench_runs_orders_to_the_customers_confirmation_and_reports_the_figures():
    ensure_defaults()  # a transactional test before this one may have flushed the seeded policies

    output = _bench(2)

    assert "2 orders" in output and "database: " in output
    for step in bench.STEP_NAMES:
        assert re.search(rf"^{re.escape(step)}\s+[0-9.]+\s+[0-9.]+\s+[0-9.]+$", output, re.MULTILINE), step
    assert _figure(output, "orders per second") > 0
    assert _figure(output, "SQL statements / order") > _figure(output, "SQL / order, fulfilment steps") > 0
    # every order ended delivered in full and confirmed by the customer, with the signed scan
    outbounds = Outbound.objects.filter(owner__username__startswith="bench_")
    assert outbounds.count() == 2
    assert set(outbounds.values_list("state", flat=True)) == {OutboundState.CONFIRMED}
    confirmations = Confirmation.objects.filter(outbound__in=outbounds)
    assert set(confirmations.values_list("state", flat=True)) == {ConfirmationState.RECORDED}
    scans = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(Confirmation), object_id__in=confirmations.values("pk")
    )
    assert sorted(scans.values_list("mime_type", flat=True)) == ["application/pdf"] * 2
    assert set(DeliveryNote.objects.filter(outbounds__in=outbounds).values_list("state", flat=True)) == {
        NoteState.SHIPPED
    }
    sold = OrderLine.objects.filter(contract__owner__username__startswith="bench_")
    assert sold.count() == 4 and all(line.delivered == line.quantity for line in sold)
    assert stock_drift() == []
    # each requisition went to the branch manager, then to the sales manager (W4.2-4.3)
    for requisition in Requisition.objects.filter(owner__username__startswith="bench_"):
        assert requisition.state == RequisitionState.APPROVED and requisition.approved_at
        assert [s.decided_by.username for s in steps_of(requisition)] == ["bench_branchmgr", "bench_manager"]


@pytest.mark.django_db
def test_a_second_run_reuses_the_staff_and_the_warehouse_and_stocks_up_again():
    ensure_defaults()
    _bench(1)

    output = _bench(1)

    assert "reused" in output
    assert Outbound.objects.filter(state=OutboundState.CONFIRMED).count() == 2
    assert stock_drift() == []


def test_cli_forwards_bench_o2c(monkeypatch):
    calls = []
    monkeypatch.setattr(cli, "_setup", lambda demo=False: None)
    monkeypatch.setattr(cli, "_check_database", lambda: None)
    monkeypatch.setattr(cli, "_manage", lambda *args: calls.append(args))
    monkeypatch.delenv("DATABASE_URL", raising=False)

    cli.bench(["o2c", "--orders", "5", "--database-url", "sqlite:////tmp/x.sqlite3"])

    assert calls == [("bench_o2c", "--orders", "5")]


@pytest.mark.django_db(transaction=True)
def test_the_fulfilment_steps_of_a_branch_order_stay_within_the_statement_budget(django_assert_max_num_queries):
    # given the bench's company, and one order delivered before (numbers of the month drawn, the
    # kernel's caches warm), as on any working day
    ensure_defaults()
    setup = bench.ensure_o2c_setup()
    bench.stock_up(setup, 2)
    result = bench.O2CResult(0, 0.0, 0, "", "", "", False, {s: [] for s in bench.STEP_NAMES})
    result.step_statements = dict.fromkeys(bench.STEP_NAMES, 0)
    counter = StatementCounter()
    steps = StepRecorder(result, counter)
    bench.deliver(run_deal(0, setup.deals, steps, counter), setup, steps, counter)
    contract = run_deal(0, setup.deals, steps, counter)
    # the approvers as the chain names them, known beforehand so that finding them is not counted
    approvers = cycle([setup.deals.branch_manager, setup.deals.manager])

    # when the next order is delivered, then its fulfilment steps stay within the budget
    with django_assert_max_num_queries(BRANCH_BUDGET + 2 * BRANCH_CALLS):
        confirmation = bench.deliver(contract, setup, steps, counter, decide=lambda doc, _setup: next(approvers))

    assert Outbound.objects.get(pk=confirmation.outbound_id).state == OutboundState.CONFIRMED


def _deliver_at_head_office(order: Order) -> None:
    requisition = services.requisition_submit(requisition=order.requisition(), actor=order.owner)
    requisition = services.requisition_approve(requisition=requisition, actor=order.staff.manager1)
    note = services.note_issue(actor=order.staff.back_office, requisition_id=requisition.pk)
    outbound = services.outbound_book(actor=order.staff.warehouse, note_id=note.pk, shipment=shipment())
    services.confirmation_record(
        actor=order.owner,
        outbound_id=outbound.pk,
        signed_by="王经理",
        signed_on=timezone.localdate(),
        sign_kind="stamp",
        scan=scan(),
    )


@pytest.mark.django_db(transaction=True)
def test_the_fulfilment_steps_of_a_head_office_order_stay_within_60_statements(staff, django_assert_max_num_queries):
    # given a head-office salesperson's signed contract, one delivered before it (numbers drawn)
    _deliver_at_head_office(Order(staff))
    order = Order(staff)

    # when it is delivered, then within the issue's goal
    with django_assert_max_num_queries(HEAD_OFFICE_BUDGET + 2 * HEAD_OFFICE_CALLS):
        _deliver_at_head_office(order)

    assert Outbound.objects.filter(note__requisition__contract=order.contract, state=OutboundState.CONFIRMED).exists()
