"""Stock under concurrency on PostgreSQL: one unit on hand and 50 parallel outbounds of one unit,
twenty times over: exactly one succeeds each time, the others get a clear refusal, on-hand ends at
0 and the ledger sums to it (issue 9, "Tests that must exist")."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from salesops.catalog.tests.factories import ProductFactory, WarehouseFactory
from salesops.core.errors import InvalidInput
from salesops.fulfilment.models import StockLevel, StockMove
from salesops.fulfilment.selectors import stock_drift
from salesops.fulfilment.services import StockLine, stock_put, stock_take

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PARALLEL = 50
ROUNDS = 20


def test_fifty_outbounds_of_the_last_unit_one_succeeds_twenty_times_over(staff):
    store = WarehouseFactory(branch=staff.head_office)
    lock = threading.Lock()
    for _round in range(ROUNDS):
        pump = ProductFactory(unit="台")
        stock_put([StockLine(pump, store, Decimal(1))], kind="receipt", actor=staff.warehouse)
        barrier = threading.Barrier(PARALLEL)
        outcomes: list[str] = []

        def take(pump=pump, barrier=barrier, outcomes=outcomes) -> None:
            try:
                barrier.wait()
                stock_take([StockLine(pump, store, Decimal(1))], kind="outbound", actor=staff.warehouse)
                result = "shipped"
            except InvalidInput:
                result = "refused"
            except Exception as exc:  # anything else is a failure of the test
                result = f"error: {exc!r}"
            finally:
                connection.close()
            with lock:
                outcomes.append(result)

        threads = [threading.Thread(target=take) for _n in range(PARALLEL)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert sorted(set(outcomes)) == ["refused", "shipped"], outcomes
        assert outcomes.count("shipped") == 1
        assert StockLevel.objects.get(product=pump, warehouse=store).quantity == 0
        assert StockMove.objects.filter(product=pump).count() == 2  # the receipt and the one outbound
    assert stock_drift() == []


def _notes_of_one_unit(staff, count: int):
    """``count`` issued delivery notes of one pump each, from one signed contract for that many."""
    from salesops.catalog.tests.factories import ProductFactory as Products
    from salesops.deals.services import contracts as contract_services
    from salesops.deals.tests import contract_factories as cf
    from salesops.fulfilment import services
    from salesops.fulfilment.models import RequisitionState
    from salesops.workflow.registry import act_on

    from .helpers import decide_all

    owner = staff.sales_a
    pump = Products(unit="台", standard_price=Decimal("1000.00"), floor_price=Decimal("1.00"))
    quotation = cf.issued_quotation(owner, cf.customer(staff, owner), [(pump, str(count), "1000.00")])
    draft = contract_services.contract_draft_from_quotation(actor=owner, quotation=quotation)
    contract = contract_services.contract_sign(
        actor=owner, contract=cf.submitted(draft), signed_on=timezone.localdate(), scan=cf.scan()
    )
    store = WarehouseFactory(branch=staff.head_office)
    requisition = services.requisition_create(
        actor=owner,
        contract_id=contract.pk,
        warehouse_id=store.pk,
        address="潍坊市奎文区",
        consignee="王经理",
        consignee_phone="13800000000",
    )
    requisition = decide_all(act_on(requisition, "submit", actor=owner), RequisitionState.APPROVED)
    line = requisition.lines.get()
    notes = [
        services.note_issue(actor=staff.back_office, requisition_id=requisition.pk, lines=[services.Pick(line.pk, 1)])
        for _n in range(count)
    ]
    return pump, store, notes


def test_fifty_outbounds_booked_against_the_last_unit_one_succeeds_twenty_times_over(staff):
    """The same through the warehouse's outbound service: each refused outbound leaves no document,
    no number, no note quantity and no ledger line behind."""
    from salesops.fulfilment import services
    from salesops.fulfilment.models import Outbound

    from .helpers import shipment

    pump, store, notes = _notes_of_one_unit(staff, PARALLEL + ROUNDS - 1)
    lock = threading.Lock()
    for round_ in range(ROUNDS):
        stock_put([StockLine(pump, store, Decimal(1))], kind="receipt", actor=staff.warehouse)
        open_notes = [n for n in notes if not Outbound.objects.filter(note=n).exists()][:PARALLEL]
        barrier = threading.Barrier(PARALLEL)
        outcomes: list[str] = []

        def book(note, barrier=barrier, outcomes=outcomes) -> None:
            try:
                barrier.wait()
                services.outbound_book(actor=staff.warehouse, note_id=note.pk, shipment=shipment())
                result = "shipped"
            except InvalidInput:
                result = "refused"
            except Exception as exc:  # anything else is a failure of the test
                result = f"error: {exc!r}"
            finally:
                connection.close()
            with lock:
                outcomes.append(result)

        threads = [threading.Thread(target=book, args=(note,)) for note in open_notes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert outcomes.count("shipped") == 1 and outcomes.count("refused") == PARALLEL - 1, outcomes
        assert StockLevel.objects.get(product=pump, warehouse=store).quantity == 0
        outbounds = list(Outbound.objects.order_by("number").values_list("number", flat=True))
        # one outbound per round, numbered without a gap: a refused one burned no number
        assert len(outbounds) == round_ + 1
        assert [int(n[-4:]) for n in outbounds] == list(range(1, round_ + 2))
    assert stock_drift() == []
