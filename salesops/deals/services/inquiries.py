"""Writers of inquiries and tenders (询价 / 招标, W2.1) and of their support requests to technical
(W2.3) and purchasing (W2.4).

Each service checks the actor first, runs in one transaction and leaves its audit event in it.
An inquiry's state changes only through ``INQUIRY_FLOW``: the manager decides to bid or declines;
a major one (amount at the threshold, or flagged) waits for leadership's instruction, taken as the
policy's approval step. A support request is not a numbered document, but its answer and waiver
move through ``SUPPORT_FLOW`` (the kernel's ``transition``, audited on the request); the request,
answer and waiver are noted on its inquiry's history too.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.catalog.models import Product
from salesops.core.errors import ApplicationError, Forbidden, InvalidInput, NotFound, TransitionNotAllowed, field_errors
from salesops.core.policy import require
from salesops.core.selectors import by_key
from salesops.customers.models import Customer
from salesops.org.models import User, active_holders
from salesops.org.roles import Role
from salesops.workflow.approvals import is_major, resolve_approver
from salesops.workflow.services import document_create, document_update, notify, record_event, transition

from ..choices import InquiryState, SupportKind, SupportState
from ..lines import FEN, MILLI, too_large
from ..models import MONEY_LIMIT, QUANTITY_LIMIT, Inquiry, InquiryLine, SupportRequest
from ..selectors.inquiries import inquiry_get_for, support_request_url, url_of
from ..workflows import INQUIRY_FLOW, MANAGERS, SUPPORT_FLOW

# Who raises inquiries, support requests and quotations: the sales staff (W2.1).
RAISERS = (Role.SALESPERSON, Role.SALES_MANAGER, Role.BRANCH_MANAGER)
# The department that answers each kind of support request.
ANSWERER = {SupportKind.TECHNICAL: Role.TECHNICAL, SupportKind.PURCHASING: Role.PURCHASING}
# An inquiry still being worked on: support may be asked for it.
OPEN_INQUIRY_STATES = (InquiryState.REPORTED, InquiryState.DECIDING, InquiryState.BIDDING)
INQUIRY_EDITABLE = (
    "customer_id",
    "kind",
    "source",
    "title",
    "description",
    "deadline_on",
    "estimated_amount",
    "is_flagged_major",
)


class InquiryLineLike(Protocol):
    product_id: int
    quantity: Any


@dataclass(frozen=True)
class InquiryLineIn:
    """A product and the quantity the customer asks for (no price yet)."""

    product_id: int
    quantity: Decimal


# Helpers shared with the quotation and negotiation services.


def visible_customer(actor: User, customer_id: Any) -> Customer:
    """The customer if the actor may see it; otherwise a field error (never reveals another's customer)."""
    if customer_id in (None, ""):
        raise InvalidInput(_("Choose a customer."), fields={"customer": [_("This field is required.")]})
    customer = by_key(Customer.objects.visible_to(actor).filter(pk=customer_id, is_active=True))
    if customer is None:
        raise InvalidInput(_("Unknown customer."), fields={"customer": [_("Choose one of your customers.")]})
    return customer


def check_money(value: Any, field: str, *, positive: bool = False) -> Decimal:
    """A Decimal amount in yuan, not negative (positive when asked), with at most two decimals."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        amount = None
    if (
        amount is None
        or isinstance(value, float)
        or not amount.is_finite()
        or amount.as_tuple().exponent < -2  # type: ignore[operator]
        or amount < 0
        or (positive and amount == 0)
    ):
        raise InvalidInput(
            _("The amount is not valid."),
            fields={field: [_("An amount in yuan, not negative, with at most two decimals.")]},
        )
    if amount >= MONEY_LIMIT:
        raise InvalidInput(_("The amount is not valid."), fields={field: [too_large(MONEY_LIMIT, FEN)]})
    return amount


def check_text(value: Any, field: str, message: str) -> str:
    text = (value or "").strip() if isinstance(value, str | type(None)) else ""
    if not text:
        raise InvalidInput(message, fields={field: [_("This field is required.")]})
    return text


def check_not_past(day: Any, field: str) -> None:
    if day is None:
        return
    if not isinstance(day, datetime.date) or day < timezone.localdate():
        raise InvalidInput(_("The date has passed."), fields={field: [_("Today or later.")]})


def only(fields: dict[str, Any], allowed: Iterable[str]) -> None:
    # Mass assignment (RELIABILITY c.13): state, number, owner and branch are set by the services only.
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InvalidInput(
            _("These fields cannot be changed."), fields={name: [_("Not editable.")] for name in unknown}
        )


def managers_of(doc: Any, *, besides: User | None = None) -> list[User]:
    """Whom "the manager" means for a document: the owner's sales manager (direct manager or department
    head), else the branch manager; never the actor himself."""
    manager = resolve_approver(doc, Role.SALES_MANAGER)
    if manager is None and doc.branch.manager_id:
        manager = doc.branch.manager
    if manager is None or not manager.is_active or (besides is not None and manager.pk == besides.pk):
        return []
    return [manager]


def holders_of(role: str) -> list[User]:
    return list(active_holders(role).order_by("pk")[:50])


def _check_inquiry_lines(lines: Sequence[InquiryLineLike]) -> dict[int, Product]:
    """Each line names an active product and a positive quantity with at most 3 decimals."""
    errors: dict[str, list[str]] = {}
    products = Product.objects.order_by().in_bulk({line.product_id for line in lines})
    for index, line in enumerate(lines):
        product = products.get(line.product_id)
        if product is None or not product.is_active:
            errors[f"lines.{index}.product"] = [_("Choose an active product.")]
        try:
            quantity = Decimal(str(line.quantity))
        except (InvalidOperation, TypeError, ValueError):
            quantity = None
        if (
            quantity is None
            or not quantity.is_finite()
            or quantity.as_tuple().exponent < -3  # type: ignore[operator]
            or quantity <= 0
        ):
            errors[f"lines.{index}.quantity"] = [_("A positive quantity with at most 3 decimals.")]
        elif quantity >= QUANTITY_LIMIT:
            errors[f"lines.{index}.quantity"] = [too_large(QUANTITY_LIMIT, MILLI)]
    if errors:
        raise InvalidInput(_("Please correct the lines."), fields=errors)
    return products


def _store_inquiry_lines(inquiry: Inquiry, lines: Sequence[InquiryLineLike], *, replace: bool) -> None:
    # Lines are not documents: written directly, in the transaction that writes their inquiry and
    # recorded in that inquiry's event.
    if replace:
        InquiryLine.objects.filter(inquiry=inquiry).delete()
    InquiryLine.objects.bulk_create(
        [
            InquiryLine(inquiry=inquiry, product_id=line.product_id, quantity=Decimal(str(line.quantity)))
            for line in lines
        ]
    )


def _lines_summary(lines: Iterable[Any]) -> list[str]:
    return [f"{line.product_id}×{Decimal(str(line.quantity)).normalize():f}" for line in lines]


def _check_inquiry_values(fields: dict[str, Any]) -> None:
    if "estimated_amount" in fields:
        fields["estimated_amount"] = check_money(fields["estimated_amount"], "estimated_amount")
    if "deadline_on" in fields:
        check_not_past(fields["deadline_on"], "deadline_on")
    if "title" in fields:
        fields["title"] = check_text(fields["title"], "title", _("Give the inquiry a subject."))


@transaction.atomic
def inquiry_create(
    *,
    actor: User,
    customer_id: int,
    kind: str,
    source: str,
    title: str,
    description: str = "",
    deadline_on: datetime.date | None = None,
    estimated_amount: Decimal = Decimal("0"),
    is_flagged_major: bool = False,
    lines: Sequence[InquiryLineLike] = (),
    received_on: datetime.date | None = None,
) -> Inquiry:
    """Record an inquiry or tender (W2.1) for one of the actor's customers; the salesperson's manager
    is told at once, to decide whether to bid."""
    require(actor, *RAISERS)
    customer = visible_customer(actor, customer_id)
    values: dict[str, Any] = {"title": title, "deadline_on": deadline_on, "estimated_amount": estimated_amount}
    _check_inquiry_values(values)
    _check_inquiry_lines(lines)
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise InvalidInput(_("The date is in the future."), fields={"received_on": [_("Not in the future.")]})
    with field_errors():
        inquiry = document_create(
            Inquiry,
            flow=INQUIRY_FLOW,
            actor=actor,
            owner=actor,
            customer=customer,
            kind=kind,
            source=source,
            description=description or "",
            is_flagged_major=bool(is_flagged_major),
            received_on=received_on,
            **values,
        )
    _store_inquiry_lines(inquiry, lines, replace=False)
    notify(
        managers_of(inquiry, besides=actor),
        _("New %(kind)s %(number)s from %(customer)s: %(title)s")
        % {"kind": inquiry.get_kind_display(), "number": inquiry.number, "customer": customer, "title": inquiry.title},
        url=url_of(inquiry),
    )
    return inquiry


@transaction.atomic
def inquiry_update(
    *, inquiry: Inquiry, actor: User, version: int, lines: Sequence[InquiryLineLike] | None = None, **fields: Any
) -> Inquiry:
    """Edit a reported inquiry (before the bid decision); a stale ``version`` is refused.
    ``lines``, when given, replace the products asked for."""
    require(actor, *RAISERS)
    only(fields, INQUIRY_EDITABLE)
    current = inquiry_get_for(user=actor, pk=inquiry.pk)
    if current.owner_id != actor.pk:
        raise Forbidden(_("Only the owner may edit this document."))
    if "customer_id" in fields:
        fields["customer"] = visible_customer(actor, fields.pop("customer_id"))
    _check_inquiry_values(fields)
    more_changes = None
    if lines is not None:
        _check_inquiry_lines(lines)
        before, after = _lines_summary(current.lines.all()), _lines_summary(lines)
        if before != after:
            more_changes = {"lines": (before, after)}
    with field_errors():
        # One edit event names the fields and the lines.
        updated = document_update(
            current, flow=INQUIRY_FLOW, actor=actor, version=version, fields=fields, more_changes=more_changes
        )
    if more_changes:
        _store_inquiry_lines(updated, lines, replace=True)
    return updated


@transaction.atomic
def inquiry_decide_bid(*, inquiry: Inquiry, actor: User, comment: str = "") -> Inquiry:
    """The manager decides to bid (W2.1). Not major: bidding at once. Major: waits for leadership."""
    return transition(INQUIRY_FLOW, inquiry, "bid", actor=actor, comment=comment)


@transaction.atomic
def inquiry_decline(*, inquiry: Inquiry, actor: User, reason: str) -> Inquiry:
    """The manager decides not to bid, with the reason (W2.1). On a major inquiry the decision is
    leadership's: the manager's decline becomes a proposal (DECLINE_PROPOSED) that leadership agrees
    with (declined) or overrules (bidding), the same way a decision to bid waits for its instruction."""
    current = inquiry_get_for(user=actor, pk=inquiry.pk)
    action = "propose_decline" if current.state == InquiryState.REPORTED and is_major(current) else "decline"
    text = (reason or "").strip()
    # The reason shows while leadership decides; an instruction to bid clears it.
    return transition(INQUIRY_FLOW, current, action, actor=actor, comment=text, values={"decline_reason": text})


@transaction.atomic
def inquiry_instruct(*, inquiry: Inquiry, actor: User, comment: str = "") -> Inquiry:
    """Leadership instructs to bid on a major inquiry (the policy's leadership step): after the
    manager's decision to bid, or against the manager's proposal to decline it."""
    current = inquiry_get_for(user=actor, pk=inquiry.pk)
    if current.state == InquiryState.DECLINE_PROPOSED:
        return transition(
            INQUIRY_FLOW, current, "instruct_bid", actor=actor, comment=comment or "", values={"decline_reason": ""}
        )
    return transition(INQUIRY_FLOW, current, "instruct", actor=actor, comment=comment)


@transaction.atomic
def inquiry_overrule(*, inquiry: Inquiry, actor: User, reason: str) -> Inquiry:
    """Leadership decides not to bid on a major inquiry, with the reason: overruling the manager's
    decision to bid, or agreeing with the manager's proposal to decline (the proposal's reason is kept
    when leadership adds none)."""
    current = inquiry_get_for(user=actor, pk=inquiry.pk)
    text = (reason or "").strip()
    if current.state == InquiryState.DECLINE_PROPOSED:
        values = {"decline_reason": text or current.decline_reason}
        return transition(INQUIRY_FLOW, current, "agree_decline", actor=actor, comment=text, values=values)
    return transition(INQUIRY_FLOW, current, "overrule", actor=actor, comment=text, values={"decline_reason": text})


@transaction.atomic
def inquiry_cancel(*, inquiry: Inquiry, actor: User, reason: str) -> Inquiry:
    """Its salesperson cancels a reported inquiry (the customer withdrew it before the bid decision);
    it keeps its number, with the reason."""
    return transition(INQUIRY_FLOW, inquiry, "cancel", actor=actor, comment=(reason or "").strip())


@transaction.atomic
def support_request_refusal(inquiry: Inquiry, actor: User) -> ApplicationError | None:
    """Why ``actor`` may not ask for support on ``inquiry`` now (None: they may). The service raises
    it and the inquiry page's Ask for support button asks the same question."""
    if not actor.has_role(*RAISERS):
        return Forbidden(_("Your role may not do this."))
    if inquiry.owner_id != actor.pk and not actor.has_role(*MANAGERS):
        return Forbidden(_("Only the inquiry's salesperson or a manager may ask for support."))
    if inquiry.state not in OPEN_INQUIRY_STATES:
        return TransitionNotAllowed(_("The inquiry is closed; no support can be asked for it."))
    return None


