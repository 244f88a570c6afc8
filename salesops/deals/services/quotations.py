"""Writers of quotations and tender documents (报价单 / 标书), W2.5-6 and R4.

A quotation is drafted from an inquiry the manager decided to bid on (W2.1), or directly for a
customer. Its lines are checked, priced (tax-inclusive) and stored once (``lines``); every write
re-derives whether it is *non-standard* (R4): a price under the product's floor, a discount beyond
the company's limit, non-standard payment terms, or a warranty, delivery time or other terms that
differ from the company's standard terms (``StandardTerms``, admin-edited). The manager reviews every
quotation before it is printed, leadership too when major (the policy in ``policies.py``; a quotation
of a major inquiry is major); whoever wrote its prices (drafted it or edited its lines, ``priced_by``)
never approves it. Only an approved quotation is issued. A revision is a new quotation that supersedes
the previous one, which stays readable. The outcome (won, lost, withdrawn) is recorded on the quotation
and the inquiry follows; signing its contract wins it. Once a contract is drafted from it, it is no
longer revised, lost or withdrawn. A draft or returned one may be cancelled, keeping its number. A loss
to a known competitor or at a known price becomes market intelligence (R1).
"""

import datetime
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import ApplicationError, Forbidden, InvalidInput, NotFound, TransitionNotAllowed, field_errors
from salesops.core.policy import require
from salesops.core.selectors import by_key
from salesops.customers.models import IntelSubject
from salesops.customers.selectors import competitor_get_for
from salesops.customers.services import intel_create
from salesops.org.models import User
from salesops.workflow.approvals import is_major
from salesops.workflow.services import document_create, document_update, transition

from ..choices import InquiryState, PaymentTerms, QuotationState
from ..lines import LineIn, check_lines, priced_rows, store_rows, totals_of
from ..models import Inquiry, PricedDocument, Quotation, QuotationLine, StandardTerms
from ..policies import PricingPolicy, pricing_policy
from ..selectors.quotations import quotation_get_for
from ..workflows import INQUIRY_FLOW, MANAGERS, QUOTATION_FLOW, live_contracts_of_inquiry, no_live_contract
from .inquiries import RAISERS, check_money, check_text, only, visible_customer

QUOTATION_EDITABLE = ("customer_id", "valid_until", *PricedDocument.TERM_FIELDS)
# Quotations still in play for their inquiry: while one is, a loss or withdrawal of another leaves it bidding.
LIVE_STATES = (
    QuotationState.DRAFT,
    QuotationState.PENDING,
    QuotationState.APPROVED,
    QuotationState.REJECTED,
    QuotationState.ISSUED,
)
PERCENT = Decimal("0.1")


def _money(amount: Decimal) -> str:
    return f"¥{amount:.2f}"


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).quantize(PERCENT, rounding=ROUND_HALF_UP):f}%"


def non_standard_reasons(
    quotation: Any, *, lines: Iterable[Any] | None = None, policy: PricingPolicy | None = None
) -> list[str]:
    """Why the quotation is non-standard (R4), one short sentence per line or term; empty when standard.

    Prices are compared as quoted (tax-inclusive unit price) with the product's standard and floor
    prices; the largest standard discount is ``Company.max_discount_rate``. ``lines`` are the rows as
    stored (with their products), ``policy`` the pricing policy read this step; each is read when not given."""
    policy = policy if policy is not None else pricing_policy()
    limit = policy.max_discount_rate
    reasons: list[str] = []
    if lines is None:
        lines = quotation.lines.select_related("product").order_by("pk")
    for index, line in enumerate(lines, start=1):
        product = line.product
        where = {"line": index, "product": product.code, "price": _money(line.unit_price)}
        if line.unit_price < product.floor_price:
            reasons.append(
                _("Line %(line)s (%(product)s): %(price)s is below the floor price %(floor)s.")
                % {**where, "floor": _money(product.floor_price)}
            )
        if product.standard_price > 0 and line.unit_price < product.standard_price * (1 - limit):
            discount = 1 - line.unit_price / product.standard_price
            reasons.append(
                _("Line %(line)s (%(product)s): %(price)s is %(discount)s off %(standard)s (limit %(limit)s).")
                % {
                    **where,
                    "discount": _percent(discount),
                    "standard": _money(product.standard_price),
                    "limit": _percent(limit),
                }
            )
    if quotation.payment_terms == PaymentTerms.OTHER:
        terms = quotation.payment_terms_note.strip() or str(PaymentTerms.OTHER.label)
        reasons.append(_("Payment terms: %(terms)s (not a standard term).") % {"terms": terms})
    reasons.extend(_term_reasons(quotation, policy.standard_terms))
    return reasons


