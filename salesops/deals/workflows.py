"""Flows of inquiries (W2.1), quotations (W2.5-6, R4), contracts (W3.3-5) and phone orders (W3.6).

Approval chains come from the policies in ``policies.py`` (admin-editable rows): the manager
reviews every quotation; leadership steps in when a document is major; a contract with
deviations needs re-confirmation, one without goes straight to confirmed.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.org.roles import Role
from salesops.workflow.approvals import is_major, plan_chain
from salesops.workflow.flows import Flow, T, is_owner

from .choices import ContractState as C
from .choices import InquiryState as I
from .choices import PhoneOrderState as P
from .choices import QuotationState as Q
from .choices import RegisterState as R
from .choices import SupportState
from .permissions import ANSWERER, REGISTER_KEEPERS

MANAGERS = (Role.SALES_MANAGER, Role.BRANCH_MANAGER)


def _has_lines(doc) -> bool:
    # A service that read the lines with the locked row (prefetched) is answered from them.
    return doc.lines.exists()


def supports_settled(quotation) -> str | None:
    """W2(3)-(4): a quotation goes to review only when every support request was answered or waived."""
    from .models import SupportRequest

    if quotation.inquiry_id is None:
        return None
    if SupportRequest.objects.filter(inquiry_id=quotation.inquiry_id, state=SupportState.OPEN).exists():
        return str(_("A support request to technical or purchasing is still unanswered."))
    return None


def quotation_reviewable(quotation) -> str | None:
    if not _has_lines(quotation):
        return str(_("The quotation has no lines."))
    if quotation.valid_until < timezone.localdate():
        return str(_("The quotation's validity date has passed."))
    return supports_settled(quotation)


def has_lines(doc) -> str | None:
    return None if _has_lines(doc) else str(_("The document has no lines."))


def live_contracts(quotation_id):
    """Numbers of the quotation's contracts that are not voided, newest first (``quotation_id`` may be
    an ``OuterRef``, to read them along with the quotation)."""
    from .models import Contract

    return (
        Contract.objects.filter(quotation_id=quotation_id)
        .exclude(state=C.VOIDED)
        .order_by("-created_at", "-pk")
        .values("number")
    )


def live_contracts_of_inquiry(inquiry_id):
    """Numbers of the live (not voided) contracts of any quotation of the inquiry: one deal, one
    live contract (W3)."""
    from .models import Contract

    return (
        Contract.objects.filter(quotation__inquiry_id=inquiry_id)
        .exclude(state=C.VOIDED)
        .order_by("-created_at", "-pk")
        .values("number")
    )


def live_contract_number(quotation) -> str | None:
    """The number of the quotation's contract that is not voided, if any (one query)."""
    return live_contracts(quotation.pk).values_list("number", flat=True).first()


def no_live_contract(quotation) -> str | None:
    """W3: once a contract is drafted from a quotation, the deal rides on it; the quotation is neither
    revised nor lost nor withdrawn (that would let a second live contract follow)."""
    number = live_contract_number(quotation)
    if number is None:
        return None
    return str(_("Contract %(number)s was drafted from this quotation; void the contract first.") % {"number": number})


def still_valid(quotation) -> str | None:
    """W2.6: an expired quotation is revised, not issued."""
    if quotation.valid_until < timezone.localdate():
        return str(_("The quotation's validity date has passed; revise it."))
    return None


def not_major(inquiry) -> str | None:
    """W2.1: a major inquiry is declined only on leadership's instruction."""
    if is_major(inquiry):
        return str(_("This inquiry is major: declining it is proposed to leadership, who decides."))
    return None


def leadership_decides(inquiry) -> str | None:
    """A proposal to decline waits for leadership: only on a major inquiry, and only while the policy
    names someone to decide it (an empty chain would otherwise send the inquiry to bidding)."""
    if not is_major(inquiry):
        return str(_("Only a major inquiry's declining is proposed to leadership; decline it directly."))
    if not plan_chain(inquiry):
        return str(
            _(
                "The approval policy asks nobody to instruct on major inquiries (W2.1). "
                "Ask the administrator to restore the inquiry approval rules."
            )
        )
    return None


