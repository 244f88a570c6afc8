"""Template helpers of the statements of account (对账单, R13): the buttons of a statement's page
and what its printed form sums up from the frozen entries.

``{% load statement_ui %}``. The page's own view (``views_statements``) declares no form actions, so
the send and reply buttons are drawn here, each exactly when the flow lets the reader take it now
(the services check everything again)."""

from decimal import Decimal
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone

from ..models import StatementState
from ..workflows import STATEMENT_FLOW

register = template.Library()

ZERO = Decimal("0.00")
# The printed form is in Chinese whatever the reader's language (it goes to the customer).
PRINTED_KINDS = {
    "outbound": "销售出库",
    "red_note": "红字出库（退货）",
    "invoice": "开具发票",
    "red_invoice": "红字发票",
    "receipt": "收款",
    "allocation": "收款核销",
    "reversal": "核销冲回",
}
# The statement's form actions and the form that takes each (its page's button).
FORMS = (
    ("send", "receivables:statement-send", "primary", "bi-send"),
    ("agree", "receivables:statement-agree", "success", "bi-check2-circle"),
    ("disagree", "receivables:statement-disagree", "outline-danger", "bi-x-circle"),
)


@register.simple_tag
def reply_overdue(doc: Any) -> bool:
    """Sent, and no reply after the reply date."""
    return doc.state == StatementState.SENT and doc.reply_due is not None and doc.reply_due < timezone.localdate()


@register.simple_tag
def campaign_url(doc: Any, user: Any) -> str:
    """The statement's campaign page, for those who may open it ("" for the others)."""
    from ..views_campaign import CAMPAIGN_READERS

    return doc.run.get_absolute_url() if user.has_role(*CAMPAIGN_READERS) else ""


@register.simple_tag
def statement_actions(doc: Any, user: Any) -> list[dict[str, Any]]:
    """The send and reply buttons ``user`` may press on ``doc`` now."""
    found = []
    for action, url_name, style, icon in FORMS:
        if STATEMENT_FLOW.allows(action, doc, user):
            t = STATEMENT_FLOW.transitions[action]
            found.append(
                {
                    "name": action,
                    "url": reverse(url_name, args=[doc.pk]),
                    "label": t.label,
                    "style": style,
                    "icon": icon,
                }
            )
    return found


def _amount(value: Any) -> Decimal:
    return Decimal(value) if value not in (None, "") else ZERO


@register.simple_tag
def statement_movements(doc: Any) -> dict[str, Decimal]:
    """The period's movements on each basis, summed from the frozen entries: goods delivered (net of
    returns), invoiced (net of red invoices) and received; allocations move no balance."""
    delivered = invoiced = received = ZERO
    for entry in doc.entries:
        kind = entry.get("kind")
        if kind in ("outbound", "red_note"):
            delivered += _amount(entry.get("delivery"))
        elif kind in ("invoice", "red_invoice"):
            invoiced += _amount(entry.get("invoice"))
        elif kind == "receipt":
            received -= _amount(entry.get("invoice") or entry.get("delivery"))
    return {"delivered": delivered, "invoiced": invoiced, "received": received}


@register.filter
def entry_kind(kind: str) -> str:
    """An entry's kind as the printed form names it."""
    return PRINTED_KINDS.get(kind, kind)


@register.filter
def absolute(value: Any) -> Decimal:
    """The size of an amount (a customer's credit is printed as what they paid ahead, not as negative)."""
    return abs(_amount(value))
