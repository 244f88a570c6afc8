"""Sales delivery notes (W4.4, R8): issued by the sales office from an approved requisition (or
from an exchange's return request), never edited once issued. A correction voids the note, its
number kept with the reason, and reissues a new one naming it; both are in the audit trail and
the void counts toward the sales office's R8 figure. The rest of a note that will not ship is
closed short, with the reason, and is open again on its requisition.
"""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from salesops.core import counters
from salesops.core.errors import InvalidInput, TransitionNotAllowed
from salesops.core.policy import require
from salesops.core.selectors import get_in_scope
from salesops.org.models import User
from salesops.workflow.registry import services_taking
from salesops.workflow.services import document_create, transition

from ..models import (
    DeliveryNote,
    DeliveryNoteLine,
    NoteState,
    Requisition,
    RequisitionLine,
    RequisitionState,
    ReturnKind,
    ReturnLine,
    ReturnRequest,
    ReturnState,
)
from ..permissions import OFFICE
from ..workflows import NOTE_FLOW
from .picking import Pick, picked, refuse_first

ISSUABLE = (RequisitionState.APPROVED, RequisitionState.ARCHIVED)
# An exchange's new goods go out once the red note is issued (or received).
EXCHANGEABLE = (ReturnState.RED_ISSUED, ReturnState.DONE)


