"""The review of a violation (R17), and the decision on a reward or penalty proposal (D3): the
kernel's approval chain does the deciding.

Found → the person's manager confirms (or reduces, with a reason) or waives (with a reason);
a confirmed violation may be appealed by the person within the appeal window, and leadership
grants or rejects the appeal. Who decides is routed by the kernel (the reporting line, past the
person themselves, up to leadership), so no violation waits for nobody.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.org.calendar import working_days_between
from salesops.workflow.flows import Flow, T, is_owner

from .models import PenaltySettings
from .models import ProposalState as P
from .models import ViolationState as V


def notified(violation) -> str | None:
    """A violation under a rule set version the person had not acknowledged cannot be confirmed."""
    if violation.notified:
        return None
    return str(
        _("The person had not acknowledged this version of the rules: waive it, or record the acknowledgement first.")
    )


def appeal_window_open(violation) -> str | None:
    if violation.confirmed_at is None:
        return str(_("Only a confirmed violation can be appealed."))
    days = PenaltySettings.current().appeal_working_days
    waited = working_days_between(timezone.localtime(violation.confirmed_at).date(), timezone.localdate())
    if waited > days:
        return str(_("The appeal window (%(days)s working days after confirmation) has closed.") % {"days": days})
    return None


VIOLATION_FLOW = Flow(
    "compliance.Violation",
    initial=V.REVIEWING,
    approved_state=V.CONFIRMED,
    transitions={
        "confirm": T(V.REVIEWING, V.CONFIRMED, approval="approve", guard=notified, label=_("Confirm")),
        "reduce": T(
            V.REVIEWING, V.CONFIRMED, approval="approve", guard=notified, via_form=True, label=_("Reduce and confirm")
        ),
        "waive": T(V.REVIEWING, V.WAIVED, approval="reject", needs_comment=True, label=_("Waive"), style="secondary"),
        "appeal": T(
            V.CONFIRMED,
            V.APPEALED,
            by=(is_owner,),
            approval="start",
            guard=appeal_window_open,
            needs_comment=True,
            label=_("Appeal"),
            style="warning",
        ),
        "grant_appeal": T(V.APPEALED, V.OVERTURNED, approval="approve", label=_("Grant the appeal")),
        "reject_appeal": T(
            V.APPEALED, V.UPHELD, approval="reject", needs_comment=True, label=_("Reject the appeal"), style="danger"
        ),
    },
    state_styles={
        V.REVIEWING: "warning",
        V.CONFIRMED: "danger",
        V.APPEALED: "warning",
        V.UPHELD: "danger",
        V.OVERTURNED: "secondary",
    },
)


PROPOSAL_FLOW = Flow(
    "compliance.Proposal",
    initial=P.DRAFT,
    approved_state=P.APPROVED,
    editable_states=(P.DRAFT, P.REJECTED),
    transitions={
        "submit": T((P.DRAFT, P.REJECTED), P.PENDING, by=(is_owner,), approval="start", label=_("Submit")),
        "approve": T(P.PENDING, P.APPROVED, approval="approve", label=_("Agree")),
        "reject": T(
            P.PENDING, P.REJECTED, approval="reject", needs_comment=True, label=_("Do not agree"), style="danger"
        ),
        "cancel": T((P.DRAFT, P.REJECTED), P.CANCELLED, by=(is_owner,), label=_("Cancel"), style="secondary"),
    },
)
