"""Which approved invoice request an issued invoice belongs to. Never a guess: by the request's
number when the file carries it (发票流水号), else by the buyer (taxpayer ID, or the name when
either side has no ID) and the total including tax equal to the fen, with exactly one candidate.
Anything else is reported unmatched, with the reason, for finance to record by hand.

Reads only, through ``visible_to(actor)``.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from salesops.org.models import Company

from ..models import Invoice, InvoiceKind, InvoiceRequest, InvoiceRequestState
from .issued import IssuedInvoice

# Full-width and half-width brackets are the same name on an invoice (（有限公司） vs (有限公司)).
_BRACKETS = str.maketrans({"（": "(", "）": ")", "　": " "})


def same_name(a: str, b: str) -> bool:
    def normal(name: str) -> str:
        return re.sub(r"\s+", "", (name or "").translate(_BRACKETS)).casefold()

    return bool(normal(a)) and normal(a) == normal(b)


@dataclass(frozen=True)
class Match:
    """The request to record against, or why there is none; ``recorded`` when the invoice's
    number is already recorded (a file imported twice)."""

    request: InvoiceRequest | None = None
    reason: str = ""
    recorded: Invoice | None = None


def _approved(actor) -> QuerySet[InvoiceRequest]:
    return InvoiceRequest.objects.visible_to(actor).filter(state=InvoiceRequestState.APPROVED)


def match_invoice(issued: IssuedInvoice, *, actor) -> Match:
    recorded = Invoice.objects.select_related("request").filter(invoice_number=issued.invoice_number).first()
    if recorded is not None:
        return Match(recorded=recorded, reason=_("This invoice number is already recorded."))
    if issued.is_red:
        return Match(reason=_("A red invoice: record it by hand against the blue invoice it reverses."))
    if issued.platform_status:
        return Match(
            reason=_("The platform shows this invoice as %(status)s: record it by hand if it is to be kept.")
            % {"status": issued.platform_status}
        )
    seller = Company.current().tax_number
    if seller and issued.seller_tax_id and issued.seller_tax_id != seller:
        return Match(
            reason=_("Issued by another seller (taxpayer ID %(tax_id)s), not by this company.")
            % {"tax_id": issued.seller_tax_id}
        )
    if issued.serial:
        return _by_serial(issued, actor)
    return _by_buyer_and_total(issued, actor)


def _by_serial(issued: IssuedInvoice, actor) -> Match:
    request = InvoiceRequest.objects.visible_to(actor).filter(number=issued.serial).first()
    if request is None:
        return Match(reason=_("No invoice request is numbered %(serial)s.") % {"serial": issued.serial})
    if request.state != InvoiceRequestState.APPROVED:
        return Match(
            reason=_("Invoice request %(number)s is %(state)s, not waiting for its invoice.")
            % {"number": request.number, "state": request.get_state_display()}
        )
    if not _same_kind(request.kind, issued.kind):
        return Match(
            reason=_("Invoice request %(number)s asks for a %(kind)s.")
            % {"number": request.number, "kind": request.get_kind_display()}
        )
    if request.total_amount != issued.total:
        return Match(
            reason=_("Invoice request %(number)s asks %(asked)s; the invoice comes to %(total)s.")
            % {"number": request.number, "asked": request.total_amount, "total": issued.total}
        )
    return Match(request=request)


def _by_buyer_and_total(issued: IssuedInvoice, actor) -> Match:
    candidates = [
        request
        for request in _approved(actor).filter(total_amount=issued.total).order_by("pk")
        if _same_buyer(request, issued) and _same_kind(request.kind, issued.kind)
    ]
    if len(candidates) == 1:
        return Match(request=candidates[0])
    buyer = issued.buyer_name or issued.buyer_tax_id
    if not candidates:
        return Match(
            reason=_("No approved invoice request for %(buyer)s comes to %(total)s.")
            % {"buyer": buyer, "total": _money(issued.total)}
        )
    return Match(
        reason=_("Several approved invoice requests for %(buyer)s come to %(total)s (%(numbers)s): record it by hand.")
        % {"buyer": buyer, "total": _money(issued.total), "numbers": "、".join(r.number for r in candidates)}
    )


def _same_buyer(request: InvoiceRequest, issued: IssuedInvoice) -> bool:
    if request.buyer_tax_id and issued.buyer_tax_id:
        return request.buyer_tax_id.upper() == issued.buyer_tax_id.upper()
    return same_name(request.buyer_title, issued.buyer_name)


def _same_kind(asked: str, given: str | None) -> bool:
    return given is None or asked == given or asked not in InvoiceKind.values


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"
