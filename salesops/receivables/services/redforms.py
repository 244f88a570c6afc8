"""Red-invoice forms (红字确认单) and the red invoices issued from them.

Finance raises a form against a blue invoice (or records one the buyer raised, with its 72-hour
deadline); when confirmed, finance records the red invoice the platform issued. The red invoice
reverses money on the blue one's balance (refused while the part it reverses is paid: the
allocation is reversed first) and, for a full form or a return, gives the invoiced quantities back
to the sold lines so what the customer keeps can be invoiced again.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core import counters
from salesops.core.errors import InvalidInput, NotFound, TransitionNotAllowed
from salesops.core.policy import require
from salesops.fulfilment.services.invoicing import lines_uninvoice
from salesops.org.models import User
from salesops.workflow.registry import services_taking
from salesops.workflow.services import document_create, transition

from .. import taxmath
from ..invoicenumbers import invoice_number_problem
from ..models import (
    CONFIRM_WITHIN,
    PARTIAL_REASONS,
    Invoice,
    InvoiceBalance,
    InvoiceLine,
    InvoiceState,
    RedFormState,
    RedInitiator,
    RedInvoiceForm,
    RedInvoiceFormLine,
    RedReason,
)
from ..permissions import FINANCE
from ..workflows import INVOICE_FLOW, RED_FORM_FLOW
from .buyers import BUYER_FIELDS
from .receipts import money

LIVE_FORMS = (RedFormState.DRAFT, RedFormState.AWAITING_BUYER, RedFormState.AWAITING_US, RedFormState.CONFIRMED)
TAKEN_STATES = (*LIVE_FORMS, RedFormState.ISSUED)
WAITING = (RedFormState.AWAITING_BUYER, RedFormState.AWAITING_US)


@dataclass(frozen=True)
class RedPick:
    """Part of a blue line to reverse: an amount including tax, and for a return the quantity."""

    blue_line_id: int
    amount: Any
    quantity: Any = None


def _blue_for(actor: User, blue_id: int) -> Invoice:
    # Locked: forms against one blue invoice are raised one at a time (each checks what is left).
    blue = (
        Invoice.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("customer")
        .filter(pk=blue_id)
        .first()
    )
    if blue is None:
        raise NotFound(_("Invoice not found."))
    if blue.is_red or blue.state != InvoiceState.ISSUED:
        raise TransitionNotAllowed(_("Only an issued blue invoice is reversed."))
    return blue


def left_on_lines(blue: Invoice) -> dict[int, tuple[InvoiceLine, Decimal, Decimal]]:
    """Each blue line with what no live or issued form has taken yet: (line, amount incl. tax, quantity)."""
    # A form waiting past its 72 hours was dropped by the platform: it holds nothing any more.
    expired = Q(form__state__in=WAITING, form__confirm_by__lt=timezone.now())
    taken = {
        row["blue_line_id"]: (row["amount"] or Decimal("0"), row["quantity"] or Decimal("0"))
        for row in RedInvoiceFormLine.objects.filter(form__blue=blue, form__state__in=TAKEN_STATES)
        .exclude(expired)
        .values("blue_line_id")
        .annotate(amount=Sum("amount"), quantity=Sum("quantity"))
    }
    left = {}
    for line in blue.lines.all():
        amount, quantity = taken.get(line.pk, (Decimal("0"), Decimal("0")))
        left[line.pk] = (line, line.amount_with_tax - amount, (line.quantity or Decimal("0")) - quantity)
    return left


@transaction.atomic
def red_form_create(
    *,
    actor: User,
    blue_id: int,
    reason: str,
    full: bool = True,
    lines: Sequence[RedPick] | None = None,
    return_request_id: int | None = None,
    initiator: str = RedInitiator.SELLER,
    raised_at: datetime.datetime | None = None,
    platform_number: str = "",
    note: str = "",
) -> RedInvoiceForm:
    """A form against a blue invoice: the whole of what is left of it (``full``), or for a return or
    a discount on an invoice whose use the buyer confirmed, the ``lines`` given. A buyer-raised form
    is recorded awaiting our confirmation, due 72 hours after ``raised_at``."""
    require(actor, *FINANCE)
    blue = _blue_for(actor, blue_id)
    errors: dict[str, list[str]] = {}
    if reason not in RedReason.values:
        errors["reason"] = [_("Choose a reason from the list.")]
    if initiator not in RedInitiator.values:
        errors["initiator"] = [_("Say who raised it.")]
    if not full and not (blue.use_confirmed and reason in PARTIAL_REASONS):
        errors["full"] = [
            _("A partial red invoice only for a return or a discount, after the buyer confirmed the invoice's use.")
        ]
    deadline = None
    if initiator == RedInitiator.BUYER:
        if not isinstance(raised_at, datetime.datetime):
            errors["raised_at"] = [_("Enter when the buyer raised it on the platform.")]
        else:
            deadline = raised_at + CONFIRM_WITHIN
            if raised_at > timezone.now():
                errors["raised_at"] = [_("Not in the future.")]
            elif deadline < timezone.now():
                errors["raised_at"] = [_("More than 72 hours ago: the platform has dropped it.")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    left = left_on_lines(blue)
    rows = _form_lines(left, full, lines)
    form = document_create(
        RedInvoiceForm,
        flow=RED_FORM_FLOW,
        actor=actor,
        owner=blue.owner,
        blue=blue,
        customer=blue.customer,
        reason=reason,
        initiator=initiator,
        full=bool(full),
        return_request_id=return_request_id,
        platform_number=(platform_number or "").strip(),
        note=(note or "").strip(),
        total_amount=sum((row.amount for row in rows), Decimal("0")),
        recorded_by=actor,
    )
    for row in rows:
        row.form = form
    RedInvoiceFormLine.objects.bulk_create(rows)
    if initiator == RedInitiator.BUYER:
        form = transition(
            RED_FORM_FLOW, form, "receive", actor=actor, values={"raised_at": raised_at, "confirm_by": deadline}
        )
    return form


def _form_lines(
    left: dict[int, tuple[InvoiceLine, Decimal, Decimal]], full: bool, picks: Sequence[RedPick] | None
) -> list[RedInvoiceFormLine]:
    if full:
        rows = [
            RedInvoiceFormLine(blue_line=line, amount=amount, quantity=quantity if line.quantity else None)
            for line, amount, quantity in left.values()
            if amount > 0
        ]
        if not rows:
            raise InvalidInput(_("Nothing of this invoice is left to reverse."), fields={"full": [_("Nothing left.")]})
        return rows
    errors: dict[str, list[str]] = {}
    rows = []
    if not picks:
        errors["lines"] = [_("Add at least one line.")]
    for index, pick in enumerate(picks or ()):
        where = f"lines.{index}"
        found = left.get(pick.blue_line_id)
        if found is None:
            errors[f"{where}.blue_line_id"] = [_("Choose a line of this invoice.")]
            continue
        line, amount_left, quantity_left = found
        try:
            amount = money(pick.amount, f"{where}.amount")
        except InvalidInput as exc:
            errors.update(exc.extra["fields"])
            continue
        if amount > amount_left:
            errors[f"{where}.amount"] = [_("Only %(left)s is left on this line.") % {"left": amount_left}]
        quantity = None
        if pick.quantity not in (None, ""):
            quantity = Decimal(str(pick.quantity))
            if quantity <= 0 or quantity > quantity_left:
                errors[f"{where}.quantity"] = [_("At most %(left)s.") % {"left": quantity_left.normalize()}]
        # A line picked twice counts both picks against what it has left.
        left[pick.blue_line_id] = (line, amount_left - amount, quantity_left - (quantity or Decimal("0")))
        rows.append(RedInvoiceFormLine(blue_line=line, amount=amount, quantity=quantity))
    if errors:
        raise InvalidInput(_("Please correct the lines."), fields=errors)
    return rows


def red_form_submit(*, form: RedInvoiceForm, actor: User, comment: str = "") -> RedInvoiceForm:
    """Send the form to the buyer on the platform: they have 72 hours to confirm it."""
    now = timezone.now()
    return transition(
        RED_FORM_FLOW,
        form,
        "submit",
        actor=actor,
        comment=comment,
        values={"raised_at": now, "confirm_by": now + CONFIRM_WITHIN},
        related=("blue",),
    )


def red_form_confirm(*, form: RedInvoiceForm, actor: User, comment: str = "") -> RedInvoiceForm:
    return transition(RED_FORM_FLOW, form, "confirm", actor=actor, comment=comment, related=("blue",))


def red_form_refuse(*, form: RedInvoiceForm, actor: User, reason: str) -> RedInvoiceForm:
    return transition(RED_FORM_FLOW, form, "refuse", actor=actor, comment=reason, comment_field="reason")


def red_form_cancel(*, form: RedInvoiceForm, actor: User, reason: str) -> RedInvoiceForm:
    return transition(RED_FORM_FLOW, form, "cancel", actor=actor, comment=reason, comment_field="reason")


RED_FORM_SERVICES = services_taking(
    "form",
    {
        "submit": red_form_submit,
        "confirm": red_form_confirm,
        "refuse": (red_form_refuse, "reason"),
        "cancel": (red_form_cancel, "reason"),
    },
)


@transaction.atomic
def red_invoice_record(*, actor: User, form: RedInvoiceForm, invoice_number: str, issued_on: datetime.date) -> Invoice:
    """Record the red invoice the platform issued from a confirmed form: negative lines at the blue
    lines' rates, the blue balance reversed (refused while that part is paid), the quantities given
    back to the sold lines."""
    require(actor, *FINANCE)
    locked = (
        RedInvoiceForm.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("blue")
        .filter(pk=form.pk)
        .first()
    )
    if locked is None:
        raise NotFound(_("Document not found."))
    if locked.state != RedFormState.CONFIRMED:
        raise TransitionNotAllowed(_("Only a confirmed form has a red invoice to record."))
    number = (invoice_number or "").strip()
    errors: dict[str, list[str]] = {}
    if not isinstance(issued_on, datetime.date):
        errors["issued_on"] = [_("Enter the date the invoice was issued.")]
    elif issued_on > timezone.localdate() or issued_on < locked.blue.issued_on:
        errors["issued_on"] = [_("On or after the blue invoice's date, not in the future.")]
    problem = invoice_number_problem(number, issued_on if isinstance(issued_on, datetime.date) else None)
    if problem:
        errors["invoice_number"] = [problem]
    elif Invoice.objects.filter(invoice_number=number).exists():
        errors["invoice_number"] = [_("An invoice with this number is already recorded.")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    blue = locked.blue
    form_lines = list(RedInvoiceFormLine.objects.filter(form=locked).select_related("blue_line"))
    taxed = [
        taxmath.split_gross(-row.amount, row.blue_line.tax_rate, quantity=-row.quantity if row.quantity else None)
        for row in form_lines
    ]
    total = taxmath.totals(taxed)
    if not counters.take(
        InvoiceBalance, blue.pk, used="reversed", within="total", minus=("allocated",), amount=locked.total_amount
    ):
        raise TransitionNotAllowed(
            _("That part of the invoice is paid: reverse its allocation first, then record the red invoice.")
        )
    red = document_create(
        Invoice,
        flow=INVOICE_FLOW,
        actor=actor,
        owner=blue.owner,
        red_of=blue,
        customer=blue.customer,
        contract_id=blue.contract_id,
        phone_order_id=blue.phone_order_id,
        kind=blue.kind,
        invoice_number=number,
        issued_on=issued_on,
        due_on=issued_on,
        seller_title=blue.seller_title,
        seller_tax_id=blue.seller_tax_id,
        remark=_("Red invoice of %(number)s, form %(form)s") % {"number": blue.invoice_number, "form": locked.number},
        total_net=total.net,
        total_tax=total.tax,
        total_amount=total.gross,
        recorded_by=actor,
        **{field: getattr(blue, field) for field in BUYER_FIELDS},
    )
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                invoice=red,
                blue_line=row.blue_line,
                order_line_id=row.blue_line.order_line_id,
                name=row.blue_line.name,
                tax_code=row.blue_line.tax_code,
                specification=row.blue_line.specification,
                unit=row.blue_line.unit,
                quantity=line.quantity,
                unit_price=line.unit_price,
                amount=line.amount,
                tax_rate=line.tax_rate,
                tax=line.tax,
            )
            for row, line in zip(form_lines, taxed)
        ]
    )
    transition(RED_FORM_FLOW, locked, "issue", actor=actor, values={"red_invoice": red})
    gives = [
        (row.blue_line.order_line_id, row.quantity)
        for row in form_lines
        if row.quantity and row.blue_line.order_line_id
    ]
    lines_uninvoice(gives)
    balance = InvoiceBalance.objects.get(pk=blue.pk)
    if balance.reversed == balance.total:
        transition(INVOICE_FLOW, blue, "reverse", actor=actor, comment=locked.number)
    return red


@dataclass(frozen=True)
class RedProposal:
    """The form a return of invoiced goods needs on one blue invoice: partial (the returned lines)
    when the buyer confirmed the invoice's use, else full (and the kept goods invoiced again)."""

    blue: Invoice
    full: bool
    lines: tuple[RedPick, ...]