def _normal(text: Any) -> str:
    """A term as compared: surrounding blanks dropped, inner runs of blanks as one space."""
    return " ".join(str(text or "").split())


def _term_reasons(quotation: Any, standard: dict[str, str]) -> list[str]:
    """One reason per term that differs from the company's standard one; an empty standard sets none."""
    reasons = []
    for name in StandardTerms.CHECKED_FIELDS:
        expected = _normal(standard.get(name))
        given = _normal(getattr(quotation, name))
        if expected and given != expected:
            reasons.append(
                _("%(term)s: %(given)s differs from the standard terms (%(standard)s).")
                % {
                    "term": Quotation._meta.get_field(name).verbose_name,
                    "given": f"“{given}”" if given else _("none given"),
                    "standard": f"“{expected}”",
                }
            )
    return reasons


def _r4(terms: Any, rows: Sequence[Any], policy: PricingPolicy) -> dict[str, Any]:
    """The R4 flag and its reasons, derived from the terms and the line rows as they are stored."""
    reasons = non_standard_reasons(terms, lines=rows, policy=policy)
    return {"is_non_standard": bool(reasons), "non_standard_reasons": reasons}


def _derived(terms: Any, rows: Sequence[Any], policy: PricingPolicy) -> dict[str, Any]:
    """What a quotation stores from its lines and terms (totals, R4), set in the write that stores them."""
    return {**totals_of(rows), **_r4(terms, rows, policy)}


def _terms(source: Any, **given: Any) -> SimpleNamespace:
    """The quotation's terms as they will be stored: ``given`` over ``source``'s (R4 reads them)."""
    return SimpleNamespace(**{name: given.get(name, getattr(source, name, "")) for name in PricedDocument.TERM_FIELDS})


def _add_price_writers(quotation: Quotation, *user_ids: int) -> None:
    """Record who wrote the quotation's prices (R4: they never approve them); one statement."""
    through = Quotation.priced_by.through
    through.objects.bulk_create(
        [through(quotation_id=quotation.pk, user_id=pk) for pk in set(user_ids)], ignore_conflicts=True
    )


def _lines_summary(lines: Iterable[Any]) -> list[str]:
    def number(value: Any) -> str:
        return f"{Decimal(str(value)).normalize():f}"

    return [f"{line.product_id}×{number(line.quantity)}@{number(line.unit_price)}" for line in lines]


def _check_valid_until(valid_until: Any) -> None:
    if not isinstance(valid_until, datetime.date):
        raise InvalidInput(_("Give the validity date."), fields={"valid_until": [_("This field is required.")]})
    if valid_until < timezone.localdate():
        raise InvalidInput(_("The validity date has passed."), fields={"valid_until": [_("Today or later.")]})


def owned_quotation(actor: User, quotation: Quotation) -> Quotation:
    """The quotation as the actor may see it (NotFound otherwise), if the actor owns it (Forbidden otherwise)."""
    current = quotation_get_for(user=actor, pk=quotation.pk)
    if current.owner_id != actor.pk:
        raise Forbidden(_("Only the quotation's salesperson may do this."))
    return current


def quote_refusal(inquiry: Inquiry, actor: User) -> ApplicationError | None:
    """Why ``actor`` may not quote for ``inquiry`` now (None: they may). ``quotation_create`` raises
    it and the inquiry page's New quotation button asks the same question."""
    if not actor.has_role(*RAISERS):
        return Forbidden(_("Your role may not do this."))
    if inquiry.owner_id != actor.pk and not actor.has_role(*MANAGERS):
        return Forbidden(_("Only the inquiry's salesperson or a manager may quote for it."))
    if inquiry.state != InquiryState.BIDDING:
        return TransitionNotAllowed(_("Quote only for an inquiry the manager decided to bid on."))
    return None


