"""Refusals that change nothing (issue 9): a requisition above what the contract has open, an
outbound above the note, a return above delivered-minus-returned, an outbound by a salesperson,
a confirmation without its scan. Each is refused with the field named, and afterwards no document,
line, counter, stock row, ledger line or number has moved."""

from decimal import Decimal

import pytest

from salesops.core.errors import Forbidden, InvalidInput
from salesops.core.models import NumberSequence
from salesops.fulfilment import models as m
from salesops.fulfilment import services
from salesops.fulfilment.services import Pick
from salesops.workflow.models import DocumentEvent

from .helpers import Order, shipment

pytestmark = pytest.mark.django_db

COUNTED = (
    m.Requisition,
    m.RequisitionLine,
    m.DeliveryNote,
    m.DeliveryNoteLine,
    m.Outbound,
    m.OutboundLine,
    m.Confirmation,
    m.ReturnRequest,
    m.ReturnLine,
    m.StockMove,
    DocumentEvent,
)


def state_of_everything() -> tuple:
    return (
        {model.__name__: model.objects.count() for model in COUNTED},
        sorted(m.OrderLine.objects.values_list("pk", "requested", "delivered", "returned")),
        sorted(m.RequisitionLine.objects.values_list("pk", "noted")),
        sorted(m.DeliveryNoteLine.objects.values_list("pk", "shipped", "closed")),
        sorted(m.OutboundLine.objects.values_list("pk", "claimed", "returned")),
        sorted(m.StockLevel.objects.values_list("pk", "quantity")),
        sorted(NumberSequence.objects.values_list("prefix", "period", "last")),
    )


def refused(error: type[Exception], call) -> Exception:
    before = state_of_everything()
    with pytest.raises(error) as caught:
        call()
    assert state_of_everything() == before
    return caught.value


def test_a_requisition_above_the_contracts_open_quantity_is_refused(staff):
    order = Order(staff)
    order.approved_requisition(lines=[(0, "8")])

    error = refused(InvalidInput, lambda: order.requisition(lines=[(1, "2"), (0, "3")]))
    assert list(error.extra["fields"]) == ["lines.1.quantity"] and "2" in error.extra["fields"]["lines.1.quantity"][0]


def test_a_whole_unit_product_refuses_a_fraction(staff):
    order = Order(staff)
    error = refused(InvalidInput, lambda: order.requisition(lines=[(0, "1.5")]))
    assert list(error.extra["fields"]) == ["lines.0.quantity"]


def test_an_outbound_above_the_note_is_refused(staff):
    order = Order(staff)
    note = order.note(order.approved_requisition(lines=[(0, "4")]))
    line = note.lines.get()

    error = refused(InvalidInput, lambda: order.outbound(note, lines=[Pick(line.pk, "5")]))
    assert list(error.extra["fields"]) == ["lines.0.quantity"] and "4" in error.extra["fields"]["lines.0.quantity"][0]


def test_an_outbound_above_on_hand_is_refused_and_takes_no_stock(staff):
    order = Order(staff, stock="3")
    note = order.note()

    error = refused(InvalidInput, lambda: order.outbound(note))
    assert list(error.extra["fields"]) == ["lines.0.quantity"]


def test_an_outbound_by_a_salesperson_is_refused(staff):
    order = Order(staff)
    note = order.note()

    refused(
        Forbidden, lambda: services.outbound_book(actor=staff.sales_a, note_id=note.pk, shipment=shipment(), lines=None)
    )


def test_less_than_the_note_without_a_reason_is_refused(staff):
    order = Order(staff)
    note = order.note()
    first = note.lines.order_by("pk")[0]

    error = refused(InvalidInput, lambda: order.outbound(note, lines=[Pick(first.pk, "10")]))
    assert list(error.extra["fields"]) == ["short_reason"]


def test_a_courier_shipment_without_a_tracking_number_is_refused(staff):
    order = Order(staff)
    note = order.note()

    def book():
        services.outbound_book(
            actor=staff.warehouse, note_id=note.pk, shipment=shipment(carrier="", tracking_numbers=[])
        )

    error = refused(InvalidInput, book)
    assert set(error.extra["fields"]) == {"carrier", "tracking_numbers"}


def test_a_return_above_delivered_minus_returned_is_refused(staff):
    order = Order(staff)
    outbound = order.outbound(order.note(order.approved_requisition(lines=[(0, "5")])))
    line = outbound.lines.get()
    services.return_create(
        actor=order.owner, customer_id=order.customer.pk, kind="return", reason="包装破损", lines=[Pick(line.pk, "3")]
    )

    def too_much():
        services.return_create(
            actor=order.owner, customer_id=order.customer.pk, kind="return", reason="再退", lines=[Pick(line.pk, "3")]
        )

    error = refused(InvalidInput, too_much)
    assert list(error.extra["fields"]) == ["lines.0.quantity"] and "2" in error.extra["fields"]["lines.0.quantity"][0]


def test_a_confirmation_without_the_signed_scan_is_refused(staff):
    order = Order(staff)
    outbound = order.outbound()

    error = refused(InvalidInput, lambda: order.confirmation(outbound, scan=None))
    assert list(error.extra["fields"]) == ["scan"]


def test_another_salespersons_contract_is_not_found_for_a_requisition(staff):
    from salesops.core.errors import NotFound

    order = Order(staff, staff.sales_a)
    refused(NotFound, lambda: order.requisition(actor=staff.sales_b))


def test_quantities_are_whole_decimal_at_the_units_scale(staff):
    order = Order(staff)
    requisition = order.requisition(lines=[(0, "2")])
    assert requisition.lines.get().quantity == Decimal("2")


def test_a_confirmation_whose_scan_is_an_office_file_is_refused(staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    order = Order(staff)
    outbound = order.outbound()
    sheet = SimpleUploadedFile("签收.xlsx", b"PK\x03\x04" + b"\x00" * 60, content_type="application/vnd.ms-excel")

    error = refused(InvalidInput, lambda: order.confirmation(outbound, scan=sheet))
    assert list(error.extra["fields"]) == ["scan"]


def test_an_outbound_dated_in_the_future_is_refused(staff):
    import datetime

    from django.utils import timezone

    order = Order(staff)
    note = order.note()
    for day in (timezone.localdate() + datetime.timedelta(days=1), timezone.localdate() + datetime.timedelta(days=30)):

        def book(day=day):
            services.outbound_book(actor=staff.warehouse, note_id=note.pk, shipment=shipment(shipped_on=day))

        error = refused(InvalidInput, book)
        assert list(error.extra["fields"]) == ["shipped_on"]


def test_a_requisition_with_a_note_issued_is_not_cancelled(staff):
    from salesops.core.errors import TransitionNotAllowed

    order = Order(staff)
    requisition = order.approved_requisition(lines=[(0, "4")])
    order.note(requisition)

    refused(
        TransitionNotAllowed,
        lambda: services.requisition_cancel(requisition=requisition, actor=staff.sales_a, reason="客户取消"),
    )
