"""Stock under concurrency on PostgreSQL: one unit on hand and 50 parallel outbounds of one unit,
twenty times over: exactly one succeeds each time, the others get a clear refusal, on-hand ends at
0 and the ledger sums to it (issue 9, "Tests that must exist")."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

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
