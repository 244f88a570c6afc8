"""Flows of expense requests (R3), special fees (R5, R6) and dealer collection permits (R2)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.org.roles import Role
from salesops.workflow.approvals import steps_of
from salesops.workflow.flows import Flow, T, is_owner
from salesops.workflow.models import StepStatus

from .models import ExpenseState as E
from .models import PermitState as P
from .models import SpecialFeeState as F
from .permissions import PAYERS, PERMIT_CLOSERS

EXPENSE_FLOW = Flow(
    "expenses.ExpenseRequest",
    initial=E.DRAFT,
    approved_state=E.APPROVED,
    editable_states=(E.DRAFT, E.REJECTED),
    transitions={
        "submit": T((E.DRAFT, E.REJECTED), E.PENDING, by=(is_owner,), approval="start", label=_("Submit")),
        "approve": T(E.PENDING, E.APPROVED, approval="approve", label=_("Approve")),
        "reject": T(E.PENDING, E.REJECTED, approval="reject", needs_comment=True, label=_("Reject"), style="danger"),
        "cancel": T((E.DRAFT, E.REJECTED), E.CANCELLED, by=(is_owner,), label=_("Cancel"), style="secondary"),
    },
)


def leadership_instructed(fee) -> str | None:
    """R6: a special fee is paid only after leadership's instruction, whatever the policy says."""
    if any(s.role == Role.LEADERSHIP and s.status == StepStatus.APPROVED for s in steps_of(fee)):
        return None
    return str(_("Leadership has not instructed this payment (R6)."))


SPECIAL_FEE_FLOW = Flow(
    "expenses.SpecialFee",
    initial=F.DRAFT,
    approved_state=F.APPROVED,
    editable_states=(F.DRAFT, F.REJECTED),
    transitions={
        "submit": T((F.DRAFT, F.REJECTED), F.PENDING, by=(is_owner,), approval="start", label=_("Submit")),
        # R5 consent by the manager, then R6 instruction by leadership: both are policy steps.
        "approve": T(F.PENDING, F.APPROVED, approval="approve", label=_("Approve")),
        "reject": T(F.PENDING, F.REJECTED, approval="reject", needs_comment=True, label=_("Reject"), style="danger"),
        "cancel": T((F.DRAFT, F.REJECTED), F.CANCELLED, by=(is_owner,), label=_("Cancel"), style="secondary"),
        # Payment is recorded by special_fee_record_payment, which fills the payment fields.
        "pay": T(
            F.APPROVED,
            F.PAID,
            by=PAYERS,
            guard=leadership_instructed,
            label=_("Record payment"),
            via_form=True,
        ),
    },
)


def permit_not_ended(permit) -> str | None:
    """A permit whose last valid day has passed covers nothing: it is neither submitted nor approved."""
    if permit.valid_until < timezone.localdate():
        return str(_("This permit's last valid day has passed; change its dates or cancel it."))
    return None


PERMIT_FLOW = Flow(
    "expenses.CollectionPermit",
    initial=P.DRAFT,
    approved_state=P.APPROVED,
    # R2 "未经允许": a collection is covered only from the moment the manager allowed it.
    approval_stamp="approved_at",
    editable_states=(P.DRAFT, P.REJECTED),
    state_styles={P.CLOSED: "secondary"},
    transitions={
        "submit": T(
            (P.DRAFT, P.REJECTED),
            P.PENDING,
            by=(is_owner,),
            approval="start",
            guard=permit_not_ended,
            label=_("Submit"),
        ),
        "approve": T(P.PENDING, P.APPROVED, approval="approve", guard=permit_not_ended, label=_("Approve")),
        "reject": T(P.PENDING, P.REJECTED, approval="reject", needs_comment=True, label=_("Reject"), style="danger"),
        # Done: collected and remitted, or no longer needed. Closed by its owner, or by finance or the
        # sales office, who see the money arrive (R11); the service stamps ``closed_at``.
        "close": T(P.APPROVED, P.CLOSED, by=(is_owner, *PERMIT_CLOSERS), label=_("Close"), style="secondary"),
        "cancel": T((P.DRAFT, P.REJECTED), P.CANCELLED, by=(is_owner,), label=_("Cancel"), style="secondary"),
    },
)
