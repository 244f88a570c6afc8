"""The warehouse's outbound (W4.5) and the customer's signed confirmation (W4.6).

An outbound takes its lines out of stock and off the note in one transaction: never more than the
note has open, never below zero on hand; shipping less leaves the rest open on the note and needs
the reason. A confirmation needs the signed scan; a discrepancy (short, damaged) opens a follow-up
for the salesperson, closed by a return request or a written resolution.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core import counters
from salesops.core.errors import InvalidInput, TransitionNotAllowed
from salesops.core.policy import require
from salesops.core.selectors import get_in_scope
from salesops.org.models import User
from salesops.workflow.attachments import attachment_add, scan_problems
from salesops.workflow.registry import services_taking
from salesops.workflow.services import document_create, events_together, transition, versioned_write

from ..models import (
    Confirmation,
    ConfirmationLine,
    DeliveryNote,
    DeliveryNoteLine,
    MoveKind,
    OrderLine,
    Outbound,
    OutboundLine,
    OutboundState,
    ShippingMethod,
)
from ..permissions import CONFIRMERS, WAREHOUSE
from ..workflows import CONFIRMATION_FLOW, NOTE_FLOW, OUTBOUND_FLOW
from .picking import Pick, picked, refuse_first
from .stock import StockLine, checked_quantity, stock_take_within

MAX_TRACKING = 20


@dataclass(frozen=True)
class Shipment:
    """How the goods leave (W4.5)."""

    method: str
    consignee_phone: str
    freight_payer: str
    shipped_on: datetime.date | None = None
    carrier: str = ""
    tracking_numbers: Sequence[str] = ()
    vehicle: str = ""
    driver: str = ""
    packages: int = 1
    weight_kg: Decimal | None = None


def _shipment_fields(shipment: Shipment) -> dict[str, Any]:
    """The shipment's fields, each required one named when missing: a courier or carrier needs the
    carrier and a tracking number, the company's own car its vehicle and driver."""
    errors: dict[str, list[str]] = {}
    required = _("This field is required.")
    tracking = [str(n).strip() for n in shipment.tracking_numbers or () if str(n).strip()]
    if len(tracking) > MAX_TRACKING or any(len(n) > 40 for n in tracking):
        errors["tracking_numbers"] = [_("At most 20 numbers of up to 40 characters.")]
    if shipment.method in (ShippingMethod.EXPRESS, ShippingMethod.FREIGHT):
        if not shipment.carrier.strip():
            errors["carrier"] = [required]
        if not tracking:
            errors["tracking_numbers"] = [_("Give at least one tracking number.")]
    if shipment.method == ShippingMethod.COMPANY_VEHICLE:
        for name in ("vehicle", "driver"):
            if not getattr(shipment, name).strip():
                errors[name] = [required]
    if not isinstance(shipment.packages, int) or not 1 <= shipment.packages <= 100000:
        errors["packages"] = [_("Between 1 and 100000.")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    return {
        "method": shipment.method,
        "carrier": shipment.carrier.strip(),
        "tracking_numbers": tracking,
        "consignee_phone": shipment.consignee_phone.strip(),
        "vehicle": shipment.vehicle.strip(),
        "driver": shipment.driver.strip(),
        "freight_payer": shipment.freight_payer,
        "packages": shipment.packages,
        "weight_kg": shipment.weight_kg,
        "shipped_on": shipment.shipped_on or timezone.localdate(),
    }


@transaction.atomic
@events_together()
def outbound_book(
    *,
    actor: User,
    note_id: int,
    shipment: Shipment,
    lines: Sequence[Pick] | None = None,
    short_reason: str = "",
) -> Outbound:
    """The warehouse books what left against a note (note line id and quantity; ``None``: all that
    is open). Stock is taken in product order; a line above the note or above on-hand refuses the
    whole outbound, naming it."""
    require(actor, *WAREHOUSE)
    note = get_in_scope(
        # What the outbound copies comes with the note; the lock stays on the note's own row.
        DeliveryNote.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("owner", "customer", "warehouse"),
        note_id,
        missing=_("Delivery note not found."),
    )
    if note.state not in NOTE_FLOW.transitions["ship_all"].sources:
        raise TransitionNotAllowed(_("This note has nothing left to ship."))
    note_lines = list(
        DeliveryNoteLine.objects.filter(note=note).select_related("product", "requisition_line").order_by("pk")
    )
    chosen = picked(lines, note_lines, lambda line: line.open_quantity)
    all_of_it = {line.pk: qty for line, qty in chosen} == {
        line.pk: line.open_quantity for line in note_lines if line.open_quantity > 0
    }
    if not all_of_it and not short_reason.strip():
        message = _("Less than the note leaves the rest open: say why.")
        raise InvalidInput(message, fields={"short_reason": [message]})
    fields = _shipment_fields(shipment)
    # R7 and the unconfirmed list count from this day: a day still to come is no shipment.
    if fields["shipped_on"] > timezone.localdate():
        message = _("Not in the future.")
        raise InvalidInput(message, fields={"shipped_on": [message]})
    outbound = document_create(
        Outbound,
        flow=OUTBOUND_FLOW,
        actor=actor,
        owner=note.owner,
        note=note,
        customer=note.customer,
        warehouse=note.warehouse,
        short_reason=short_reason.strip(),
        booked_by=actor,
        **fields,
    )
    refused = counters.take_lines(
        DeliveryNoteLine,
        [(line.pk, quantity) for line, quantity in chosen],
        used="shipped",
        within="quantity",
        minus=("closed",),
    )
    if refused:
        raise refuse_first(chosen, refused, counters=["shipped", "closed"], open_of=lambda line: line.open_quantity)
    # delivered <= requested holds: the requisition took it from the sold line first.
    owed = [(line.requisition_line.order_line_id, qty) for line, qty in chosen if line.requisition_line_id]
    if counters.take_lines(OrderLine, owed, used="delivered", within="requested"):
        raise TransitionNotAllowed(_("The quantities changed meanwhile: reload the document and try again."))
    kind = MoveKind.EXCHANGE if note.return_request_id else MoveKind.OUTBOUND
    stock_take_within(
        [StockLine(line.product, note.warehouse, quantity) for line, quantity in chosen],
        kind=kind,
        actor=actor,
        document_number=outbound.number,
    )
    OutboundLine.objects.bulk_create(
        [OutboundLine(outbound=outbound, note_line=line, product=line.product, quantity=qty) for line, qty in chosen]
    )
    rest = sum((line.open_quantity for line in note_lines), Decimal(0)) - sum((q for _l, q in chosen), Decimal(0))
    transition(NOTE_FLOW, note, "ship_all" if rest <= 0 else "ship_part", actor=actor, comment=outbound.number)
    return outbound


@dataclass(frozen=True)
class Discrepancy:
    outbound_line_id: int
    short: Any = 0
    damaged: Any = 0
    remark: str = ""


def _discrepancies(outbound: Outbound, found: Sequence[Discrepancy]) -> list[ConfirmationLine]:
    if not found:
        return []
    lines = {line.pk: line for line in OutboundLine.objects.filter(outbound=outbound).select_related("product")}
    errors: dict[str, list[str]] = {}
    rows = []
    for index, item in enumerate(found):
        where = f"discrepancies.{index}"
        line = lines.get(item.outbound_line_id) if isinstance(item.outbound_line_id, int) else None
        if line is None:
            errors[f"{where}.outbound_line_id"] = [_("Choose a line of this outbound.")]
            continue
        try:
            short = (
                checked_quantity(item.short or 0, line.product, field=f"{where}.short", positive=False)
                if item.short
                else Decimal(0)
            )
            damaged = (
                checked_quantity(item.damaged or 0, line.product, field=f"{where}.damaged", positive=False)
                if item.damaged
                else Decimal(0)
            )
        except InvalidInput as exc:
            errors.update(exc.extra.get("fields", {}))
            continue
        if short < 0 or damaged < 0 or short + damaged > line.quantity or short + damaged == 0:
            errors[f"{where}.short"] = [
                _("Short and damaged together: above zero and at most %(shipped)s.")
                % {"shipped": f"{line.quantity.normalize():f}"}
            ]
            continue
        rows.append(
            ConfirmationLine(
                outbound_line=line, product=line.product, short=short, damaged=damaged, remark=item.remark.strip()[:300]
            )
        )
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    return rows


@transaction.atomic
@events_together()
def confirmation_record(
    *,
    actor: User,
    outbound_id: int,
    signed_by: str,
    signed_on: datetime.date,
    sign_kind: str,
    scan: UploadedFile | None,
    discrepancies: Sequence[Discrepancy] = (),
) -> Confirmation:
    """Record the customer's signed confirmation of an outbound, with the signed scan (required)."""
    require(actor, *CONFIRMERS)
    outbound = get_in_scope(
        Outbound.objects.visible_to(actor).select_for_update(of=("self",)).select_related("owner", "customer"),
        outbound_id,
        missing=_("Outbound not found."),
    )
    if outbound.state != OutboundState.SHIPPED:
        raise TransitionNotAllowed(_("This outbound's confirmation is already recorded."))
    problems = scan_problems(scan, missing=_("Attach the signed confirmation (a scan or a photo)."))
    if problems or scan is None:  # named as the form's field, before anything is written
        raise InvalidInput(problems[0], fields={"scan": problems})
    if signed_on and signed_on > timezone.localdate():
        raise InvalidInput(_("Please correct the errors below."), fields={"signed_on": [_("Not in the future.")]})
    rows = _discrepancies(outbound, discrepancies)
    confirmation = document_create(
        Confirmation,
        flow=CONFIRMATION_FLOW,
        actor=actor,
        owner=outbound.owner,
        outbound=outbound,
        customer=outbound.customer,
        signed_by=(signed_by or "").strip(),
        signed_on=signed_on,
        sign_kind=sign_kind,
        has_discrepancies=bool(rows),
        follow_up_open=bool(rows),
    )
    for row in rows:
        row.confirmation = confirmation
    ConfirmationLine.objects.bulk_create(rows)
    attachment_add(confirmation, actor=actor, upload=scan, in_scope=True)
    transition(OUTBOUND_FLOW, outbound, "confirm", actor=actor, comment=confirmation.number)
    return confirmation


def confirmation_archive(*, confirmation: Confirmation, actor: User, comment: str = "") -> Confirmation:
    return transition(
        CONFIRMATION_FLOW, confirmation, "archive", actor=actor, comment=comment, values={"archived_at": timezone.now()}
    )


@transaction.atomic
def confirmation_resolve(*, confirmation: Confirmation, actor: User, resolution: str) -> Confirmation:
    """Close a confirmation's follow-up with what was done (a short shipment re-sent, a claim agreed)."""
    require(actor, *CONFIRMERS)
    current = get_in_scope(
        Confirmation.objects.visible_to(actor).select_for_update(of=("self",)),
        confirmation.pk,
        missing=_("Customer confirmation not found."),
    )
    if not current.follow_up_open:
        raise TransitionNotAllowed(_("This confirmation has no open follow-up."))
    if not (resolution or "").strip():
        raise InvalidInput(_("Please give a reason."), fields={"resolution": [_("This field is required.")]})
    return versioned_write(
        current,
        {"follow_up_open": False, "follow_up": resolution.strip()},
        actor=actor,
        version=current.version,
        stale=_("Somebody else saved this document first; reload it and edit again."),
    )


CONFIRMATION_SERVICES = services_taking("confirmation", {"archive": confirmation_archive})
