"""Writers of sales contracts (销售合同), W3(3)-(5).

A contract is drafted from an issued (or won) quotation that is still valid, with its lines and
terms; it is major when its quotation was (leadership then re-confirms it).
Every write stores the contract's deviations from that quotation (``deals.deviations``); a
contract with deviations carries the ``deviation`` flag, so submitting it asks the manager to
re-confirm it (leadership too when major), and one without deviations or majority is confirmed
at once (CONTRACT_FLOW, the policies in ``deals.policies``). Only a confirmed contract is signed,
by its salesperson, with the signing date and the signed scan; the sales office is told to
archive it the same day and the archive time shows whether it was late. Signing closes the deal:
the quotation is won and its inquiry too. A voided contract keeps its number and reason (R15); an
archived one the customer later cancels is voided the same way (``contract_cancel``).

Each service checks the actor first, runs in one transaction and writes its audit event in it; a
refusal leaves nothing behind.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from salesops.core.errors import (
    ApplicationError,
    Forbidden,
    InvalidInput,
    NotFound,
    StaleEdit,
    TransitionNotAllowed,
    field_errors,
)
from salesops.core.selectors import by_key
from salesops.org.models import User, active_holders
from salesops.org.roles import Role
from salesops.org.scoping import sees_own
from salesops.workflow.approvals import is_major, plan_chain, steps_of, threshold_of
from salesops.workflow.attachments import attachment_add, scan_problems
from salesops.workflow.models import DocumentEvent, StepStatus
from salesops.workflow.services import document_create, document_update, events_together, notify, transition

from ..choices import ContractState, QuotationState
from ..deviations import TERM_FIELDS, compare, lines_summary, terms_of
from ..lines import LineIn, check_lines, priced_rows, store_rows, totals_of
from ..models import Contract, ContractLine, Inquiry, Quotation
from ..selectors.contracts import url_of
from ..workflows import CONTRACT_FLOW, MANAGERS, live_contracts, live_contracts_of_inquiry
from .quotations import deal_lost_after_contract, quotation_close_won

# W3.3: "re-confirmed by the manager or leadership".
DEVIATION_CONFIRMERS = frozenset({Role.SALES_MANAGER, Role.BRANCH_MANAGER, Role.LEADERSHIP})
# A quotation a contract is drafted from: issued, or already recorded won (the customer accepted).
CONTRACTABLE = (QuotationState.ISSUED, QuotationState.WON)


def _visible(actor: User, contract: Contract, *, lock: bool = False, related: Sequence[str] = ()) -> Contract:
    found = Contract.objects.visible_to(actor)
    if lock:
        found = found.select_for_update(of=("self",))
    found = by_key(found.select_related("quotation", *related).filter(pk=contract.pk))
    if found is None:
        raise NotFound(_("Contract not found."))
    return found


def _only(fields: dict[str, Any], allowed: Sequence[str]) -> None:
    # Mass assignment (RELIABILITY c.13): state, number, owner, deviations are set by the services only.
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InvalidInput(
            _("These fields cannot be changed."), fields={name: [_("Not editable.")] for name in unknown}
        )


def _lines_with_products(doc: Any) -> list[Any]:
    """The document's stored lines in order, with their products (one query)."""
    return list(doc.lines.select_related("product").order_by("pk"))


def _labels(*line_lists: Sequence[Any]) -> dict[int, str]:
    """Product labels of lines read with their products (no query)."""
    return {line.product_id: str(line.product) for lines in line_lists for line in lines}


def _deviations(quotation: Quotation, quotation_lines: Sequence[Any], terms: Any, lines: Sequence[Any]) -> list:
    return compare(
        quotation_terms=terms_of(quotation),
        quotation_lines=quotation_lines,
        contract_terms=terms,
        contract_lines=lines,
        products=_labels(quotation_lines, lines),
    )


def contract_draft_refusal(quotation: Quotation, actor: User) -> ApplicationError | None:
    """Why ``actor`` may not draft a contract from ``quotation`` now (None: they may), but for a live
    contract, which the service reads under the lock. The quotation page's button asks the same."""
    if quotation.owner_id != actor.pk and not actor.has_role(*MANAGERS):
        return Forbidden(_("Only the quotation's salesperson or their manager may draft its contract."))
    if quotation.state not in CONTRACTABLE:
        return TransitionNotAllowed(
            _("Only an issued or won quotation becomes a contract; %(number)s is %(state)s.")
            % {"number": quotation.number, "state": quotation.get_state_display()}
        )
    if quotation.valid_until < timezone.localdate():
        message = _(
            "Quotation %(number)s was valid until %(date)s; it can no longer become a contract. "
            "Revise the quotation and issue it again."
        ) % {"number": quotation.number, "date": date_format(quotation.valid_until, "SHORT_DATE_FORMAT")}
        return InvalidInput(message, fields={"quotation": [_("The quotation's validity date has passed.")]})
    return None


