"""Invoice requests (W6.1-6.2) and the invoices finance records from them (W6.3).

A request takes ``invoiced`` on each sold line it bills (fulfilment's counter): within what was
delivered and not returned, or for an advance invoice within what was sold. Finance records the
invoice the platform issued: its 20-digit number (checked against the issue year), the date, and the
lines — computed here from the request, or as the platform's file gives them (checked against the
bureau's tolerances and against the request). The request is then invoiced, for the office to
archive (R10).
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput, NotFound, TransitionNotAllowed
from salesops.core.policy import require
from salesops.fulfilment.services.invoicing import (
    invoiceable_source,
    lines_invoice,
    lines_uninvoice,
    sold_lines_for_invoicing,
)
from salesops.fulfilment.services.picking import Pick, picked, refuse_first
from salesops.org.models import Company, User
from salesops.workflow.registry import services_taking
from salesops.workflow.services import document_create, events_together, record_event, transition

from .. import taxmath
from ..invoicenumbers import invoice_number_problem
from ..models import (
    Invoice,
    InvoiceBalance,
    InvoiceDispatch,
    InvoiceKind,
    InvoiceLine,
    InvoiceRequest,
    InvoiceRequestLine,
    SendMethod,
)
from ..permissions import DISPATCHERS, FINANCE, REQUESTERS
from ..workflows import INVOICE_FLOW, INVOICE_REQUEST_FLOW
from .buyers import BUYER_FIELDS, buyer_snapshot, due_date, printed_name
from .receipts import apply_prepayments


def _open_for(advance: bool):
    if advance:
        return lambda line: line.quantity - line.returned - line.invoiced
    return lambda line: line.invoiceable


@transaction.atomic
def invoice_request_create(
    *,
    actor: User,
    contract_id: int | None = None,
    phone_order_id: int | None = None,
    lines: Sequence[Pick] | None = None,
    kind: str | None = None,
    advance: bool = False,
    remark: str = "",
) -> InvoiceRequest:
    """A request for ``lines`` (the contract's or order's line id and quantity; None: everything
    delivered and not yet invoiced). A line asking more than is open is refused, naming it."""
    require(actor, *REQUESTERS)
    source = invoiceable_source(actor, contract_id, phone_order_id)
    customer = source.customer
    buyer = buyer_snapshot(customer)
    kind = kind or buyer.pop("default_kind")
    buyer.pop("default_kind", None)
    errors: dict[str, list[str]] = {}
    if kind not in InvoiceKind.values:
        errors["kind"] = [_("Choose a kind of invoice.")]
    elif kind == InvoiceKind.SPECIAL and not buyer["buyer_tax_id"]:
        errors["kind"] = [_("A special VAT invoice needs the customer's unified social credit code.")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    open_of = _open_for(advance)
    chosen = picked(lines, sold_lines_for_invoicing(source), open_of, key=lambda line: line.source_line_id)
    amounts = [taxmath.to_fen(qty * line.unit_price) for line, qty in chosen]
    request = document_create(
        InvoiceRequest,
        flow=INVOICE_REQUEST_FLOW,
        actor=actor,
        owner=actor,
        customer=customer,
        contract=source if contract_id is not None else None,
        phone_order=source if phone_order_id is not None else None,
        kind=kind,
        advance=bool(advance),
        remark=(remark or "").strip(),
        total_amount=sum(amounts, Decimal("0")),
        **buyer,
    )
    refused = lines_invoice([(line.pk, qty) for line, qty in chosen], advance=bool(advance))
    if refused:
        raise refuse_first(chosen, refused, counters=["invoiced", "delivered", "returned"], open_of=open_of)
    InvoiceRequestLine.objects.bulk_create(
        [
            InvoiceRequestLine(
                request=request,
                order_line=line,
                product=line.product,
                quantity=qty,
                unit_price=line.unit_price,
                amount=amount,
                tax_rate=line.product.tax_rate,
            )
            for (line, qty), amount in zip(chosen, amounts)
        ]
    )
    return request


def invoice_request_submit(*, request: InvoiceRequest, actor: User, comment: str = "") -> InvoiceRequest:
    return transition(INVOICE_REQUEST_FLOW, request, "submit", actor=actor, comment=comment, related=("customer",))


def invoice_request_approve(*, request: InvoiceRequest, actor: User, comment: str = "") -> InvoiceRequest:
    return transition(INVOICE_REQUEST_FLOW, request, "approve", actor=actor, comment=comment, related=("customer",))


def invoice_request_archive(*, request: InvoiceRequest, actor: User, comment: str = "") -> InvoiceRequest:
    return transition(
        INVOICE_REQUEST_FLOW,
        request,
        "archive",
        actor=actor,
        comment=comment,
        values={"archived_at": timezone.now(), "archived_by": actor},
    )


@transaction.atomic
def invoice_request_cancel(*, request: InvoiceRequest, actor: User, reason: str) -> InvoiceRequest:
    """Cancel a request not yet invoiced; its quantities are open for invoicing again."""
    done = transition(INVOICE_REQUEST_FLOW, request, "cancel", actor=actor, comment=reason, comment_field="reason")
    lines_uninvoice([(line.order_line_id, line.quantity) for line in InvoiceRequestLine.objects.filter(request=done)])
    return done


INVOICE_REQUEST_SERVICES = services_taking(
    "request",
    {
        "submit": invoice_request_submit,
        "approve": invoice_request_approve,
        "archive": invoice_request_archive,
        "cancel": (invoice_request_cancel, "reason"),
    },
)


def _platform_lines(
    given: Sequence[taxmath.TaxedLine] | None, request_lines: Sequence[InvoiceRequestLine]
) -> list[taxmath.TaxedLine]:
    """The invoice's lines: as the platform's file gives them (one per request line, in order,
    each adding up to the request line's amount), or computed from the request."""
    computed = [taxmath.line_from_gross(line.quantity, line.unit_price, line.tax_rate) for line in request_lines]
    if given is None:
        return computed
    errors: dict[str, list[str]] = {}
    if len(given) != len(computed):
        errors["lines"] = [
            _("The invoice has %(given)s lines; the request has %(asked)s.")
            % {"given": len(given), "asked": len(computed)}
        ]
    for index, (line, asked) in enumerate(zip(given, request_lines)):
        for problem in taxmath.line_problems(line):
            errors[f"lines.{index}.{'unit_price' if problem == 'unit_price' else 'tax'}"] = [
                _("Outside the tax bureau's tolerance.")
            ]
        if line.quantity != asked.quantity:
            errors[f"lines.{index}.quantity"] = [
                _("The line bills %(given)s; the request asked %(asked)s.")
                % {"given": line.quantity, "asked": asked.quantity.normalize()}
            ]
        if line.amount_with_tax != asked.amount:
            errors[f"lines.{index}.amount"] = [
                _("The line comes to %(given)s with tax; the request asked %(asked)s.")
                % {"given": line.amount_with_tax, "asked": asked.amount}
            ]
    if errors:
        raise InvalidInput(_("The invoice does not match its request."), fields=errors)
    return list(given)


@transaction.atomic
@events_together()
def invoice_record(
    *,
    actor: User,
    request: InvoiceRequest,
    invoice_number: str,
    issued_on: datetime.date,
    lines: Sequence[taxmath.TaxedLine] | None = None,
) -> Invoice:
    """Record the invoice the platform issued for an approved request (W6.3)."""
    require(actor, *FINANCE)
    number = (invoice_number or "").strip()
    errors: dict[str, list[str]] = {}
    if not isinstance(issued_on, datetime.date):
        errors["issued_on"] = [_("Enter the date the invoice was issued.")]
    elif issued_on > timezone.localdate():
        errors["issued_on"] = [_("An invoice is not dated in the future.")]
    problem = invoice_number_problem(number, issued_on if isinstance(issued_on, datetime.date) else None)
    if problem:
        errors["invoice_number"] = [problem]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    # The request moved on, with its customer (and owner) and its contract or order (and what was
    # prepaid on it): only the source it has, a join of the other (empty) costs as much as reading
    # it. A number recorded before is refused by the database, on its field.
    source = "contract" if request.contract_id else "phone_order"
    locked = transition(
        INVOICE_REQUEST_FLOW,
        request,
        "invoice",
        actor=actor,
        related=("customer__owner", f"{source}__money_account"),
        values={"invoiced_at": timezone.now()},
    )
    request_lines = list(InvoiceRequestLine.objects.filter(request=locked).select_related("product", "order_line"))
    taxed = _platform_lines(lines, request_lines)
    if not taxmath.invoice_within_tolerance(taxed):
        raise InvalidInput(
            _("The invoice's tax differs from its amounts by more than the bureau's 1.27."),
            fields={"lines": [_("Outside the tax bureau's tolerance.")]},
        )
    total = taxmath.totals(taxed)
    company = Company.current()
    invoice = document_create(
        Invoice,
        flow=INVOICE_FLOW,
        actor=actor,
        owner=locked.customer.owner,
        request=locked,
        customer=locked.customer,
        contract=locked.contract,
        phone_order=locked.phone_order,
        kind=locked.kind,
        invoice_number=number,
        issued_on=issued_on,
        due_on=due_date(locked, issued_on),
        seller_title=company.name,
        seller_tax_id=company.tax_number,
        remark=locked.remark,
        total_net=total.net,
        total_tax=total.tax,
        total_amount=total.gross,
        recorded_by=actor,
        **{field: getattr(locked, field) for field in BUYER_FIELDS},
    )
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                invoice=invoice,
                request_line=asked,
                order_line=asked.order_line,
                name=printed_name(asked.product),
                tax_code=asked.product.tax_code,
                specification=asked.product.invoice_line_specification()[:100],
                unit=asked.product.invoice_line_unit()[:20],
                quantity=line.quantity,
                unit_price=line.unit_price,
                amount=line.amount,
                tax_rate=line.tax_rate,
                tax=line.tax,
            )
            for line, asked in zip(taxed, request_lines)
        ]
    )
    InvoiceBalance.objects.create(invoice=invoice, total=invoice.total_amount)
    if locked.contract_id or locked.phone_order_id:
        apply_prepayments(invoice, actor=actor, source=locked.contract or locked.phone_order)
    return invoice