def _header(source: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """The delivery details: the source's, unless the office gives corrected ones."""
    header = {}
    for name in ("address", "consignee", "consignee_phone"):
        value = fields.get(name)
        header[name] = (value if value is not None else getattr(source, name, "")).strip()
        if not header[name]:
            raise InvalidInput(_("Please correct the errors below."), fields={name: [_("This field is required.")]})
    return header


# Read with the locked source (the lock stays on its own row): the note copies them, and
# ``document_create`` need not prove again that rows just read exist.
HEADER_RELATED = ("owner", "customer")


def _requisition(actor: User, requisition_id: Any) -> Requisition:
    found = get_in_scope(
        Requisition.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related(*HEADER_RELATED, "warehouse"),
        requisition_id,
        missing=_("Goods requisition not found."),
    )
    if found.state not in ISSUABLE:
        raise TransitionNotAllowed(_("Delivery notes are issued from an approved requisition."))
    return found


def _exchange(actor: User, return_id: Any) -> ReturnRequest:
    found = get_in_scope(
        ReturnRequest.objects.visible_to(actor).select_for_update(of=("self",)).select_related(*HEADER_RELATED),
        return_id,
        missing=_("Return request not found."),
    )
    if found.kind != ReturnKind.EXCHANGE or found.state not in EXCHANGEABLE:
        raise TransitionNotAllowed(_("A new delivery note goes out for an exchange once its red note is issued."))
    return found


def _issue(
    actor: User, *, source: Any, picks: Sequence[Pick] | None, fields: dict[str, Any], replaces: Any = None
) -> DeliveryNote:
    """Take the picked quantities from the source's lines and write the note."""
    is_exchange = isinstance(source, ReturnRequest)
    line_model: Any = ReturnLine if is_exchange else RequisitionLine
    source_lines = list(
        line_model.objects.filter(**{"request" if is_exchange else "requisition": source}).select_related(
            "product", *(("outbound_line__outbound",) if is_exchange else ())
        )
    )
    chosen = picked(picks, source_lines, lambda line: line.quantity - line.noted)
    warehouse: dict[str, Any]
    if is_exchange:
        warehouse = {"warehouse_id": fields.get("warehouse_id") or source_lines[0].outbound_line.outbound.warehouse_id}
        header_source = source_lines[0].outbound_line.outbound.note
    else:
        warehouse = {"warehouse": source.warehouse}
        header_source = source
    note = document_create(
        DeliveryNote,
        flow=NOTE_FLOW,
        actor=actor,
        owner=source.owner,
        requisition=None if is_exchange else source,
        return_request=source if is_exchange else None,
        customer=source.customer,
        **warehouse,
        ship_by=None if is_exchange else source.ship_by,
        note=(fields.get("note") or "").strip(),
        issued_by=actor,
        replaces=replaces,
        **_header(header_source, fields),
    )
    refused = counters.take_lines(line_model, [(line.pk, qty) for line, qty in chosen], used="noted", within="quantity")
    if refused:
        raise refuse_first(chosen, refused, counters=["noted"], open_of=lambda line: line.quantity - line.noted)
    link = "return_line" if is_exchange else "requisition_line"
    DeliveryNoteLine.objects.bulk_create(
        [DeliveryNoteLine(note=note, product=line.product, quantity=qty, **{link: line}) for line, qty in chosen]
    )
    return note


@transaction.atomic
def note_issue(
    *,
    actor: User,
    requisition_id: int | None = None,
    return_id: int | None = None,
    lines: Sequence[Pick] | None = None,
    address: str | None = None,
    consignee: str | None = None,
    consignee_phone: str | None = None,
    note: str = "",
) -> DeliveryNote:
    """The office issues a note for ``lines`` of an approved requisition (requisition line id and
    quantity; ``None``: all that is still open), or for an exchange's new goods."""
    require(actor, *OFFICE)
    if (requisition_id is None) == (return_id is None):
        message = _("Issue a note from one approved requisition or one exchange.")
        raise InvalidInput(message, fields={"requisition_id": [message]})
    source = _requisition(actor, requisition_id) if return_id is None else _exchange(actor, return_id)
    fields = {"address": address, "consignee": consignee, "consignee_phone": consignee_phone, "note": note}
    return _issue(actor, source=source, picks=lines, fields=fields)


def _release(note: DeliveryNote, *, open_only: bool) -> None:
    """Give what the note's lines hold back to their source lines (all of it, or the unshipped rest)."""
    for line in DeliveryNoteLine.objects.filter(note=note):
        amount = line.quantity - line.shipped - line.closed if open_only else line.quantity
        if amount <= 0:
            continue
        if line.requisition_line_id is not None:
            counters.give_back(RequisitionLine, line.requisition_line_id, used="noted", amount=amount)
        elif line.return_line_id is not None:
            counters.give_back(ReturnLine, line.return_line_id, used="noted", amount=amount)
        if open_only:
            DeliveryNoteLine.objects.filter(pk=line.pk).update(closed=line.closed + amount)


def _nothing_shipped(note: DeliveryNote) -> None:
    if DeliveryNoteLine.objects.filter(note=note, shipped__gt=0).exists():
        raise TransitionNotAllowed(_("Goods left on this note: it can no longer be voided."))


@transaction.atomic
def note_void(*, note: DeliveryNote, actor: User, reason: str) -> DeliveryNote:
    """Void a note nothing shipped on; its quantities are open again on the requisition."""
    _nothing_shipped(note)
    done = transition(NOTE_FLOW, note, "void", actor=actor, comment=reason, comment_field="reason")
    _release(done, open_only=False)
    return done


@transaction.atomic
def note_reissue(
    *,
    note: DeliveryNote,
    actor: User,
    reason: str,
    lines: Sequence[Pick] | None = None,
    address: str | None = None,
    consignee: str | None = None,
    consignee_phone: str | None = None,
    remark: str | None = None,
) -> DeliveryNote:
    """Correct an issued note (R8): void it with the reason and issue the corrected one, which names it.
    ``lines`` pick from the same source lines (default: the voided note's quantities)."""
    require(actor, *OFFICE)
    _nothing_shipped(note)
    voided = transition(NOTE_FLOW, note, "reissue", actor=actor, comment=reason, comment_field="reason")
    _release(voided, open_only=False)
    old_lines = list(DeliveryNoteLine.objects.filter(note=voided))
    if lines is None:
        lines = [Pick(line.requisition_line_id or line.return_line_id or 0, line.quantity) for line in old_lines]
    source: Any = voided.requisition if voided.requisition_id else voided.return_request
    fields = {
        "address": address if address is not None else voided.address,
        "consignee": consignee if consignee is not None else voided.consignee,
        "consignee_phone": consignee_phone if consignee_phone is not None else voided.consignee_phone,
        "note": remark if remark is not None else voided.note,
        "warehouse_id": voided.warehouse_id,
    }
    return _issue(actor, source=source, picks=lines, fields=fields, replaces=voided)


@transaction.atomic
def note_close(*, note: DeliveryNote, actor: User, reason: str) -> DeliveryNote:
    """What is left of a note will not ship (short shipment): closed with the reason; it is open again
    on the requisition for a later note."""
    done = transition(
        NOTE_FLOW,
        note,
        "close",
        actor=actor,
        comment=reason,
        comment_field="reason",
        values={"close_reason": (reason or "").strip()},
    )
    _release(done, open_only=True)
    return done


def open_note_states() -> tuple[str, ...]:
    return (NoteState.ISSUED, NoteState.PARTLY)


NOTE_SERVICES = services_taking("note", {"void": (note_void, "reason"), "close": (note_close, "reason")})