@transaction.atomic
def quotation_create(
    *,
    actor: User,
    valid_until: datetime.date,
    lines: Sequence[LineIn],
    inquiry_id: int | None = None,
    customer_id: int | None = None,
    payment_terms: str = PaymentTerms.ON_DELIVERY,
    payment_terms_note: str = "",
    delivery_time: str = "",
    delivery_place: str = "",
    warranty: str = "",
    other_terms: str = "",
) -> Quotation:
    """Draft a quotation: from an inquiry in bidding (owned by the inquiry's salesperson, who issues
    it), or directly for one of the actor's customers. Lines are ``LineIn`` with tax-inclusive prices.
    Totals and the R4 flag are derived from the lines as stored and written with the quotation."""
    require(actor, *RAISERS)
    inquiry = None
    if inquiry_id is not None:
        # Read within the actor's scope and locked in one statement: a concurrent decision or outcome
        # cannot slip in between.
        inquiry = by_key(
            Inquiry.objects.visible_to(actor)
            .select_for_update(of=("self",))
            .select_related("owner", "customer")
            .filter(pk=inquiry_id)
        )
        if inquiry is None:
            raise InvalidInput(_("Unknown inquiry."), fields={"inquiry": [_("Choose one of your inquiries.")]})
        refusal = quote_refusal(inquiry, actor)
        if refusal is not None:
            raise refusal
        # Read after the inquiry's lock (contract drafting locks it too): one deal, one live contract.
        contract_number = live_contracts_of_inquiry(inquiry.pk).values_list("number", flat=True).first()
        if contract_number:
            raise TransitionNotAllowed(
                _("Contract %(number)s was drafted for this inquiry; void it before quoting again.")
                % {"number": contract_number}
            )
        if customer_id not in (None, inquiry.customer_id):
            raise InvalidInput(
                _("The quotation is for the inquiry's customer."),
                fields={"customer": [_("Not the inquiry's customer.")]},
            )
        customer, owner = inquiry.customer, inquiry.owner
    else:
        customer, owner = visible_customer(actor, customer_id), actor
    _check_valid_until(valid_until)
    products = check_lines(lines)
    policy = pricing_policy(threshold_for=Inquiry.doc_type() if inquiry is not None else None)
    # W2.1 → W2.5: a major inquiry (flagged, or at its threshold) makes its quotations major.
    major = inquiry is not None and is_major(inquiry, threshold=policy.threshold)
    terms = {
        "payment_terms": payment_terms,
        "payment_terms_note": payment_terms_note or "",
        "delivery_time": delivery_time or "",
        "delivery_place": delivery_place or "",
        "warranty": warranty or "",
        "other_terms": other_terms or "",
    }
    rows = priced_rows(lines, line_model=QuotationLine, products=products)
    with field_errors():
        quotation = document_create(
            Quotation,
            flow=QUOTATION_FLOW,
            actor=actor,
            owner=owner,
            inquiry=inquiry,
            customer=customer,
            valid_until=valid_until,
            is_flagged_major=major,
            **terms,
            **_derived(_terms(None, **terms), rows, policy),
        )
    store_rows(rows, line_model=QuotationLine, parent_field="quotation", parent=quotation, replace=False)
    _add_price_writers(quotation, actor.pk)
    return quotation