@transaction.atomic
def contract_draft_from_quotation(*, actor: User, quotation: Quotation) -> Contract:
    """Draft the contract of an issued (or won), still valid quotation: same customer, lines and terms;
    major when the quotation is (flagged from its inquiry, or at the quotation threshold).

    The quotation's salesperson or their manager drafts it; the contract belongs to the salesperson.
    One live contract per quotation (a voided one does not count). Totals and deviations are derived
    from the line rows it stores and written with the contract.
    """
    # In the actor's scope and locked in one read (two drafts of one quotation at the same moment
    # cannot both pass the check below), with the major threshold.
    locked = by_key(
        Quotation.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("owner", "customer")
        .annotate(major_at=threshold_of(Quotation.doc_type()))
        .filter(pk=quotation.pk)
    )
    if locked is None:
        raise NotFound(_("Quotation not found."))
    refusal = contract_draft_refusal(locked, actor)
    if refusal is not None:
        raise refusal
    # The live contract is read after the lock, in a statement of its own (on PostgreSQL a subquery of
    # the locking read would see the snapshot from before the wait, not the contract a concurrent
    # draft has just committed): along with the quotation's lines, which the contract copies.
    # One deal, one live contract: a sibling quotation of the same inquiry may already have one.
    # The inquiry's row is locked too, as quotation_create locks it, so neither slips past the other.
    if locked.inquiry_id is not None:
        by_key(Inquiry.objects.select_for_update().filter(pk=locked.inquiry_id).values_list("pk", flat=True))
        live = live_contracts_of_inquiry(locked.inquiry_id)
    else:
        live = live_contracts(locked.pk)
    quoted = list(locked.lines.select_related("product").annotate(live_contract=Subquery(live[:1])).order_by("pk"))
    existing = quoted[0].live_contract if quoted else live.values_list("number", flat=True).first()
    if existing:
        raise TransitionNotAllowed(
            _("Contract %(number)s was already drafted for this deal; void it first.") % {"number": existing}
        )
    rows = priced_rows(quoted, line_model=ContractLine)
    terms = terms_of(locked)
    with field_errors():
        contract = document_create(
            Contract,
            flow=CONTRACT_FLOW,
            actor=actor,
            owner=locked.owner,
            quotation=locked,
            customer=locked.customer,
            # W3.2: a major deal stays major at the contract (leadership re-confirms it).
            is_flagged_major=locked.is_flagged_major or is_major(locked, threshold=locked.major_at),
            **terms,
            **totals_of(rows),
            # Identical by construction; computed all the same, so the stored list is never assumed.
            deviations=_deviations(locked, quoted, terms, rows),
        )
    store_rows(rows, line_model=ContractLine, parent_field="contract", parent=contract, replace=False)
    # Drafted for themselves, a salesperson sees it by their own scope; a manager drafting for them
    # is asked the database.
    sees = contract.owner_id == actor.pk and sees_own(actor)
    if not sees and not Contract.objects.visible_to(actor).filter(pk=contract.pk).exists():
        raise Forbidden(_("You could not see this contract after drafting it; nothing was saved."))
    return contract


@transaction.atomic
def contract_update(
    *, actor: User, contract: Contract, version: int, lines: Sequence[LineIn] | None = None, **terms: Any
) -> Contract:
    """Edit a draft or returned contract: its terms and, when given, all its lines (``LineIn``).

    The deviations and totals are derived again and written in the same edit, whose one event names
    the lines too; a stale ``version`` is refused.
    """
    _only(terms, TERM_FIELDS)
    current = _visible(actor, contract)
    if current.owner_id != actor.pk and Role.ADMIN not in actor.roles:
        raise Forbidden(_("Only the owner may edit this document."))
    if current.state not in CONTRACT_FLOW.editable_states:
        raise TransitionNotAllowed(
            _("The document can no longer be edited in state %(state)s.") % {"state": current.get_state_display()}
        )
    if current.version != version:
        raise StaleEdit(_("Somebody else saved this document first; reload it and edit again."))
    products = check_lines(lines) if lines is not None else None
    old_lines = _lines_with_products(current)
    quoted = _lines_with_products(current.quotation)
    new_lines = None
    more_changes = None
    if lines is not None:
        new_lines = priced_rows(lines, line_model=ContractLine, products=products)
        labels = _labels(old_lines, new_lines)
        before, after = lines_summary(old_lines, labels), lines_summary(new_lines, labels)
        if before != after:
            more_changes = {"lines": (before, after)}
    stored = new_lines if new_lines is not None else old_lines
    fields = {
        **terms,
        **totals_of(stored),
        "deviations": _deviations(current.quotation, quoted, {**terms_of(current), **terms}, stored),
    }
    with field_errors():
        updated = document_update(
            current, flow=CONTRACT_FLOW, actor=actor, version=version, fields=fields, more_changes=more_changes
        )
    if new_lines is not None:
        store_rows(new_lines, line_model=ContractLine, parent_field="contract", parent=updated, replace=True)
    return updated