def invoice_confirm_use(*, invoice: Invoice, actor: User, comment: str = "") -> Invoice:
    """The buyer confirmed the invoice's use in their tax account (用途确认): from now on a partial
    red invoice is possible (for a return or a discount)."""
    if invoice.is_red:
        raise TransitionNotAllowed(_("A red invoice has no use to confirm."))
    return transition(
        INVOICE_FLOW, invoice, "confirm_use", actor=actor, comment=comment, values={"use_confirmed": True}
    )


INVOICE_SERVICES = services_taking("invoice", {"confirm_use": invoice_confirm_use})


@transaction.atomic
def invoice_dispatch_record(
    *,
    actor: User,
    invoice: Invoice | int,
    method: str,
    sent_to: str,
    sent_at: datetime.datetime | None = None,
    signed_by: str = "",
) -> InvoiceDispatch:
    """The invoice dispatch register (R9, W6.4): a 数电 invoice reaches the buyer's tax account or
    goes by e-mail; a printed copy handed over is signed for."""
    require(actor, *DISPATCHERS)
    pk = invoice if isinstance(invoice, int) else invoice.pk
    found = Invoice.objects.visible_to(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Invoice not found."))
    errors: dict[str, list[str]] = {}
    if method not in SendMethod.values:
        errors["method"] = [_("Choose how it was sent.")]
    if not (sent_to or "").strip():
        errors["sent_to"] = [_("Say to whom (a name, an address or a number).")]
    if method == SendMethod.HAND and not (signed_by or "").strip():
        errors["signed_by"] = [_("A printed invoice handed over is signed for: who signed?")]
    when = sent_at or timezone.now()
    if when > timezone.now():
        errors["sent_at"] = [_("Not in the future.")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    dispatch = InvoiceDispatch.objects.create(
        invoice=found,
        method=method,
        sent_to=sent_to.strip()[:200],
        sent_at=when,
        signed_by=(signed_by or "").strip()[:60],
        recorded_by=actor,
    )
    record_event(
        found,
        "dispatch",
        actor=actor,
        from_state=found.state,
        to_state=found.state,
        changes={"dispatched": [None, f"{dispatch.get_method_display()} → {dispatch.sent_to}"]},
    )
    return dispatch