@transaction.atomic
def quotation_update(
    *, quotation: Quotation, actor: User, version: int, lines: Sequence[LineIn] | None = None, **fields: Any
) -> Quotation:
    """Edit a draft or returned quotation (terms, validity, and the lines when given); a stale ``version``
    is refused. Totals and the R4 flag are derived again and written in the same edit, whose one event
    names the lines too."""
    require(actor, *RAISERS)
    only(fields, QUOTATION_EDITABLE)
    current = owned_quotation(actor, quotation)
    if "customer_id" in fields:
        customer_id = fields.pop("customer_id")
        if current.inquiry_id is not None:
            if customer_id != current.customer_id:
                raise InvalidInput(
                    _("The quotation is for the inquiry's customer."),
                    fields={"customer": [_("Not the inquiry's customer.")]},
                )
        else:
            fields["customer"] = visible_customer(actor, customer_id)
    if "valid_until" in fields:
        _check_valid_until(fields["valid_until"])
    products = check_lines(lines) if lines is not None else None
    stored = list(current.lines.all())  # prefetched with their products
    before_lines = _lines_summary(stored)
    new_rows = None
    more_changes = None
    if lines is not None and _lines_summary(lines) != before_lines:
        new_rows = priced_rows(lines, line_model=QuotationLine, products=products)
        more_changes = {"lines": (before_lines, _lines_summary(lines))}
    derived = _derived(_terms(current, **fields), new_rows if new_rows is not None else stored, pricing_policy())
    with field_errors():
        updated = document_update(
            current,
            flow=QUOTATION_FLOW,
            actor=actor,
            version=version,
            fields={**fields, **derived},
            more_changes=more_changes,
        )
    if new_rows is not None:
        store_rows(new_rows, line_model=QuotationLine, parent_field="quotation", parent=updated, replace=True)
        _add_price_writers(updated, actor.pk)
    return updated


@transaction.atomic
def quotation_submit(*, quotation: Quotation, actor: User, comment: str = "") -> Quotation:
    """Send the quotation to review (W2.5): refused while a support request is unanswered and not
    waived, or once its validity date has passed. The R4 flag is derived again from today's prices,
    from the lines and terms as stored, under the row lock: in the submission's own write and event,
    before the approval chain is planned from it."""

    def r4(locked: Quotation) -> dict[str, Any]:
        if locked.owner_id != actor.pk:
            raise Forbidden(_("Only the quotation's salesperson may do this."))
        # Prefetched onto the locked row: the guard's "has lines" reads them from here.
        prefetch_related_objects(
            [locked], Prefetch("lines", queryset=QuotationLine.objects.select_related("product").order_by("pk"))
        )
        return _r4(locked, list(locked.lines.all()), pricing_policy())

    return transition(
        QUOTATION_FLOW, quotation, "submit", actor=actor, comment=comment, values=r4, related=("customer",)
    )


@transaction.atomic
def quotation_approve(*, quotation: Quotation, actor: User, comment: str = "") -> Quotation:
    """The current approver (the manager; then leadership when major) approves."""
    return transition(QUOTATION_FLOW, quotation, "approve", actor=actor, comment=comment)


@transaction.atomic
def quotation_reject(*, quotation: Quotation, actor: User, reason: str) -> Quotation:
    """The current approver returns the quotation to its salesperson, with the reason."""
    return transition(QUOTATION_FLOW, quotation, "reject", actor=actor, comment=reason or "")


@transaction.atomic
def quotation_issue(*, quotation: Quotation, actor: User, comment: str = "") -> Quotation:
    """Its salesperson issues an approved quotation (W2.6): the issue time is recorded."""
    values = {"issued_at": timezone.now()}
    return transition(QUOTATION_FLOW, quotation, "issue", actor=actor, comment=comment, values=values)


