"""Returns and exchanges (W8): the request claims its quantities from what was delivered
(``claimed <= shipped``) while it is in flight; the manager confirms; the salesperson checks name,
specification and quantity; the technical department verifies (a failure ends the return and
frees the claim); the manager confirms the verified detail in red; the sales office issues the
red sales outbound note; the warehouse receives it, and the returned quantities are written back
to the delivered lines (and, for a return, to the sold lines).
"""

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core import counters
from salesops.core.errors import InvalidInput, TransitionNotAllowed
from salesops.core.policy import require
from salesops.core.selectors import get_in_scope
from salesops.org.models import User
from salesops.workflow.registry import services_taking
from salesops.workflow.services import document_create, transition, versioned_write

from ..models import (
    Confirmation,
    MoveKind,
    OrderLine,
    Outbound,
    OutboundLine,
    RedNote,
    RedNoteLine,
    ReturnKind,
    ReturnLine,
    ReturnRequest,
    ReturnState,
)
from ..permissions import OFFICE, REQUESTERS, WAREHOUSE
from ..workflows import RED_NOTE_FLOW, RETURN_FLOW
from .picking import Pick, picked, refuse_taken
from .stock import StockLine, stock_put


def returnable_lines(*, user: User, customer_id: int) -> list[OutboundLine]:
    """The customer's delivered lines the user sees, with what can still be returned of each."""
    outbounds = Outbound.objects.visible_to(user).filter(customer_id=customer_id)
    return list(
        OutboundLine.objects.filter(outbound__in=outbounds)
        .select_related("product", "outbound")
        .order_by("outbound__shipped_on", "pk")
    )


@transaction.atomic
def return_create(
    *,
    actor: User,
    customer_id: int,
    kind: str,
    reason: str,
    lines: Sequence[Pick],
    confirmation_id: int | None = None,
) -> ReturnRequest:
    """A return or exchange of delivered lines (outbound line id and quantity): never more than was
    delivered minus what is already returned or claimed."""
    require(actor, *REQUESTERS)
    if kind not in ReturnKind.values:
        raise InvalidInput(_("Please correct the errors below."), fields={"kind": [_("Choose return or exchange.")]})
    if not (reason or "").strip():
        raise InvalidInput(_("Please give a reason."), fields={"reason": [_("This field is required.")]})
    confirmation = None
    if confirmation_id is not None:
        confirmation = get_in_scope(
            Confirmation.objects.visible_to(actor).filter(customer_id=customer_id),
            confirmation_id,
            missing=_("Customer confirmation not found."),
        )
    chosen = picked(
        lines, returnable_lines(user=actor, customer_id=customer_id), lambda line: line.quantity - line.claimed
    )
    request = document_create(
        ReturnRequest,
        flow=RETURN_FLOW,
        actor=actor,
        owner=actor,
        customer_id=customer_id,
        kind=kind,
        reason=reason.strip(),
        confirmation=confirmation,
    )
    for index, (line, quantity) in enumerate(chosen):
        if not counters.take(OutboundLine, line.pk, used="claimed", within="quantity", amount=quantity):
            line.refresh_from_db(fields=["claimed"])
            raise refuse_taken(index, line.quantity - line.claimed)
    ReturnLine.objects.bulk_create(
        [ReturnLine(request=request, outbound_line=line, product=line.product, quantity=qty) for line, qty in chosen]
    )
    if confirmation is not None and confirmation.follow_up_open:
        versioned_write(
            confirmation,
            {"follow_up_open": False, "follow_up": _("Return request %(number)s") % {"number": request.number}},
            actor=actor,
            version=confirmation.version,
            stale=_("Somebody else saved this document first; reload it and edit again."),
        )
    return request


def _reopen_follow_up(request: ReturnRequest, actor: User) -> None:
    """A return raised from a confirmation's discrepancy that ends without the goods coming back
    (cancelled, failed) gives the discrepancy back to the salesperson: the follow-up opens again,
    unless another return from it is still under way."""
    confirmation = request.confirmation
    if confirmation is None or confirmation.follow_up_open:
        return
    ended = (ReturnState.CANCELLED, ReturnState.FAILED)
    if ReturnRequest.objects.filter(confirmation=confirmation).exclude(state__in=ended).exists():
        return
    versioned_write(
        confirmation,
        {"follow_up_open": True, "follow_up": ""},
        actor=actor,
        version=confirmation.version,
        stale=_("Somebody else saved this document first; reload it and edit again."),
    )


def _release_claims(request: ReturnRequest) -> None:
    for line in ReturnLine.objects.filter(request=request):
        counters.give_back(OutboundLine, line.outbound_line_id, used="claimed", amount=line.quantity)


def return_submit(*, request: ReturnRequest, actor: User, comment: str = "") -> ReturnRequest:
    return transition(RETURN_FLOW, request, "submit", actor=actor, comment=comment, related=("customer",))


@transaction.atomic
def return_cancel(*, request: ReturnRequest, actor: User, reason: str) -> ReturnRequest:
    done = transition(RETURN_FLOW, request, "cancel", actor=actor, comment=reason, comment_field="reason")
    _release_claims(done)
    _reopen_follow_up(done, actor)
    return done