INQUIRY_FLOW = Flow(
    "deals.Inquiry",
    initial=I.REPORTED,
    approved_state=I.BIDDING,
    editable_states=(I.REPORTED,),
    transitions={
        # The manager's decision to bid; a major inquiry waits for leadership's instruction (W2.1).
        "bid": T(I.REPORTED, I.DECIDING, by=MANAGERS, approval="start", label=_("Decide to bid")),
        "instruct": T(I.DECIDING, I.BIDDING, approval="approve", label=_("Instruct to bid")),
        "overrule": T(
            I.DECIDING, I.DECLINED, approval="reject", needs_comment=True, label=_("Do not bid"), style="danger"
        ),
        # Not major: the manager declines. Major: the manager's decline is a proposal leadership agrees
        # with (declined) or overrules (bidding); ``inquiry_decline`` takes the right one (W2.1).
        "decline": T(
            I.REPORTED,
            I.DECLINED,
            by=MANAGERS,
            guard=not_major,
            needs_comment=True,
            label=_("Decline"),
            style="danger",
        ),
        "propose_decline": T(
            I.REPORTED,
            I.DECLINE_PROPOSED,
            by=MANAGERS,
            guard=leadership_decides,
            approval="start",
            needs_comment=True,
            label=_("Propose not to bid"),
            via_form=True,
        ),
        "agree_decline": T(I.DECLINE_PROPOSED, I.DECLINED, approval="approve", label=_("Agree not to bid")),
        "instruct_bid": T(I.DECLINE_PROPOSED, I.BIDDING, approval="reject", label=_("Instruct to bid")),
        # The customer withdrew before the bid decision: the number stays, with the reason.
        "cancel": T(
            I.REPORTED,
            I.CANCELLED,
            by=(is_owner,),
            needs_comment=True,
            voids=True,
            label=_("Cancel"),
            style="secondary",
        ),
        # A won deal whose signed contract is voided or cancelled by the customer is lost after all
        # (taken by the contract's service, never as a button).
        "contract_cancelled": T(
            I.WON, I.LOST, by=(*MANAGERS, Role.ADMIN), label=_("Contract cancelled"), via_form=True
        ),
        # Outcomes follow the quotation's (set by the quotation services).
        "win": T(I.BIDDING, I.WON, by=(is_owner, *MANAGERS), label=_("Won"), via_form=True),
        "lose": T(I.BIDDING, I.LOST, by=(is_owner, *MANAGERS), label=_("Lost"), via_form=True),
        "withdraw": T(I.BIDDING, I.WITHDRAWN, by=(is_owner, *MANAGERS), label=_("Withdrawn"), via_form=True),
    },
)

QUOTATION_FLOW = Flow(
    "deals.Quotation",
    initial=Q.DRAFT,
    approved_state=Q.APPROVED,
    editable_states=(Q.DRAFT, Q.REJECTED),
    transitions={
        "submit": T(
            (Q.DRAFT, Q.REJECTED),
            Q.PENDING,
            by=(is_owner,),
            guard=quotation_reviewable,
            approval="start",
            label=_("Submit for review"),
        ),
        "approve": T(Q.PENDING, Q.APPROVED, approval="approve", label=_("Approve")),
        "reject": T(Q.PENDING, Q.REJECTED, approval="reject", needs_comment=True, label=_("Return"), style="danger"),
        "issue": T(Q.APPROVED, Q.ISSUED, by=(is_owner,), guard=still_valid, label=_("Issue")),
        # Won when the customer accepts, and at the latest when its contract is signed (W3.4).
        "win": T(Q.ISSUED, Q.WON, by=(is_owner, *MANAGERS), label=_("Won"), via_form=True),
        "lose": T(Q.ISSUED, Q.LOST, by=(is_owner, *MANAGERS), guard=no_live_contract, label=_("Lost"), via_form=True),
        "withdraw": T(
            (Q.APPROVED, Q.ISSUED),
            Q.WITHDRAWN,
            by=(is_owner, *MANAGERS),
            guard=no_live_contract,
            needs_comment=True,
            label=_("Withdraw"),
            via_form=True,
        ),
        # A revision replaces this one; the revision service creates the new quotation.
        "supersede": T(
            (Q.REJECTED, Q.APPROVED, Q.ISSUED),
            Q.SUPERSEDED,
            by=(is_owner,),
            guard=no_live_contract,
            label=_("Revise"),
            via_form=True,
        ),
        # A draft that will not go out: it keeps its number, with the reason (no pile of numbered drafts).
        "cancel": T(
            (Q.DRAFT, Q.REJECTED),
            Q.CANCELLED,
            by=(is_owner, *MANAGERS),
            needs_comment=True,
            voids=True,
            label=_("Cancel"),
            style="secondary",
        ),
        "contract_cancelled": T(
            Q.WON, Q.LOST, by=(*MANAGERS, Role.ADMIN), label=_("Contract cancelled"), via_form=True
        ),
    },
)

