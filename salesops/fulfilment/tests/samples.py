"""Sample delivery documents for the kernel's generated tests (``workflow/tests/kit.py``), each made
through the services for ``owner``'s own signed contract: a requisition and a return request just
before their chains start, a shipment delay as a draft, and the documents without a chain (the
delivery note, outbound, confirmation and red note) as issued."""

from django.utils import timezone

from salesops.fulfilment import services
from salesops.fulfilment.services import Pick
from salesops.workflow.tests.kit import Sample

from .helpers import Order, verified_return


def requisition(staff, owner) -> Sample:
    return Sample(Order(staff, owner).requisition(), "submit", owner)


def note(staff, owner) -> Sample:
    return Sample(Order(staff, owner).note(), "", staff.back_office)


def outbound(staff, owner) -> Sample:
    return Sample(Order(staff, owner).outbound(), "", staff.warehouse)


def confirmation(staff, owner) -> Sample:
    return Sample(Order(staff, owner).confirmation(), "", staff.back_office)


def return_request(staff, owner) -> Sample:
    order = Order(staff, owner)
    line = order.outbound().lines.order_by("pk").first()
    found = services.return_create(
        actor=owner, customer_id=order.customer.pk, kind="return", reason="规格不符", lines=[Pick(line.pk, "1")]
    )
    return Sample(found, "submit", owner)


def red_note(staff, owner) -> Sample:
    order = Order(staff, owner)
    request = verified_return(order, order.outbound(), "1")
    return Sample(services.red_note_issue(actor=staff.back_office, return_id=request.pk), "", staff.back_office)


def shipment_delay(staff, owner) -> Sample:
    order = Order(staff, owner)
    found = services.delay_create(
        actor=owner, contract_id=order.contract.pk, reason="payment_first", ship_on=timezone.localdate()
    )
    return Sample(found, "submit", owner)


SAMPLES = {
    "fulfilment.requisition": requisition,
    "fulfilment.deliverynote": note,
    "fulfilment.outbound": outbound,
    "fulfilment.confirmation": confirmation,
    "fulfilment.returnrequest": return_request,
    "fulfilment.rednote": red_note,
    "fulfilment.shipmentdelay": shipment_delay,
}