@transaction.atomic
def return_check(
    *, request: ReturnRequest, actor: User, checks: Mapping[int, tuple[bool, bool, bool]], comment: str = ""
) -> ReturnRequest:
    """W8.2: the salesperson records, per return line, whether name, specification and quantity match
    the delivered goods. Every line must be checked; a mismatch stops here (correct or cancel it)."""
    lines = list(ReturnLine.objects.filter(request=request))
    missing = [line for line in lines if line.pk not in checks]
    if missing:
        raise InvalidInput(_("Check every line."), fields={"checks": [_("Check every line.")]})
    if not all(all(checks[line.pk]) for line in lines):
        message = _("The goods do not match what was delivered: cancel this request or correct it first.")
        raise InvalidInput(message, fields={"checks": [message]})
    done = transition(
        RETURN_FLOW, request, "check", actor=actor, comment=comment, values={"checked_at": timezone.now()}
    )
    for line in lines:
        name_ok, spec_ok, quantity_ok = checks[line.pk]
        ReturnLine.objects.filter(pk=line.pk).update(name_ok=name_ok, spec_ok=spec_ok, quantity_ok=quantity_ok)
    return done


@transaction.atomic
def return_verify(*, request: ReturnRequest, actor: User, passed: bool, notes: str = "") -> ReturnRequest:
    """W8.3: the technical department verifies the goods are genuine. A failure (with notes) ends the
    return and frees what it claimed."""
    if not passed and not (notes or "").strip():
        raise InvalidInput(_("Please give a reason."), fields={"notes": [_("This field is required.")]})
    done = transition(
        RETURN_FLOW,
        request,
        "verify" if passed else "fail",
        actor=actor,
        comment=notes,
        comment_field="notes",
        values={"verified_by": actor, "verification": (notes or "").strip()},
    )
    if not passed:
        _release_claims(done)
        _reopen_follow_up(done, actor)
    return done


def return_confirm_red(*, request: ReturnRequest, actor: User, comment: str = "") -> ReturnRequest:
    return transition(RETURN_FLOW, request, "confirm_red", actor=actor, comment=comment)


@transaction.atomic
def red_note_issue(*, actor: User, return_id: int, warehouse_id: int | None = None) -> RedNote:
    """W8.5: the sales office issues the red sales outbound note for the verified, red-confirmed return."""
    from .stock import _warehouse

    require(actor, *OFFICE)
    request = get_in_scope(
        ReturnRequest.objects.visible_to(actor).select_for_update(of=("self",)),
        return_id,
        missing=_("Return request not found."),
    )
    if request.state != ReturnState.RED_CONFIRMED:
        raise TransitionNotAllowed(_("The red note is issued once the manager confirmed the return in red."))
    lines = list(ReturnLine.objects.filter(request=request).select_related("outbound_line__outbound"))
    warehouse = _warehouse(warehouse_id) if warehouse_id is not None else lines[0].outbound_line.outbound.warehouse
    red = document_create(
        RedNote,
        flow=RED_NOTE_FLOW,
        actor=actor,
        owner=request.owner,
        return_request=request,
        customer_id=request.customer_id,
        warehouse=warehouse,
        issued_by=actor,
    )
    RedNoteLine.objects.bulk_create(
        [
            RedNoteLine(
                red_note=red,
                return_line=line,
                outbound_line=line.outbound_line,
                product_id=line.product_id,
                quantity=line.quantity,
            )
            for line in lines
        ]
    )
    transition(RETURN_FLOW, request, "issue_red", actor=actor, comment=red.number)
    return red


@transaction.atomic
def red_note_receive(*, red_note: RedNote, actor: User, comment: str = "") -> RedNote:
    """W8.6: the warehouse receives the goods back: stock goes up, the delivered lines count them
    returned (and, for a return, the sold lines), and the return request is done."""
    require(actor, *WAREHOUSE)
    done = transition(
        RED_NOTE_FLOW, red_note, "receive", actor=actor, comment=comment, values={"received_at": timezone.now()}
    )
    request = done.return_request
    lines = list(
        RedNoteLine.objects.filter(red_note=done).select_related(
            "product", "outbound_line__note_line__requisition_line"
        )
    )
    for line in lines:
        counters.must_take(OutboundLine, line.outbound_line_id, used="returned", within="claimed", amount=line.quantity)
        requisition_line = line.outbound_line.note_line.requisition_line
        if request.kind == ReturnKind.RETURN and requisition_line is not None:
            counters.must_take(
                OrderLine, requisition_line.order_line_id, used="returned", within="delivered", amount=line.quantity
            )
    kind = MoveKind.EXCHANGE if request.kind == ReturnKind.EXCHANGE else MoveKind.RETURN
    stock_put(
        [StockLine(line.product, done.warehouse, line.quantity) for line in lines],
        kind=kind,
        actor=actor,
        document_number=done.number,
    )
    transition(RETURN_FLOW, request, "finish", actor=actor, comment=done.number)
    return done


@transaction.atomic
def red_note_void(*, red_note: RedNote, actor: User, reason: str) -> RedNote:
    """A wrong red note is voided (number kept) and the return waits for a new one."""
    done = transition(RED_NOTE_FLOW, red_note, "void", actor=actor, comment=reason, comment_field="reason")
    transition(RETURN_FLOW, done.return_request, "reopen_red", actor=actor, comment=done.number)
    return done


RETURN_SERVICES = services_taking(
    "request", {"submit": return_submit, "cancel": (return_cancel, "reason"), "confirm_red": return_confirm_red}
)
RED_NOTE_SERVICES = services_taking("red_note", {"receive": red_note_receive, "void": (red_note_void, "reason")})