@transaction.atomic
def quotation_revise(*, quotation: Quotation, actor: User, comment: str = "") -> Quotation:
    """Revise a returned, approved or issued quotation: a new draft (revision + 1, lines and terms
    copied) supersedes it; the earlier one stays readable."""
    require(actor, *RAISERS)
    current = owned_quotation(actor, quotation)
    # Locked first: two revisions of one quotation at once would both claim it as ``previous``.
    current = Quotation.objects.select_for_update().get(pk=current.pk)
    supersede = QUOTATION_FLOW.transitions["supersede"]
    if current.state not in supersede.sources:
        raise TransitionNotAllowed(
            _("This action is not possible while the document is %(state)s.") % {"state": current.get_state_display()}
        )
    refusal = no_live_contract(current)
    if refusal:
        raise TransitionNotAllowed(refusal)
    rows = priced_rows(current.lines.select_related("product").order_by("pk"), line_model=QuotationLine)
    with field_errors():
        revision = document_create(
            Quotation,
            flow=QUOTATION_FLOW,
            actor=actor,
            owner=current.owner,
            inquiry_id=current.inquiry_id,
            customer_id=current.customer_id,
            valid_until=current.valid_until,
            revision=current.revision + 1,
            previous=current,
            is_flagged_major=current.is_flagged_major,
            **{name: getattr(current, name) for name in PricedDocument.TERM_FIELDS},
            **_derived(current, rows, pricing_policy()),
        )
    store_rows(rows, line_model=QuotationLine, parent_field="quotation", parent=revision, replace=False)
    # The copied prices keep their writers; the reviser is their owner, excluded anyway.
    _add_price_writers(revision, actor.pk, *current.excluded_approver_ids())
    note = _("Revised as %(number)s.") % {"number": revision.number}
    transition(QUOTATION_FLOW, current, "supersede", actor=actor, comment=f"{note} {comment}".strip())
    return revision


def _inquiry_follows(quotation: Quotation, action: str, *, actor: User, comment: str) -> None:
    """The inquiry takes the quotation's outcome: won at once; lost or withdrawn once no other
    quotation of it is still in play."""
    if quotation.inquiry_id is None:
        return
    # The inquiry read with the quotation when it was (its state is checked again under its lock).
    inquiry = (
        quotation.inquiry if Quotation.inquiry.is_cached(quotation) else Inquiry.objects.get(pk=quotation.inquiry_id)
    )
    if inquiry.state != InquiryState.BIDDING:
        return
    if action != "win":
        others = Quotation.objects.filter(inquiry_id=inquiry.pk, state__in=LIVE_STATES).exclude(pk=quotation.pk)
        if others.exists():
            return
    transition(INQUIRY_FLOW, inquiry, action, actor=actor, comment=comment)


# The quotation outcome an inquiry takes when its last live quotation is cancelled.
OUTCOME_ACTIONS = {QuotationState.LOST: "lose", QuotationState.WITHDRAWN: "withdraw"}


def _inquiry_after_cancel(quotation: Quotation, *, actor: User, comment: str) -> None:
    """A cancelled draft was never sent: the inquiry stays bidding (quote again) unless no quotation of
    it is in play any more and an earlier one ended lost or withdrawn; then it takes that outcome, as
    it would have when that one ended had this draft not kept it open."""
    if quotation.inquiry_id is None:
        return
    siblings = Quotation.objects.filter(inquiry_id=quotation.inquiry_id).exclude(pk=quotation.pk)
    if siblings.filter(state__in=LIVE_STATES).exists():
        return
    ended = siblings.filter(state__in=list(OUTCOME_ACTIONS)).order_by("-updated_at", "-pk")
    outcome = ended.values_list("state", flat=True).first()
    if outcome is not None:
        _inquiry_follows(quotation, OUTCOME_ACTIONS[outcome], actor=actor, comment=comment)


@transaction.atomic
def quotation_cancel(*, quotation: Quotation, actor: User, reason: str) -> Quotation:
    """Cancel a draft or returned quotation that will not go out (its salesperson or a manager), with
    the reason; it keeps its number (no pile of numbered drafts)."""
    text = (reason or "").strip()
    cancelled = transition(QUOTATION_FLOW, quotation, "cancel", actor=actor, comment=text)
    _inquiry_after_cancel(cancelled, actor=actor, comment=text)
    return cancelled


def quotation_close_won(*, quotation: Quotation, actor: User, contract_number: str) -> None:
    """W3.4: signing the contract closes the deal; its issued quotation is won and the inquiry follows.
    Called by ``contract_sign`` inside its transaction, the signer as actor (the contract's owner, who
    is the quotation's and the inquiry's: ``win`` admits the owner). A quotation already recorded won
    stays so."""
    note = _("Contract %(number)s signed.") % {"number": contract_number}
    # The state as the contract read it; ``transition`` checks it again under the row lock.
    if quotation.state == QuotationState.ISSUED:
        transition(QUOTATION_FLOW, quotation, "win", actor=actor, comment=note, values={"outcome_note": note})
    _inquiry_follows(quotation, "win", actor=actor, comment=note)