CONTRACT_FLOW = Flow(
    "deals.Contract",
    initial=C.DRAFT,
    approved_state=C.CONFIRMED,
    editable_states=(C.DRAFT, C.REJECTED),
    transitions={
        "submit": T(
            (C.DRAFT, C.REJECTED), C.PENDING, by=(is_owner,), guard=has_lines, approval="start", label=_("Submit")
        ),
        "confirm": T(C.PENDING, C.CONFIRMED, approval="approve", label=_("Re-confirm")),
        "reject": T(C.PENDING, C.REJECTED, approval="reject", needs_comment=True, label=_("Return"), style="danger"),
        "sign": T(C.CONFIRMED, C.SIGNED, by=(is_owner,), label=_("Record signing"), via_form=True),
        "archive": T(C.SIGNED, C.ARCHIVED, by=(Role.BACK_OFFICE,), label=_("Archive")),
        "void": T(
            (C.DRAFT, C.PENDING, C.CONFIRMED, C.REJECTED, C.SIGNED),
            C.VOIDED,
            by=(*MANAGERS, Role.ADMIN),
            needs_comment=True,
            voids=True,
            label=_("Void"),
            style="danger",
        ),
        # The customer cancels after the contract was filed: voided, number and reason kept (R15).
        "cancel": T(
            C.ARCHIVED,
            C.VOIDED,
            by=(*MANAGERS, Role.ADMIN),
            needs_comment=True,
            voids=True,
            label=_("Cancel (customer cancelled)"),
            style="danger",
        ),
    },
)

PHONE_ORDER_FLOW = Flow(
    "deals.PhoneOrder",
    initial=P.DRAFT,
    approved_state=P.CONFIRMED,
    editable_states=(P.DRAFT, P.REJECTED),
    transitions={
        "submit": T(
            (P.DRAFT, P.REJECTED),
            P.PENDING,
            by=(is_owner,),
            guard=has_lines,
            approval="start",
            label=_("Submit for confirmation"),
        ),
        "confirm": T(P.PENDING, P.CONFIRMED, approval="approve", label=_("Confirm")),
        "reject": T(P.PENDING, P.REJECTED, approval="reject", needs_comment=True, label=_("Reject"), style="danger"),
        "cancel": T((P.DRAFT, P.REJECTED), P.CANCELLED, by=(is_owner,), label=_("Cancel"), style="secondary"),
    },
)


def addressed_department(request, user) -> bool:
    """W2.3-4: technical answers a technical request, purchasing a purchasing one."""
    return ANSWERER[request.kind] in user.roles


# A support request to technical or purchasing (W2.3-4): not a numbered document, but its answer and
# its waiver move through the kernel's ``transition`` like any document's state, audited on the request.
SUPPORT_FLOW = Flow(
    "deals.SupportRequest",
    initial=SupportState.OPEN,
    transitions={
        "answer": T(SupportState.OPEN, SupportState.ANSWERED, by=(addressed_department,), label=_("Answer")),
        # The manager decides the quotation may go to review without the answer, with the reason.
        "waive": T(
            SupportState.OPEN,
            SupportState.WAIVED,
            by=MANAGERS,
            needs_comment=True,
            label=_("Waive"),
            style="secondary",
        ),
    },
)

# The monthly contract register (R15): the sales office compiles a closed month (again, as often as
# needed) and submits it once; a submitted register is final.
REGISTER_FLOW = Flow(
    "deals.ContractRegister",
    initial=R.DRAFT,
    transitions={
        "compile": T((R.DRAFT, R.COMPILED), R.COMPILED, by=REGISTER_KEEPERS, label=_("Compile")),
        "submit": T((R.DRAFT, R.COMPILED), R.SUBMITTED, by=REGISTER_KEEPERS, label=_("Submit")),
    },
)