def _check_someone_confirms_deviations(contract: Contract) -> None:
    """W3.3 holds whatever the admin-edited policy says: deviations need a manager or leadership step."""
    if contract.deviations and not any(step.role in DEVIATION_CONFIRMERS for step in plan_chain(contract)):
        raise TransitionNotAllowed(
            _(
                "This contract deviates from its quotation, but the approval policy asks nobody to "
                "re-confirm it (W3.3). Ask the administrator to restore the contract approval rules."
            )
        )


@transaction.atomic
def contract_submit(*, actor: User, contract: Contract, comment: str = "") -> Contract:
    """Submit for re-confirmation: deviations → the manager; major → leadership; neither → confirmed at once.

    The deviations decide the chain: taken fresh, from the rows as stored, under the row lock, and
    written in the submission's own write and event."""

    def fresh_deviations(locked: Contract) -> dict[str, Any]:
        prefetch_related_objects(
            [locked], Prefetch("lines", queryset=ContractLine.objects.select_related("product").order_by("pk"))
        )
        quotation = locked.quotation
        deviations = _deviations(quotation, _lines_with_products(quotation), terms_of(locked), list(locked.lines.all()))
        locked.deviations = deviations
        if CONTRACT_FLOW.transitions["submit"].actor_allowed(locked, actor):
            _check_someone_confirms_deviations(locked)
        return {"deviations": deviations}

    return transition(
        CONTRACT_FLOW,
        contract,
        "submit",
        actor=actor,
        comment=comment,
        values=fresh_deviations,
        related=("quotation", "customer"),
    )


@transaction.atomic
def contract_confirm(*, actor: User, contract: Contract, comment: str = "") -> Contract:
    """The pending approver re-confirms (the last step moves the contract to confirmed)."""
    return transition(CONTRACT_FLOW, _visible(actor, contract), "confirm", actor=actor, comment=comment)


@transaction.atomic
def contract_reject(*, actor: User, contract: Contract, comment: str) -> Contract:
    """The pending approver returns the contract to its salesperson, with the reason."""
    return transition(CONTRACT_FLOW, _visible(actor, contract), "reject", actor=actor, comment=comment)


def deviations_unconfirmed(contract: Contract) -> str | None:
    """Why the contract's deviations are not re-confirmed (W3.3), or None when they are (or it has none).

    Re-confirmed means: the latest approval round ended with every step approved, at least one of
    them by a manager or leadership.
    """
    if not contract.deviations:
        return None
    steps = steps_of(contract)
    latest = [s for s in steps if s.round == max((s.round for s in steps), default=0)]
    if (
        latest
        and all(s.status == StepStatus.APPROVED for s in latest)
        and any(s.role in DEVIATION_CONFIRMERS for s in latest)
    ):
        return None
    return str(_("The deviations from the quotation have not been re-confirmed by the manager or leadership (W3.3)."))


def _confirmed_at():
    """When the contract last became confirmed (its event), as a subquery to read with the contract."""
    return Subquery(
        DocumentEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Contract),
            object_id=OuterRef("pk"),
            to_state=ContractState.CONFIRMED,
        )
        .order_by("-at", "-pk")
        .values("at")[:1]
    )


def _confirmed_on(contract: Contract) -> datetime.date | None:
    at = getattr(contract, "confirmed_at", None)
    if not hasattr(contract, "confirmed_at"):
        at = Contract.objects.filter(pk=contract.pk).annotate(at=_confirmed_at()).values_list("at", flat=True).first()
    return timezone.localtime(at).date() if at else None


def _check_signing(contract: Contract, signed_on: Any, scan: Any) -> None:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    confirmed_on = _confirmed_on(contract)
    if not isinstance(signed_on, datetime.date) or isinstance(signed_on, datetime.datetime):
        errors["signed_on"] = [_("Give the date the contract was signed.")]
    elif signed_on > today:
        errors["signed_on"] = [_("Not in the future.")]
    elif confirmed_on and signed_on < confirmed_on:
        # W3.4: signed only after the confirmation.
        errors["signed_on"] = [
            _("Not before the contract was confirmed (%(date)s).")
            % {"date": date_format(confirmed_on, "SHORT_DATE_FORMAT")}
        ]
    problems = scan_problems(scan, missing=_("Attach the signed contract (PDF or image)."))
    if problems:
        errors["scan"] = problems
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)


