"""The flows of the delivery documents (W4, W8, R7), declared once for the kernel.

Counters move in the services (``services``), never in the flows: a flow only says who may take
which step from which state. Quantities are released by the services of the steps that end a
document (cancel, void, close short, fail).
"""

from django.utils.translation import gettext_lazy as _

from salesops.org.roles import Role
from salesops.workflow.flows import Flow, T, is_owner

from .models import ConfirmationState as C
from .models import DelayState as D
from .models import NoteState as N
from .models import OutboundState as O
from .models import RedNoteState as H
from .models import RequisitionState as R
from .models import ReturnState as X

OFFICE = (Role.BACK_OFFICE,)
WAREHOUSE = (Role.WAREHOUSE,)
MANAGERS = frozenset({Role.SALES_MANAGER, Role.BRANCH_MANAGER, Role.LEADERSHIP})


def a_manager_not_the_owner(doc, user) -> bool:
    """W8.4: a manager other than the salesperson confirms the verified return in red."""
    return user.pk != doc.owner_id and bool(user.roles & MANAGERS)


def nothing_on_notes(requisition) -> str | None:
    """A requisition goods were issued from is closed through its notes, not cancelled."""
    from .models import RequisitionLine

    if RequisitionLine.objects.filter(requisition=requisition, noted__gt=0).exists():
        return str(_("Delivery notes were issued from this requisition: close them instead."))
    return None


REQUISITION_FLOW = Flow(
    "fulfilment.Requisition",
    initial=R.DRAFT,
    approved_state=R.APPROVED,
    approval_stamp="approved_at",
    editable_states=(R.DRAFT, R.REJECTED),
    transitions={
        "submit": T((R.DRAFT, R.REJECTED), R.PENDING, by=(is_owner,), approval="start", label=_("Submit")),
        "approve": T(R.PENDING, R.APPROVED, approval="approve", label=_("Approve")),
        "reject": T(R.PENDING, R.REJECTED, approval="reject", needs_comment=True, label=_("Return"), style="danger"),
        "archive": T(R.APPROVED, R.ARCHIVED, by=OFFICE, label=_("Archive")),
        "cancel": T(
            (R.DRAFT, R.REJECTED, R.APPROVED),
            R.CANCELLED,
            by=(is_owner, *OFFICE),
            guard=nothing_on_notes,
            needs_comment=True,
            label=_("Cancel"),
            style="secondary",
        ),
    },
    state_styles={R.ARCHIVED: "success", R.APPROVED: "primary"},
)

NOTE_FLOW = Flow(
    "fulfilment.DeliveryNote",
    initial=N.ISSUED,
    transitions={
        "ship_part": T((N.ISSUED, N.PARTLY), N.PARTLY, by=WAREHOUSE, via_form=True, label=_("Book outbound")),
        "ship_all": T((N.ISSUED, N.PARTLY), N.SHIPPED, by=WAREHOUSE, via_form=True, label=_("Book outbound")),
        "close": T(
            N.PARTLY,
            N.CLOSED,
            by=OFFICE,
            needs_comment=True,
            label=_("Close the rest short"),
            style="warning",
        ),
        "void": T(N.ISSUED, N.VOIDED, by=OFFICE, voids=True, needs_comment=True, label=_("Void"), style="danger"),
        "reissue": T(N.ISSUED, N.VOIDED, by=OFFICE, voids=True, via_form=True, label=_("Correct and reissue")),
    },
    state_styles={N.PARTLY: "warning", N.SHIPPED: "success", N.CLOSED: "secondary"},
)

OUTBOUND_FLOW = Flow(
    "fulfilment.Outbound",
    initial=O.SHIPPED,
    transitions={
        "confirm": T(
            O.SHIPPED,
            O.CONFIRMED,
            by=(is_owner, *OFFICE, Role.SALES_MANAGER, Role.BRANCH_MANAGER),
            via_form=True,
            label=_("Record the customer's confirmation"),
        ),
    },
    state_styles={O.SHIPPED: "primary"},
)

CONFIRMATION_FLOW = Flow(
    "fulfilment.Confirmation",
    initial=C.RECORDED,
    transitions={"archive": T(C.RECORDED, C.ARCHIVED, by=OFFICE, label=_("Archive"))},
    state_styles={C.RECORDED: "warning"},
)

RETURN_FLOW = Flow(
    "fulfilment.ReturnRequest",
    initial=X.DRAFT,
    approved_state=X.CONFIRMED,
    editable_states=(X.DRAFT, X.REJECTED),
    transitions={
        "submit": T((X.DRAFT, X.REJECTED), X.PENDING, by=(is_owner,), approval="start", label=_("Submit")),
        "confirm": T(X.PENDING, X.CONFIRMED, approval="approve", label=_("Confirm")),
        "reject": T(X.PENDING, X.REJECTED, approval="reject", needs_comment=True, label=_("Return"), style="danger"),
        "check": T(X.CONFIRMED, X.CHECKED, by=(is_owner,), via_form=True, label=_("Check the goods")),
        "verify": T(X.CHECKED, X.VERIFIED, by=(Role.TECHNICAL,), via_form=True, label=_("Verify")),
        "fail": T(X.CHECKED, X.FAILED, by=(Role.TECHNICAL,), via_form=True, needs_comment=True, label=_("Fail")),
        "confirm_red": T(X.VERIFIED, X.RED_CONFIRMED, by=(a_manager_not_the_owner,), label=_("Confirm in red")),
        "issue_red": T(X.RED_CONFIRMED, X.RED_ISSUED, by=OFFICE, via_form=True, label=_("Issue the red note")),
        "reopen_red": T(X.RED_ISSUED, X.RED_CONFIRMED, by=OFFICE, via_form=True, label=_("Reissue the red note")),
        "finish": T(X.RED_ISSUED, X.DONE, by=WAREHOUSE, via_form=True, label=_("Receive")),
        "cancel": T(
            (X.DRAFT, X.REJECTED, X.CONFIRMED, X.CHECKED),
            X.CANCELLED,
            by=(is_owner,),
            needs_comment=True,
            label=_("Cancel"),
            style="secondary",
        ),
    },
    state_styles={
        X.CHECKED: "info",
        X.VERIFIED: "danger",
        X.FAILED: "secondary",
        X.RED_CONFIRMED: "danger",
        X.RED_ISSUED: "danger",
        X.DONE: "success",
    },
)

RED_NOTE_FLOW = Flow(
    "fulfilment.RedNote",
    initial=H.ISSUED,
    transitions={
        "receive": T(H.ISSUED, H.RECEIVED, by=WAREHOUSE, label=_("Receive into stock")),
        "void": T(H.ISSUED, H.VOIDED, by=OFFICE, voids=True, needs_comment=True, label=_("Void"), style="danger"),
    },
    state_styles={H.ISSUED: "danger", H.RECEIVED: "success"},
)

DELAY_FLOW = Flow(
    "fulfilment.ShipmentDelay",
    initial=D.DRAFT,
    approved_state=D.ACCEPTED,
    transitions={
        "submit": T(D.DRAFT, D.PENDING, by=(is_owner,), approval="start", label=_("Submit")),
        "accept": T(D.PENDING, D.ACCEPTED, approval="approve", label=_("Accept")),
        "reject": T(D.PENDING, D.REJECTED, approval="reject", needs_comment=True, label=_("Do not accept")),
    },
)