def support_request_create(
    *, actor: User, inquiry: Inquiry, kind: str, question: str, due_on: datetime.date
) -> SupportRequest:
    """Ask technical (models, parameters) or purchasing (raw-material prices, lead times) for help with
    an open inquiry, by a due date; its salesperson or a manager asks, the department is told."""
    require(actor, *RAISERS)
    current = inquiry_get_for(user=actor, pk=inquiry.pk)
    refusal = support_request_refusal(current, actor)
    if refusal is not None:
        raise refusal
    errors: dict[str, list[str]] = {}
    if kind not in SupportKind.values:
        errors["kind"] = [_("Choose technical or purchasing.")]
    if not (question or "").strip():
        errors["question"] = [_("This field is required.")]
    if not isinstance(due_on, datetime.date) or due_on < timezone.localdate():
        errors["due_on"] = [_("Today or later.")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    request = SupportRequest.objects.create(
        inquiry=current, kind=kind, question=question.strip(), due_on=due_on, requested_by=actor
    )
    record_event(
        current,
        "support_request",
        actor=actor,
        from_state=current.state,
        to_state=current.state,
        comment=request.question,
        changes={"support_request": (None, request.pk), "kind": (None, kind), "due_on": (None, due_on)},
    )
    notify(
        holders_of(ANSWERER[kind]),
        _("%(number)s (%(customer)s) asks for %(kind)s by %(due)s")
        % {
            "number": current.number,
            "customer": current.customer,
            "kind": request.get_kind_display(),
            "due": due_on.isoformat(),
        },
        url=support_request_url(request),
    )
    return request


def _note_on_inquiry(request: SupportRequest, action: str, *, actor: User, text: str) -> None:
    """The inquiry's history shows its support requests settled (the request's own event has the
    details): its salesperson reads the story of the deal on the inquiry."""
    inquiry = request.inquiry
    record_event(
        inquiry,
        action,
        actor=actor,
        from_state=inquiry.state,
        to_state=inquiry.state,
        comment=text,
        changes={"support_request": (request.pk, request.pk), "state": (SupportState.OPEN, request.state)},
    )


@transaction.atomic
def support_request_answer(*, actor: User, support_request: SupportRequest, answer: str) -> SupportRequest:
    """The addressed department writes its answer (technical for technical, purchasing for purchasing);
    the requester is told."""
    require(actor, Role.TECHNICAL, Role.PURCHASING)
    text = check_text(answer, "answer", _("Write the answer."))
    request = transition(
        SUPPORT_FLOW,
        support_request,
        "answer",
        actor=actor,
        values={"answer": text, "answered_by": actor, "answered_at": timezone.now()},
        related=("inquiry",),
    )
    _note_on_inquiry(request, "support_answered", actor=actor, text=text)
    if request.requested_by_id != actor.pk:
        notify(
            [request.requested_by],
            _("%(department)s answered your question on %(number)s")
            % {"department": request.get_kind_display(), "number": request.inquiry.number},
            url=url_of(request.inquiry),
        )
    return request


@transaction.atomic
def support_request_waive(*, actor: User, support_request: SupportRequest, reason: str) -> SupportRequest:
    """The manager waives an open request, with the reason: the quotation may then go to review."""
    require(actor, *MANAGERS)
    if not Inquiry.objects.visible_to(actor).filter(pk=support_request.inquiry_id).exists():
        raise NotFound(_("Support request not found."))
    text = check_text(reason, "reason", _("Please give a reason."))
    request = transition(
        SUPPORT_FLOW,
        support_request,
        "waive",
        actor=actor,
        comment=text,
        values={"waive_reason": text},
        related=("inquiry",),
    )
    _note_on_inquiry(request, "support_waived", actor=actor, text=text)
    # The department may stop working on it.
    notify(
        holders_of(ANSWERER[request.kind]),
        _("The question on %(number)s was withdrawn: %(reason)s") % {"number": request.inquiry.number, "reason": text},
        url=support_request_url(request),
    )
    return request