@transaction.atomic
@events_together()
def contract_sign(
    *, actor: User, contract: Contract, signed_on: datetime.date, scan: UploadedFile, comment: str = ""
) -> Contract:
    """Record the signing of a confirmed contract (W3.4) with its date and signed scan; the sales
    office is told to archive it today (W3.5)."""
    current = by_key(
        Contract.objects.visible_to(actor)
        .select_related("quotation__inquiry", "customer")
        .annotate(confirmed_at=_confirmed_at())
        .filter(pk=contract.pk)
    )
    if current is None:
        raise NotFound(_("Contract not found."))
    if current.owner_id != actor.pk:
        raise Forbidden(_("Only the contract's salesperson records its signing."))
    if current.state != ContractState.CONFIRMED:
        raise TransitionNotAllowed(
            _("Only a confirmed contract can be signed; %(number)s is %(state)s.")
            % {"number": current.number, "state": current.get_state_display()}
        )
    # Confirmed implies re-confirmed deviations (the chain had the manager's step); checked again so
    # that no policy edit or stray write can let an unconfirmed deviation be signed.
    refusal = deviations_unconfirmed(current)
    if refusal:
        raise TransitionNotAllowed(refusal)
    _check_signing(current, signed_on, scan)
    attachment_add(current, actor=actor, upload=scan, in_scope=True)  # read through visible_to above
    # The date goes with the state change, in one write (the "signed needs a date" CHECK holds).
    signed = transition(CONTRACT_FLOW, current, "sign", actor=actor, comment=comment, values={"signed_on": signed_on})
    # The deal is closed: the quotation is won, and its inquiry (same transaction, the signer acting).
    quotation_close_won(quotation=current.quotation, actor=actor, contract_number=signed.number)
    signed.customer = current.customer
    office = active_holders(Role.BACK_OFFICE)
    notify(
        office,
        _("Contract %(number)s (%(customer)s) was signed on %(date)s: archive it today (W3.5).")
        % {
            "number": signed.number,
            "customer": signed.customer.name,
            "date": date_format(signed.signed_on, "SHORT_DATE_FORMAT"),
        },
        url=url_of(signed),
        dedupe_key=f"archive-contract-{signed.pk}",
    )
    return signed


@transaction.atomic
def contract_archive(*, actor: User, contract: Contract, comment: str = "") -> Contract:
    """The sales office files the signed contract (W3.5); archived later than the signing day is late."""
    return transition(
        CONTRACT_FLOW,
        contract,
        "archive",
        actor=actor,
        comment=comment,
        values={"archived_at": timezone.now(), "archived_by": actor},
    )


@transaction.atomic
def contract_void(*, actor: User, contract: Contract, reason: str) -> Contract:
    """A manager or the admin voids the contract; it keeps its number, with the reason (R15)."""
    current = _visible(actor, contract)
    void = CONTRACT_FLOW.transitions["void"]
    if current.state in void.sources and not void.actor_allowed(current, actor):
        raise Forbidden(_("Your role may not do this."))
    reason = (reason or "").strip()
    if current.state in void.sources and not reason:
        raise InvalidInput(_("Please give a reason."), fields={"reason": [_("This field is required.")]})
    signed = current.state == ContractState.SIGNED
    # The kernel closes the voided contract's open approval steps.
    voided = transition(CONTRACT_FLOW, current, "void", actor=actor, comment=reason)
    if signed:
        _deal_lost(voided, actor=actor, reason=reason)
    return voided


@transaction.atomic
def contract_cancel(*, actor: User, contract: Contract, reason: str) -> Contract:
    """The customer cancelled an archived contract: a manager or the admin voids it with the reason;
    it keeps its number and shows as voided in the contract register (R15)."""
    current = _visible(actor, contract)
    cancel = CONTRACT_FLOW.transitions["cancel"]
    if current.state in cancel.sources and not cancel.actor_allowed(current, actor):
        raise Forbidden(_("Your role may not do this."))
    reason = (reason or "").strip()
    if current.state in cancel.sources and not reason:
        raise InvalidInput(_("Please give a reason."), fields={"reason": [_("This field is required.")]})
    cancelled = transition(CONTRACT_FLOW, current, "cancel", actor=actor, comment=reason)
    _deal_lost(cancelled, actor=actor, reason=reason)
    return cancelled


def _deal_lost(contract: Contract, *, actor: User, reason: str) -> None:
    """Signing closed the deal as won (W3.4); its contract voided or cancelled, the deal is lost."""
    quotation = Quotation.objects.get(pk=contract.quotation_id)
    deal_lost_after_contract(quotation=quotation, actor=actor, contract_number=contract.number, reason=reason)
