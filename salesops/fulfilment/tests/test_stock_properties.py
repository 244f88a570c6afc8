"""A property test over random receipts, outbounds, returns and adjustments of a few products in
two warehouses: on-hand always equals the sum of the ledger and is never negative, and a refused
take changes nothing (issue 9)."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesops.catalog.tests.factories import ProductFactory, WarehouseFactory
from salesops.core.errors import InvalidInput
from salesops.fulfilment.models import StockLevel
from salesops.fulfilment.selectors import stock_drift
from salesops.fulfilment.services import StockLine, stock_put, stock_take

pytestmark = pytest.mark.django_db

OPERATION = st.tuples(
    st.sampled_from(["receipt", "return", "outbound", "exchange", "adjustment-in", "adjustment-out"]),
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 1), st.integers(1, 5)), min_size=1, max_size=3),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(OPERATION, min_size=1, max_size=25))
def test_on_hand_equals_the_ledger_and_is_never_negative(staff, operations):
    products = [ProductFactory(unit="件") for _n in range(3)]
    stores = [WarehouseFactory(branch=staff.head_office) for _n in range(2)]
    expected: dict[tuple[int, int], int] = {}
    for kind, raw_lines in operations:
        lines = [StockLine(products[p], stores[w], Decimal(q)) for p, w, q in raw_lines]
        if kind in ("receipt", "return", "adjustment-in"):
            stock_put(lines, kind=kind.split("-")[0], actor=staff.warehouse)
            for p, w, q in raw_lines:
                expected[(p, w)] = expected.get((p, w), 0) + q
            continue
        wanted: dict[tuple[int, int], int] = {}
        for p, w, q in raw_lines:
            wanted[(p, w)] = wanted.get((p, w), 0) + q
        fits = all(expected.get(key, 0) >= n for key, n in wanted.items())
        try:
            stock_take(lines, kind=kind.split("-")[0], actor=staff.warehouse)
        except InvalidInput:
            assert not fits
        else:
            assert fits
            for key, n in wanted.items():
                expected[key] -= n
    for (p, w), n in expected.items():
        level = StockLevel.objects.filter(product=products[p], warehouse=stores[w]).first()
        assert (level.quantity if level else 0) == n >= 0
    assert not StockLevel.objects.filter(quantity__lt=0).exists()
    assert stock_drift() == []
