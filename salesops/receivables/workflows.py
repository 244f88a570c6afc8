"""The flows of the receivables documents, declared once for the kernel.

Money moves in the services (``services``), never in the flows: a flow only says who may take
which step from which state.
"""

from django.utils.translation import gettext_lazy as _

from salesops.workflow.flows import Flow, T, is_owner

from .models import DailyCheckState as C
from .models import InvoiceRequestState as Q
from .models import InvoiceState as I
from .models import PaymentRequestState as P
from .models import ReceiptState as S
from .models import RedFormState as H
from .models import StatementState as ST
from .permissions import CHECKERS, FINANCE, OFFICE, STATEMENT_SENDERS


def nothing_allocated(receipt) -> str | None:
    """A receipt with live allocations is unallocated first (each reversal with its reason)."""
    from .models import Allocation

    if Allocation.objects.active().filter(receipt=receipt).exists():
        return str(_("Part of this receipt is allocated: reverse its allocations first."))
    return None


INVOICE_REQUEST_FLOW = Flow(
    "receivables.InvoiceRequest",
    initial=Q.DRAFT,
    approved_state=Q.APPROVED,
    editable_states=(Q.DRAFT, Q.REJECTED),
    transitions={
        "submit": T((Q.DRAFT, Q.REJECTED), Q.PENDING, by=(is_owner,), approval="start", label=_("Submit")),
        "approve": T(Q.PENDING, Q.APPROVED, approval="approve", label=_("Approve")),
        "reject": T(Q.PENDING, Q.REJECTED, approval="reject", needs_comment=True, label=_("Return"), style="danger"),
        "invoice": T(Q.APPROVED, Q.INVOICED, by=FINANCE, via_form=True, label=_("Record the invoice")),
        "archive": T(Q.INVOICED, Q.ARCHIVED, by=OFFICE, label=_("Archive")),
        "cancel": T(
            (Q.DRAFT, Q.REJECTED, Q.APPROVED),
            Q.CANCELLED,
            by=(is_owner, *OFFICE),
            needs_comment=True,
            label=_("Cancel"),
            style="secondary",
        ),
    },
    state_styles={Q.APPROVED: "primary", Q.INVOICED: "info", Q.ARCHIVED: "success"},
)

INVOICE_FLOW = Flow(
    "receivables.Invoice",
    initial=I.ISSUED,
    transitions={
        "confirm_use": T(I.ISSUED, I.ISSUED, by=FINANCE, label=_("Buyer confirmed its use")),
        "reverse": T(I.ISSUED, I.REVERSED, by=FINANCE, via_form=True, label=_("Fully reversed")),
    },
    state_styles={I.ISSUED: "primary", I.REVERSED: "secondary"},
)

RECEIPT_FLOW = Flow(
    "receivables.Receipt",
    initial=S.RECORDED,
    transitions={
        "void": T(
            S.RECORDED,
            S.VOIDED,
            by=FINANCE,
            guard=nothing_allocated,
            voids=True,
            needs_comment=True,
            label=_("Void"),
            style="danger",
        ),
    },
    state_styles={S.RECORDED: "success"},
)

PAYMENT_REQUEST_FLOW = Flow(
    "receivables.PaymentRequest",
    initial=P.DRAFT,
    approved_state=P.APPROVED,
    editable_states=(P.DRAFT, P.REJECTED),
    transitions={
        "submit": T((P.DRAFT, P.REJECTED), P.PENDING, by=(is_owner,), approval="start", label=_("Submit")),
        "approve": T(P.PENDING, P.APPROVED, approval="approve", label=_("Confirm")),
        "reject": T(P.PENDING, P.REJECTED, approval="reject", needs_comment=True, label=_("Return"), style="danger"),
        "send": T(P.APPROVED, P.SENT, by=(is_owner, *OFFICE), via_form=True, label=_("Sent to the customer")),
        "cancel": T(
            (P.DRAFT, P.REJECTED, P.APPROVED),
            P.CANCELLED,
            by=(is_owner,),
            needs_comment=True,
            label=_("Cancel"),
            style="secondary",
        ),
    },
    state_styles={P.APPROVED: "primary", P.SENT: "success"},
)


