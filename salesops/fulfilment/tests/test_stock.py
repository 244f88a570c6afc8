"""Stock (issue 9 item 1): receipts, adjustments with a reason, takes that never go below zero and
leave nothing behind when refused, the ledger that always sums to on-hand, and who may do what."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from salesops.catalog.tests.factories import ProductFactory, WarehouseFactory
from salesops.core.errors import Forbidden, InvalidInput
from salesops.fulfilment import services
from salesops.fulfilment.deadlines import ship_by
from salesops.fulfilment.models import StockLevel, StockMove
from salesops.fulfilment.selectors import stock_drift
from salesops.fulfilment.services import StockLine, stock_put, stock_take

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def goods(staff):
    return {
        "pump": ProductFactory(name="水泵", unit="台"),
        "wire": ProductFactory(name="钢丝", unit="kg"),
        "store": WarehouseFactory(branch=staff.head_office, name="总部仓库"),
    }


def on_hand(product, warehouse) -> Decimal:
    return StockLevel.objects.get(product=product, warehouse=warehouse).quantity


def test_a_receipt_and_an_adjustment_are_in_the_ledger_and_the_ledger_sums_to_on_hand(staff, goods):
    services.stock_receive(
        actor=staff.warehouse, warehouse_id=goods["store"].pk, product_id=goods["pump"].pk, quantity=5
    )
    move = services.stock_adjust(
        actor=staff.warehouse, warehouse_id=goods["store"].pk, product_id=goods["pump"].pk, change=-2, reason="盘点短少"
    )

    assert on_hand(goods["pump"], goods["store"]) == 3
    assert (move.kind, move.quantity, move.balance, move.reason) == ("adjustment", -2, 3, "盘点短少")
    assert stock_drift() == []


def test_a_take_of_more_than_on_hand_is_refused_and_changes_nothing(staff, goods):
    store, pump, wire = goods["store"], goods["pump"], goods["wire"]
    stock_put(
        [StockLine(pump, store, Decimal(3)), StockLine(wire, store, Decimal("10.5"))],
        kind="receipt",
        actor=staff.warehouse,
    )

    with pytest.raises(InvalidInput) as refused:
        stock_take(
            [StockLine(wire, store, Decimal("1.250")), StockLine(pump, store, Decimal(4))],
            kind="outbound",
            actor=staff.warehouse,
            document_number="CK2026120001",
        )

    assert "lines.1.quantity" in refused.value.extra["fields"]  # the pump line, as the caller numbered it
    assert (on_hand(pump, store), on_hand(wire, store)) == (3, Decimal("10.5"))
    assert StockMove.objects.count() == 2  # the receipts only: the wire line went back with the refusal


def test_a_take_of_many_lines_is_one_statement_and_each_line_records_its_own_balance(staff, goods):
    store, pump, wire = goods["store"], goods["pump"], goods["wire"]
    received = [StockLine(pump, store, Decimal(5)), StockLine(wire, store, Decimal("10.5"))]
    stock_put(received, kind="receipt", actor=staff.warehouse)
    lines = [
        StockLine(pump, store, Decimal(2)),
        StockLine(wire, store, Decimal("0.5")),
        StockLine(pump, store, Decimal(1)),
    ]
    with CaptureQueriesContext(connection) as captured:
        moves = stock_take(lines, kind="outbound", actor=staff.warehouse, document_number="CK2026120002")
    updates = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    # The same product twice: its two ledger lines read 3 then 2, as if taken one after the other.
    assert sorted((m.product.name, m.quantity, m.balance) for m in moves) == [
        ("水泵", Decimal(-2), Decimal(3)),
        ("水泵", Decimal(-1), Decimal(2)),
        ("钢丝", Decimal("-0.5"), Decimal("10.0")),
    ]
    assert (on_hand(pump, store), on_hand(wire, store)) == (2, Decimal("10.0"))
    assert stock_drift() == []
    # Three pumps over two lines with two left: refused, naming the line at which they run out.
    too_many = [StockLine(pump, store, Decimal(1)), StockLine(pump, store, Decimal(2))]
    with pytest.raises(InvalidInput) as refused:
        stock_take(too_many, kind="outbound", actor=staff.warehouse)
    assert list(refused.value.extra["fields"]) == ["lines.1.quantity"]
    assert on_hand(pump, store) == 2


def test_an_adjustment_needs_a_reason_and_never_goes_below_zero(staff, goods):
    kwargs = {"actor": staff.warehouse, "warehouse_id": goods["store"].pk, "product_id": goods["pump"].pk}
    with pytest.raises(InvalidInput) as no_reason:
        services.stock_adjust(**kwargs, change=1, reason=" ")
    with pytest.raises(InvalidInput) as below:
        services.stock_adjust(**kwargs, change=-1, reason="损坏")
    assert "reason" in no_reason.value.extra["fields"] and "change" in below.value.extra["fields"]
    assert not StockMove.objects.exists()


def test_quantities_follow_the_units_scale(staff, goods):
    kwargs = {"actor": staff.warehouse, "warehouse_id": goods["store"].pk}
    with pytest.raises(InvalidInput):
        services.stock_receive(**kwargs, product_id=goods["pump"].pk, quantity="1.5")  # 台: whole units
    with pytest.raises(InvalidInput):
        services.stock_receive(**kwargs, product_id=goods["wire"].pk, quantity="0.0001")
    assert services.stock_receive(**kwargs, product_id=goods["wire"].pk, quantity="2.125").balance == Decimal("2.125")


@pytest.mark.parametrize("who", ["sales_a", "back_office", "manager1"])
def test_only_the_warehouse_books_stock(staff, goods, who):
    with pytest.raises(Forbidden):
        services.stock_receive(
            actor=getattr(staff, who), warehouse_id=goods["store"].pk, product_id=goods["pump"].pk, quantity=1
        )


def test_the_nightly_check_reports_a_row_written_around_the_services(staff, goods):
    from salesops.fulfilment.tasks import check_stock

    services.stock_receive(
        actor=staff.warehouse, warehouse_id=goods["store"].pk, product_id=goods["pump"].pk, quantity=5
    )
    assert check_stock() == 0
    StockLevel.objects.filter(product=goods["pump"]).update(quantity=7)

    [drift] = stock_drift()
    assert (drift.on_hand, drift.ledger) == (7, 5)
    assert check_stock() == 1


def test_pages_and_api(staff, goods, web_client, api_client):
    services.stock_receive(
        actor=staff.warehouse, warehouse_id=goods["store"].pk, product_id=goods["pump"].pk, quantity=5
    )

    assert "水泵" in web_client(staff.sales_a).get(reverse("fulfilment:stock-list")).content.decode()
    assert web_client(staff.sales_a).get(reverse("fulfilment:stock-move-list")).status_code == 403
    assert web_client(staff.sales_a).get(reverse("fulfilment:stock-receipt")).status_code == 403
    done = web_client(staff.warehouse).post(
        reverse("fulfilment:stock-receipt"),
        {"warehouse_id": goods["store"].pk, "product_id": goods["pump"].pk, "quantity": "2", "reason": "采购入库"},
    )
    assert done.status_code == 302 and on_hand(goods["pump"], goods["store"]) == 7

    listed = api_client(staff.sales_a).get("/api/fulfilment/stock").json()
    assert [(row["product_name"], row["quantity"]) for row in listed["items"]] == [("水泵", "7.000")]
    refused = api_client(staff.warehouse).post(
        "/api/fulfilment/stock/adjustments",
        {"warehouse_id": goods["store"].pk, "product_id": goods["pump"].pk, "change": "-8", "reason": "盘点"},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "change" in refused.json()["extra"]["fields"]
    assert api_client(staff.sales_a).get("/api/fulfilment/stock/moves").status_code == 403


@pytest.mark.parametrize(
    ("signed", "due"),
    [
        (D(2026, 9, 30), D(2026, 10, 8)),
        (D(2026, 2, 13), D(2026, 2, 14)),  # Friday -> the 调休 Saturday
        (D(2025, 12, 31), D(2026, 1, 4)),  # -> the working Sunday
        (D(2026, 4, 30), D(2026, 5, 6)),
        (D(2026, 10, 9), D(2026, 10, 10)),  # -> the 调休 Saturday
    ],
)
def test_r7_ship_by_is_the_first_working_day_after_signing(signed, due):
    assert ship_by(signed).day == due and not ship_by(signed).provisional


def test_r7_ship_by_over_a_provisional_year_says_so():
    assert ship_by(D(2026, 12, 31)) == ship_by(D(2026, 12, 31))
    assert ship_by(D(2026, 12, 31)).day == D(2027, 1, 4) and ship_by(D(2026, 12, 31)).provisional


def test_tenths_of_a_kilogram_add_up_exactly_on_either_database(staff, goods):
    # given 0.3 kg of wire on hand, put in as 0.1 and 0.2 (not exact in floating point)
    store, wire = goods["store"], goods["wire"]
    stock_put([StockLine(wire, store, Decimal("0.1"))], kind="receipt", actor=staff.warehouse)
    stock_put([StockLine(wire, store, Decimal("0.2"))], kind="receipt", actor=staff.warehouse)
    # when 0.1 and then 0.2 are taken, both fit and nothing is left
    stock_take([StockLine(wire, store, Decimal("0.1"))], kind="outbound", actor=staff.warehouse)
    stock_take([StockLine(wire, store, Decimal("0.2"))], kind="outbound", actor=staff.warehouse)
    assert on_hand(wire, store) == 0
    assert stock_drift() == []


def test_a_counter_of_tenths_takes_exactly_what_is_open(staff, goods):
    from salesops.core import counters
    from salesops.fulfilment.models import OrderLine
    from salesops.fulfilment.tests.helpers import Order

    order = Order(staff)
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                contract=order.contract, source_line_id=0, product=goods["wire"], quantity=Decimal("0.3"), unit_price=1
            )
        ]
    )
    line = OrderLine.objects.get(source_line_id=0)
    assert counters.take(OrderLine, line.pk, used="requested", within="quantity", amount=Decimal("0.1"))
    assert counters.take(OrderLine, line.pk, used="requested", within="quantity", amount=Decimal("0.2"))
    assert not counters.take(OrderLine, line.pk, used="requested", within="quantity", amount=Decimal("0.001"))
    line.refresh_from_db()
    assert line.requested == Decimal("0.3")
