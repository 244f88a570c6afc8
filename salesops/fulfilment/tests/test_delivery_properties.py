"""A property test over random receipts, adjustments, partial outbounds and returns against one
contract's delivery note: whatever the order and whatever is refused, on-hand equals the sum of
the ledger and is never negative, and every line's counters stay in order (returned <= delivered
<= requested <= sold; on each shipped line, returned <= claimed <= shipped) (issue 9)."""

from decimal import Decimal

import pytest
from django.db.models import F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesops.core.errors import ApplicationError
from salesops.fulfilment import services
from salesops.fulfilment.models import (
    DeliveryNoteLine,
    OrderLine,
    OutboundLine,
    RedNote,
    StockLevel,
)
from salesops.fulfilment.selectors import stock_drift
from salesops.fulfilment.services import Pick
from salesops.workflow.registry import act_on

from .helpers import Order, decide_all, shipment

pytestmark = pytest.mark.django_db

OPERATION = st.one_of(
    st.tuples(st.just("receipt"), st.integers(0, 1), st.integers(1, 6)),
    st.tuples(st.just("adjust"), st.integers(0, 1), st.integers(-4, 4).filter(bool)),
    st.tuples(st.just("ship"), st.integers(0, 1), st.integers(1, 6)),
    st.tuples(st.just("return"), st.integers(0, 3), st.integers(1, 4)),
)


def _return(order: Order, pick: int, quantity: int) -> None:
    shipped = list(OutboundLine.objects.order_by("pk"))
    if not shipped:
        return
    line = shipped[pick % len(shipped)]
    request = services.return_create(
        actor=order.owner, customer_id=order.customer.pk, kind="return", reason="质量", lines=[Pick(line.pk, quantity)]
    )
    request = decide_all(act_on(request, "submit", actor=order.owner), "confirmed")
    request = services.return_check(
        request=request, actor=order.owner, checks={rl.pk: (True, True, True) for rl in request.lines.all()}
    )
    request = services.return_verify(request=request, actor=order.staff.technical, passed=True)
    services.return_confirm_red(request=request, actor=order.staff.manager1)
    red = services.red_note_issue(actor=order.staff.back_office, return_id=request.pk)
    act_on(RedNote.objects.get(pk=red.pk), "receive", actor=order.staff.warehouse)


def _apply(order: Order, note, operation: tuple) -> None:
    kind, which, amount = operation
    product = (order.pump, order.valve)[which % 2]
    store = order.warehouse.pk
    if kind == "receipt":
        services.stock_receive(actor=order.staff.warehouse, warehouse_id=store, product_id=product.pk, quantity=amount)
    elif kind == "adjust":
        services.stock_adjust(
            actor=order.staff.warehouse, warehouse_id=store, product_id=product.pk, change=amount, reason="盘点"
        )
    elif kind == "ship":
        line = DeliveryNoteLine.objects.get(note=note, product=product)
        services.outbound_book(
            actor=order.staff.warehouse,
            note_id=note.pk,
            shipment=shipment(),
            lines=[Pick(line.pk, amount)],
            short_reason="分批发货",
        )
    else:
        _return(order, which, amount)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(OPERATION, min_size=1, max_size=10))
def test_stock_and_line_counters_hold_whatever_happens(staff, operations):
    order = Order(staff, stock="0")
    note = order.note()
    for operation in operations:
        try:
            _apply(order, note, operation)
        except ApplicationError:
            pass  # a refusal changes nothing: the invariants below still hold
        assert not StockLevel.objects.filter(quantity__lt=0).exists()
        assert not OrderLine.objects.exclude(
            returned__lte=F("delivered"), delivered__lte=F("requested"), requested__lte=F("quantity")
        ).exists()
        assert not OutboundLine.objects.exclude(returned__lte=F("claimed"), claimed__lte=F("quantity")).exists()
    assert stock_drift() == []
    shipped = sum(OutboundLine.objects.values_list("quantity", flat=True), Decimal(0))
    delivered = sum(OrderLine.objects.values_list("delivered", flat=True), Decimal(0))
    assert shipped == delivered