def may_confirm(form) -> str | None:
    """A form the buyer must confirm goes to them first; a form past its 72 hours is dropped by the
    platform and is raised again."""
    from django.utils import timezone

    if form.state == H.DRAFT and form.blue.use_confirmed:
        return str(_("The buyer confirmed this invoice's use: send the form for their confirmation."))
    if form.state != H.DRAFT and form.confirm_by and timezone.now() > form.confirm_by:
        return str(_("More than 72 hours passed: the platform dropped this form; raise a new one."))
    return None


def buyer_must_confirm(form) -> str | None:
    if not form.blue.use_confirmed:
        return str(_("The buyer has not confirmed this invoice's use: no confirmation is needed, confirm it."))
    return None


RED_FORM_FLOW = Flow(
    "receivables.RedInvoiceForm",
    initial=H.DRAFT,
    transitions={
        "submit": T(H.DRAFT, H.AWAITING_BUYER, by=FINANCE, guard=buyer_must_confirm, label=_("Send to the buyer")),
        "receive": T(H.DRAFT, H.AWAITING_US, by=FINANCE, via_form=True, label=_("Raised by the buyer")),
        "confirm": T(
            (H.DRAFT, H.AWAITING_BUYER, H.AWAITING_US), H.CONFIRMED, by=FINANCE, guard=may_confirm, label=_("Confirmed")
        ),
        "refuse": T(
            (H.AWAITING_BUYER, H.AWAITING_US),
            H.REFUSED,
            by=FINANCE,
            needs_comment=True,
            label=_("Refused"),
            style="danger",
        ),
        "issue": T(H.CONFIRMED, H.ISSUED, by=FINANCE, via_form=True, label=_("Record the red invoice")),
        "cancel": T(
            (H.DRAFT, H.CONFIRMED),
            H.CANCELLED,
            by=FINANCE,
            needs_comment=True,
            label=_("Cancel"),
            style="secondary",
        ),
    },
    state_styles={H.AWAITING_US: "warning", H.AWAITING_BUYER: "warning", H.CONFIRMED: "primary", H.ISSUED: "success"},
)


def day_agreed(check) -> str | None:
    """Closed once the sales office and finance both confirmed and no difference is left open."""
    if check.office_confirmed_at is None or check.finance_confirmed_at is None:
        return str(_("The sales office and finance both confirm the day's receipts first."))
    if check.differences.filter(resolved_at__isnull=True).exists():
        return str(_("Resolve the day's differences first."))
    from django.db.models import Max

    from .models import Receipt

    changed = Receipt.objects.filter(received_on=check.day).aggregate(at=Max("updated_at"))["at"]
    if changed is not None and changed > min(check.office_confirmed_at, check.finance_confirmed_at):
        return str(_("A receipt of the day changed after a confirmation: confirm the day again."))
    return None


DAILY_CHECK_FLOW = Flow(
    "receivables.DailyCheck",
    initial=C.OPEN,
    transitions={
        "confirm": T(C.OPEN, C.OPEN, by=CHECKERS, via_form=True, label=_("Confirm the day's receipts")),
        "close": T(C.OPEN, C.CLOSED, by=CHECKERS, guard=day_agreed, via_form=True, label=_("Close the day")),
        "reopen": T(C.CLOSED, C.OPEN, by=FINANCE, needs_comment=True, via_form=True, label=_("Reopen the day")),
    },
    state_styles={C.CLOSED: "success", C.OPEN: "warning"},
)


STATEMENT_FLOW = Flow(
    "receivables.Statement",
    initial=ST.ISSUED,
    transitions={
        "send": T(
            ST.ISSUED, ST.SENT, by=(is_owner, *STATEMENT_SENDERS), via_form=True, label=_("Sent to the customer")
        ),
        "agree": T(
            ST.SENT, ST.AGREED, by=(is_owner, *STATEMENT_SENDERS), via_form=True, label=_("Agreed by the customer")
        ),
        "disagree": T(
            ST.SENT,
            ST.DISAGREED,
            by=(is_owner, *STATEMENT_SENDERS),
            via_form=True,
            label=_("Disagreed by the customer"),
        ),
    },
    state_styles={ST.SENT: "warning", ST.AGREED: "success", ST.DISAGREED: "danger"},
)