def deal_lost_after_contract(*, quotation: Quotation, actor: User, contract_number: str, reason: str) -> None:
    """The signed contract of a won deal was voided, or cancelled by the customer: the deal is lost
    after all. The won quotation becomes lost with the reason, and the inquiry follows unless another
    quotation of it is still in play. Called by the contract's service in its transaction."""
    note = _("Contract %(number)s cancelled: %(reason)s") % {"number": contract_number, "reason": reason}
    if quotation.state == QuotationState.WON:
        values = {"outcome_note": note[:2000]}
        transition(QUOTATION_FLOW, quotation, "contract_cancelled", actor=actor, comment=note, values=values)
    if quotation.inquiry_id is None:
        return
    inquiry = Inquiry.objects.get(pk=quotation.inquiry_id)
    others = Quotation.objects.filter(inquiry_id=inquiry.pk, state__in=LIVE_STATES).exclude(pk=quotation.pk)
    if inquiry.state == InquiryState.WON and not others.exists():
        transition(INQUIRY_FLOW, inquiry, "contract_cancelled", actor=actor, comment=note)


@transaction.atomic
def quotation_record_won(*, quotation: Quotation, actor: User, note: str = "") -> Quotation:
    """The customer accepted the issued quotation (the contract is drafted from it)."""
    won = transition(
        QUOTATION_FLOW, quotation, "win", actor=actor, comment=note or "", values={"outcome_note": (note or "").strip()}
    )
    _inquiry_follows(won, "win", actor=actor, comment=note or "")
    return won


@transaction.atomic
def quotation_record_lost(
    *,
    quotation: Quotation,
    actor: User,
    note: str,
    competitor_id: int | None = None,
    winning_price: Decimal | None = None,
) -> Quotation:
    """The deal went elsewhere. With the winning competitor or price known, the loss is also recorded
    as market intelligence (R1), the actor as its author."""
    require(actor, *RAISERS)
    current = quotation_get_for(user=actor, pk=quotation.pk)
    text = check_text(note, "note", _("Say why the deal was lost."))
    competitor = None
    if competitor_id is not None:
        try:
            competitor = competitor_get_for(user=actor, pk=competitor_id)
        except NotFound:
            raise InvalidInput(
                _("Unknown competitor."), fields={"competitor": [_("Choose a recorded competitor.")]}
            ) from None
    price = None if winning_price is None else check_money(winning_price, "winning_price")
    lost = transition(
        QUOTATION_FLOW,
        current,
        "lose",
        actor=actor,
        comment=text,
        values={"lost_to": competitor, "lost_price": price, "outcome_note": text},
    )
    if competitor is not None or price is not None:
        intel_create(
            actor=actor,
            subject=IntelSubject.COMPETITOR if competitor is not None else IntelSubject.MARKET,
            customer_id=lost.customer_id,
            competitor_id=competitor.pk if competitor is not None else None,
            sales_info=_("%(competitor)s won %(customer)s at %(price)s against our quotation %(number)s (%(ours)s).")
            % {
                "competitor": competitor.name if competitor is not None else _("An unknown competitor"),
                "customer": lost.customer.name,
                "number": lost.number,
                "ours": _money(lost.total_amount),
                "price": _money(price) if price is not None else _("an unknown price"),
            },
            market_facts=text,
        )
    _inquiry_follows(lost, "lose", actor=actor, comment=text)
    return lost


@transaction.atomic
def quotation_withdraw(*, quotation: Quotation, actor: User, note: str) -> Quotation:
    """Withdraw an approved or issued quotation, with the reason; the inquiry follows."""
    text = (note or "").strip()
    withdrawn = transition(
        QUOTATION_FLOW,
        quotation,
        "withdraw",
        actor=actor,
        comment=text,
        values={"outcome_note": text},
        comment_field="note",
    )
    _inquiry_follows(withdrawn, "withdraw", actor=actor, comment=text)
    return withdrawn