def red_proposals_for_return(return_request_id: int) -> list[RedProposal]:
    """The red-invoice forms the return's invoiced goods need, one per blue invoice, from the
    quantities still invoiced on its sold lines (latest invoice first)."""
    from salesops.fulfilment.selectors.invoicing import returned_by_order_line

    returned = returned_by_order_line(return_request_id)
    if not returned:
        return []
    blue_lines = (
        InvoiceLine.objects.filter(
            order_line_id__in=returned,
            invoice__red_of__isnull=True,
            invoice__state=InvoiceState.ISSUED,
        )
        .select_related("invoice")
        .order_by("-invoice__issued_on", "-invoice_id", "pk")
    )
    picks: dict[int, list[RedPick]] = {}
    blues: dict[int, Invoice] = {}
    left_of: dict[int, dict[int, tuple[InvoiceLine, Decimal, Decimal]]] = {}
    for line in blue_lines:
        still = returned.get(line.order_line_id, Decimal("0"))
        if still <= 0:
            continue
        blue = line.invoice
        left = left_of.setdefault(blue.pk, left_on_lines(blue))
        _line, amount_left, quantity_left = left[line.pk]
        quantity = min(still, quantity_left)
        if quantity <= 0:
            continue
        unit_gross = line.amount_with_tax / line.quantity if line.quantity else Decimal("0")
        amount = min(taxmath.to_fen(quantity * unit_gross), amount_left)
        picks.setdefault(blue.pk, []).append(RedPick(blue_line_id=line.pk, amount=amount, quantity=quantity))
        blues[blue.pk] = blue
        returned[line.order_line_id] = still - quantity
    return [
        RedProposal(blue=blues[pk], full=not blues[pk].use_confirmed, lines=tuple(lines)) for pk, lines in picks.items()
    ]


@transaction.atomic
def red_forms_for_return(*, actor: User, return_request_id: int) -> list[RedInvoiceForm]:
    """Raise the forms a return of invoiced goods needs (drafts, reason 销货退回)."""
    require(actor, *FINANCE)
    return [
        red_form_create(
            actor=actor,
            blue_id=proposal.blue.pk,
            reason=RedReason.RETURN,
            full=proposal.full,
            lines=None if proposal.full else proposal.lines,
            return_request_id=return_request_id,
        )
        for proposal in red_proposals_for_return(return_request_id)
    ]
