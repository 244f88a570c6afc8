"""The instruments register (票据登记簿), R9 and R12: registering what a salesperson received,
finance's signature (签收), and what becomes of the instrument.

Every service checks the actor's role first, then locks the instrument as the actor may see it,
then its state, then the input (every bad field at once); a refusal changes nothing. Endorsing or
discounting part of an electronic bill splits it under the parent's lock, in the same transaction:
the parent goes to ``split``, two children are made (the part that moves and the part kept, their
ranges disjoint and adding up to the parent's), and the part that moves is endorsed or discounted.
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput, NotFound, TransitionNotAllowed
from salesops.core.policy import require
from salesops.core.selectors import get_in_scope
from salesops.org.models import User
from salesops.org.roles import Role
from salesops.workflow.masterdata import save_edit
from salesops.workflow.registry import services_taking
from salesops.workflow.services import document_create, transition, versioned_write

from .. import billranges
from ..models import Receipt, ReceiptMethod, ReceiptState
from ..models.instruments import (
    BILL_KINDS,
    Instrument,
    InstrumentKind,
    InstrumentMedium,
    InstrumentSettings,
    package_number_problem,
)
from ..models.instruments import InstrumentState as S
from ..workflows_instruments import (
    CHILD_FLOW,
    INSTRUMENT_FLOW,
    LINKABLE,
    RECEIVERS,
    REGISTRARS,
    SIGNERS,
    VOIDERS,
    discountable,
    transferable,
)

FEN = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")  # the largest 12-digit range
# The receipt method that records a payment made with each kind of instrument.
RECEIPT_METHOD = {
    InstrumentKind.CHEQUE: ReceiptMethod.CHEQUE,
    InstrumentKind.BANK_ACCEPTANCE: ReceiptMethod.BANK_BILL,
    InstrumentKind.COMMERCIAL_ACCEPTANCE: ReceiptMethod.COMMERCIAL_BILL,
    InstrumentKind.BANK_DRAFT: ReceiptMethod.DRAFT,
}
# An instrument the company still holds or has split: a second registration of it is a duplicate.
NOT_LET_GO = (S.PENDING_SIGN, S.SIGNED, S.SPLIT)


def range_message(code: str, *, whole: Decimal | None = None) -> str:
    """A ``billranges.RangeError`` for people."""
    messages = {
        "not_integer": _("A whole number."),
        "negative": _("Not below 0."),
        "too_long": _("At most 12 digits."),
        "zero_start": _("A range starts at 1 (only 0–0 marks a bill that cannot be split)."),
        "end_before_start": _("The end of the range is before its start."),
        "not_splittable": _("This bill cannot be split: it moves only whole."),
        "not_whole_units": _("A whole number of fen (0.01 yuan)."),
        "not_positive": _("More than 0."),
        "not_less_than_whole": _(
            "Less than the whole bill (%(whole)s yuan); leave the amount empty to move the whole bill."
        )
        % {"whole": whole},
        "bad_side": _("Take the low or the high end of the range."),
    }
    return str(messages[code])


def _money(value: Any) -> Decimal | None:
    """A positive amount to the fen (None when it is not one)."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        return None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(FEN) or amount > MAX_AMOUNT:
        return None
    return amount


def _day(value: Any, field: str, errors: dict[str, list[str]], *, not_before: datetime.date | None = None) -> Any:
    """A date not in the future (and not before ``not_before``), else a field error."""
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        errors[field] = [_("Enter a date.")]
        return None
    if value > timezone.localdate():
        errors[field] = [_("Not in the future.")]
    elif not_before is not None and value < not_before:
        errors[field] = [_("Not before %(day)s.") % {"day": not_before}]
    return value


def _text(value: Any, field: str, errors: dict[str, list[str]], *, required: bool, limit: int = 200) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not text:
        errors[field] = [_("This field is required.")]
    return text[:limit]


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)


# -- registering -------------------------------------------------------------------------------


def _receiver(actor: User, received_by_id: int | None, errors: dict[str, list[str]]) -> User | None:
    """Who received it: the salesperson registering, or the one the sales office names."""
    if actor.has_role(Role.SALESPERSON) and received_by_id in (None, actor.pk):
        return actor
    if not actor.has_role(Role.BACK_OFFICE):
        errors["received_by_id"] = [_("Register only what you received yourself.")]
        return None
    if received_by_id is None:
        errors["received_by_id"] = [_("Name the salesperson who received it.")]
        return None
    found = (
        User.objects.filter(pk=received_by_id, is_active=True, branch__isnull=False, role_links__role__in=RECEIVERS)
        .distinct()
        .first()
    )
    if found is None:
        errors["received_by_id"] = [_("An active member of the sales staff.")]
    return found


def _received_at(value: Any, issued_on: Any, errors: dict[str, list[str]]) -> datetime.datetime:
    now = timezone.now()
    if value is None:
        return now
    if not isinstance(value, datetime.datetime):
        errors["received_at"] = [_("Enter the date and time it was received.")]
        return now
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + datetime.timedelta(minutes=5):
        errors["received_at"] = [_("Not in the future.")]
    elif isinstance(issued_on, datetime.date) and timezone.localtime(value).date() < issued_on:
        errors["received_at"] = [_("Not before the instrument was issued.")]
    return value


def _electronic(
    kind: str, package_number: Any, range_start: Any, range_end: Any, amount: Any, errors: dict[str, list[str]]
) -> tuple[str, billranges.Range | None, Decimal | None]:
    """The package number, range and amount of an electronic bill, each checked."""
    if kind not in BILL_KINDS:
        errors["medium"] = [_("Only acceptance bills are electronic (新一代票据); a cheque or draft is paper.")]
    number = (package_number or "").strip()
    problem = package_number_problem(number, kind)
    if problem:
        errors["package_number"] = [problem]
    found: billranges.Range | None = None
    if range_start is None or range_end is None:
        for field, end in (("range_start", range_start), ("range_end", range_end)):
            if end is None:
                errors[field] = [_("This field is required (0 and 0 for a bill that cannot be split).")]
    else:
        try:
            found = billranges.make(range_start, range_end)
        except billranges.RangeError as exc:
            field = "range_end" if exc.code == "end_before_start" else _range_field(exc.code, range_start)
            errors[field] = [range_message(exc.code)]
    value: Decimal | None = None
    if found is not None and found.is_splittable:
        value = found.amount
        if amount not in (None, "") and _money(amount) != value:
            errors["amount"] = [_("The range is worth %(amount)s yuan.") % {"amount": value}]
    elif found is not None:
        value = _money(amount)
        if value is None:
            errors["amount"] = [_("The amount of a bill that cannot be split, in yuan to the fen.")]
    return number, found, value


def _range_field(code: str, range_start: Any) -> str:
    """Which end a range error is about: the start's own problem, else the end's."""
    try:
        billranges.check_end(range_start)
    except billranges.RangeError:
        return "range_start"
    return "range_start" if code == "zero_start" else "range_end"


def _duplicate(medium: str, kind: str, number: str, found: billranges.Range | None) -> bool:
    """Whether the company already holds this instrument (the same package's sub-bills, or the same
    paper number), in any hands: its existence is said, not whose it is."""
    rows = Instrument.objects.filter(state__in=NOT_LET_GO)
    if medium == InstrumentMedium.PAPER:
        return rows.filter(medium=medium, kind=kind, instrument_number=number).exists()
    rows = rows.filter(package_number=number)
    if found is not None and found.is_splittable:
        rows = rows.filter(Q(range_start=0) | Q(range_start__lte=found.end, range_end__gte=found.start))
    return rows.exists()


@transaction.atomic
def instrument_register(
    *,
    actor: User,
    kind: str,
    medium: str,
    customer_id: int,
    issued_on: datetime.date,
    issuer: str,
    acceptor: str,
    due_on: datetime.date | None = None,
    package_number: str = "",
    range_start: Any = None,
    range_end: Any = None,
    amount: Any = None,
    instrument_number: str = "",
    payee: str = "",
    previous_holder: str = "",
    is_transferable: bool = True,
    received_at: datetime.datetime | None = None,
    received_by_id: int | None = None,
    note: str = "",
) -> Instrument:
    """Register an instrument received from a customer (R9): waiting for finance's signature (R12).

    An electronic bill names its 30-digit package number and its sub-bill range (its amount is the
    range's; "0–0" for one that cannot be split, its amount entered); a paper one its number and
    amount. A bill due more than six months after issue is registered and shown with a warning."""
    from salesops.customers.selectors import customer_to_act_on

    require(actor, *REGISTRARS)
    customer = customer_to_act_on(user=actor, pk=customer_id)
    errors: dict[str, list[str]] = {}
    if kind not in InstrumentKind.values:
        errors["kind"] = [_("Choose the kind of instrument.")]
    if medium not in InstrumentMedium.values:
        errors["medium"] = [_("Electronic or paper.")]
    receiver = _receiver(actor, received_by_id, errors)
    issued = _day(issued_on, "issued_on", errors)
    if due_on is not None and not isinstance(due_on, datetime.date):
        errors["due_on"] = [_("Enter a date.")]
    elif due_on is None and kind in BILL_KINDS:
        errors["due_on"] = [_("A bill's due date is required.")]
    elif due_on is not None and isinstance(issued, datetime.date) and due_on < issued:
        errors["due_on"] = [_("Not before the issue date.")]
    moment = _received_at(received_at, issued, errors)
    fields = {
        "issuer": _text(issuer, "issuer", errors, required=True),
        "acceptor": _text(acceptor, "acceptor", errors, required=True),
        "payee": _text(payee, "payee", errors, required=False),
        "previous_holder": _text(previous_holder, "previous_holder", errors, required=False),
        "note": _text(note, "note", errors, required=False, limit=300),
    }
    found: billranges.Range | None = None
    number = ""
    if medium == InstrumentMedium.ELECTRONIC:
        number, found, value = _electronic(kind, package_number, range_start, range_end, amount, errors)
        if (instrument_number or "").strip():
            errors["instrument_number"] = [_("An electronic bill is known by its package number.")]
    else:
        number = _text(instrument_number, "instrument_number", errors, required=True, limit=40)
        value = _money(amount)
        if value is None:
            errors["amount"] = [_("A positive amount in yuan, to the fen.")]
        if (package_number or "").strip() or range_start is not None or range_end is not None:
            errors["package_number"] = [_("A paper instrument has no package number or sub-bill range.")]
    if not errors and _duplicate(medium, kind, number, found):
        field = "package_number" if medium == InstrumentMedium.ELECTRONIC else "instrument_number"
        errors[field] = [_("This instrument is already in the register.")]
    _refuse(errors)
    assert receiver is not None and value is not None  # no errors: both were found
    return document_create(
        Instrument,
        flow=INSTRUMENT_FLOW,
        actor=actor,
        owner=receiver,
        kind=kind,
        medium=medium,
        customer=customer,
        package_number=number if found is not None else "",
        range_start=found.start if found is not None else None,
        range_end=found.end if found is not None else None,
        instrument_number=number if found is None else "",
        amount=value,
        issued_on=issued,
        due_on=due_on,
        is_transferable=bool(is_transferable),
        received_by=receiver,
        received_at=moment,
        **fields,
    )


# -- finance's steps ---------------------------------------------------------------------------


def _acting(actor: User, instrument: Instrument | int, action: str) -> Instrument:
    """The instrument locked as the actor may see it, after the role check, in a state the action
    may be taken from (a split parent is refused with the parts to act on instead)."""
    t = INSTRUMENT_FLOW.transitions[action]
    require(actor, *(role for role in t.by if isinstance(role, str)))
    pk = instrument if isinstance(instrument, int) else instrument.pk
    rows = Instrument.objects.visible_to(actor).select_for_update(of=("self",)).select_related("customer", "owner")
    locked = get_in_scope(rows, pk, missing=_("Instrument not found."))
    if locked.state == S.SPLIT:
        parts = ", ".join(Instrument.objects.filter(parent=locked).order_by("pk").values_list("number", flat=True))
        raise TransitionNotAllowed(
            _("%(number)s was split into %(parts)s: act on its parts.") % {"number": locked.number, "parts": parts}
        )
    if locked.state not in t.sources:
        raise TransitionNotAllowed(
            _("This action is not possible while the instrument is %(state)s.") % {"state": locked.get_state_display()}
        )
    return locked


def instrument_sign(*, instrument: Instrument, actor: User, comment: str = "") -> Instrument:
    """Finance signs for the instrument handed over (签收, R12): stamped with who and when."""
    require(actor, *SIGNERS)
    return transition(
        INSTRUMENT_FLOW,
        instrument,
        "sign",
        actor=actor,
        comment=comment,
        values={"signed_at": timezone.now(), "signed_by": actor},
    )


def _part(locked: Instrument, amount: Any, take: str, errors: dict[str, list[str]]) -> Any:
    """The ranges (taken, kept) of ``amount`` off ``locked``; None (and a field error) when refused."""
    whole = locked.bill_range
    if whole is None or not whole.is_splittable:
        errors["amount"] = [range_message("not_splittable")]
        return None
    try:
        return billranges.split(whole, billranges.units(amount), take=take)
    except billranges.RangeError as exc:
        errors["take" if exc.code == "bad_side" else "amount"] = [range_message(exc.code, whole=locked.amount)]
        return None


def _split(locked: Instrument, ranges: Any, *, actor: User) -> Instrument:
    """Split ``locked`` (held under its lock) into the part taken and the part kept: the parent ends
    ``split``; the children carry everything else it had. Returns the part taken."""
    children = []
    for part in ranges:
        children.append(
            document_create(
                Instrument,
                flow=CHILD_FLOW,
                actor=actor,
                owner=locked.owner,
                parent=locked,
                range_start=part.start,
                range_end=part.end,
                amount=part.amount,
                **{name: getattr(locked, name) for name in INHERITED},
            )
        )
    taken, kept = children
    transition(
        INSTRUMENT_FLOW,
        locked,
        "split",
        actor=actor,
        comment=_("%(taken)s (%(taken_range)s) moves on, %(kept)s (%(kept_range)s) is kept")
        % {"taken": taken.number, "taken_range": ranges[0], "kept": kept.number, "kept_range": ranges[1]},
    )
    return taken


# What a part of a split bill has of its parent besides its own range and amount.
INHERITED = (
    "kind",
    "medium",
    "customer",
    "package_number",
    "issuer",
    "acceptor",
    "payee",
    "previous_holder",
    "issued_on",
    "due_on",
    "is_transferable",
    "received_by",
    "received_at",
    "signed_by",
    "signed_at",
    "note",
)


@transaction.atomic
def instrument_endorse(
    *,
    instrument: Instrument | int,
    actor: User,
    endorsee: str,
    endorsed_on: datetime.date,
    amount: Any = None,
    take: str = "low",
    comment: str = "",
) -> Instrument:
    """Endorse the instrument on (背书转让) to ``endorsee``: whole, or (an electronic bill) ``amount``
    of it, split off its range. Returns the instrument endorsed (the part, for a part)."""
    locked = _acting(actor, instrument, "endorse")
    errors: dict[str, list[str]] = {}
    name = _text(endorsee, "endorsee", errors, required=True)
    day = _day(endorsed_on, "endorsed_on", errors, not_before=locked.received_on)
    refusal = transferable(locked)
    if refusal:
        raise TransitionNotAllowed(refusal)
    ranges = _part(locked, amount, take, errors) if amount not in (None, "") else None
    _refuse(errors)
    target = _split(locked, ranges, actor=actor) if ranges else locked
    return transition(
        INSTRUMENT_FLOW,
        target,
        "endorse",
        actor=actor,
        comment=comment,
        values={"settled_on": day, "counterparty": name},
    )


@transaction.atomic
def instrument_discount(
    *,
    instrument: Instrument | int,
    actor: User,
    bank: str,
    discounted_on: datetime.date,
    proceeds_amount: Any = None,
    amount: Any = None,
    take: str = "low",
    comment: str = "",
) -> Instrument:
    """Discount a bill at a bank (贴现): whole, or (an electronic bill) ``amount`` of it; the net
    proceeds when known. Returns the instrument discounted (the part, for a part)."""
    locked = _acting(actor, instrument, "discount")
    errors: dict[str, list[str]] = {}
    refusal = discountable(locked)
    if refusal:
        raise TransitionNotAllowed(refusal)
    name = _text(bank, "bank", errors, required=True)
    day = _day(discounted_on, "discounted_on", errors, not_before=locked.received_on)
    ranges = _part(locked, amount, take, errors) if amount not in (None, "") else None
    moved = ranges[0].amount if ranges else locked.amount
    proceeds = None
    if proceeds_amount not in (None, ""):
        proceeds = _money(proceeds_amount)
        if proceeds is None or proceeds > moved:
            errors["proceeds_amount"] = [
                _("A positive amount to the fen, not above the %(amount)s yuan discounted.") % {"amount": moved}
            ]
    _refuse(errors)
    target = _split(locked, ranges, actor=actor) if ranges else locked
    return transition(
        INSTRUMENT_FLOW,
        target,
        "discount",
        actor=actor,
        comment=comment,
        values={"settled_on": day, "counterparty": name, "proceeds_amount": proceeds},
    )


@transaction.atomic
def instrument_collect(
    *, instrument: Instrument | int, actor: User, collected_on: datetime.date, bank: str = "", comment: str = ""
) -> Instrument:
    """The instrument was paid (托收 / 到期收款): a bill on or after its due date, a cheque or draft
    when presented."""
    locked = _acting(actor, instrument, "collect")
    errors: dict[str, list[str]] = {}
    name = _text(bank, "bank", errors, required=False)
    not_before = locked.due_on if locked.is_bill and locked.due_on else locked.received_on
    day = _day(collected_on, "collected_on", errors, not_before=not_before)
    _refuse(errors)
    return transition(
        INSTRUMENT_FLOW,
        locked,
        "collect",
        actor=actor,
        comment=comment,
        values={"settled_on": day, "counterparty": name},
    )


@transaction.atomic
def instrument_dishonour(*, instrument: Instrument | int, actor: User, reason: str) -> Instrument:
    """Payment was refused (拒付): recorded with the reason, today."""
    locked = _acting(actor, instrument, "dishonour")
    reason = (reason or "").strip()
    return transition(
        INSTRUMENT_FLOW,
        locked,
        "dishonour",
        actor=actor,
        comment=reason,
        comment_field="reason",
        values={"settled_on": timezone.localdate(), "dishonour_reason": reason[:300]},
    )


def instrument_void(*, instrument: Instrument, actor: User, reason: str) -> Instrument:
    """A registration made in error (there is no such instrument), voided while it waits to be
    signed; its number is kept with the reason."""
    require(actor, *VOIDERS)
    return transition(INSTRUMENT_FLOW, instrument, "void", actor=actor, comment=reason, comment_field="reason")


@transaction.atomic
def instrument_link_receipt(*, instrument: Instrument | int, actor: User, receipt_id: int) -> Instrument:
    """Name the receipt finance recorded for the payment this instrument made (W5.5): a recorded
    receipt of the same customer, by the matching method, with room for this instrument's amount
    beside the others linked to it. An instrument is linked once; the parts of a split bill are
    linked through the bill received."""
    require(actor, *SIGNERS)
    pk = instrument if isinstance(instrument, int) else instrument.pk
    rows = Instrument.objects.visible_to(actor).select_for_update(of=("self",)).select_related("customer")
    locked = get_in_scope(rows, pk, missing=_("Instrument not found."))
    if locked.parent_id is not None:
        raise TransitionNotAllowed(_("Link the instrument as it was received, not a part of it."))
    if locked.state not in LINKABLE:
        raise TransitionNotAllowed(
            _("An instrument %(state)s pays no receipt.") % {"state": locked.get_state_display()}
        )
    if locked.receipt_id is not None:
        raise TransitionNotAllowed(_("This instrument is already linked to a receipt."))
    receipt = Receipt.objects.visible_to(actor).select_for_update(of=("self",)).filter(pk=receipt_id).first()
    if receipt is None:
        raise NotFound(_("Receipt not found."))
    errors: dict[str, list[str]] = {}
    if receipt.state != ReceiptState.RECORDED or receipt.customer_id != locked.customer_id:
        errors["receipt_id"] = [_("A recorded receipt of %(customer)s.") % {"customer": locked.customer.name}]
    elif receipt.method != RECEIPT_METHOD[locked.kind]:
        errors["receipt_id"] = [
            _("A receipt recorded as %(method)s.") % {"method": ReceiptMethod(RECEIPT_METHOD[locked.kind]).label}
        ]
    else:
        linked = Instrument.objects.filter(receipt=receipt).aggregate(total=Sum("amount"))["total"] or Decimal("0")
        if linked + locked.amount > receipt.amount:
            errors["receipt_id"] = [
                _("The receipt is %(amount)s yuan; %(linked)s of it is linked to other instruments already.")
                % {"amount": receipt.amount, "linked": linked}
            ]
    _refuse(errors)
    return versioned_write(
        locked,
        {"receipt": receipt},
        actor=actor,
        version=locked.version,
        stale=_("Somebody else saved this instrument first; reload it and try again."),
    )


MAX_REMINDER_DAYS = 60


@transaction.atomic
def instrument_settings_update(*, actor: User, reminder_working_days: int) -> InstrumentSettings:
    """The administrator sets how many working days ahead finance is reminded of maturities."""
    require(actor, Role.ADMIN)
    if not (
        isinstance(reminder_working_days, int)
        and not isinstance(reminder_working_days, bool)
        and 0 <= reminder_working_days <= MAX_REMINDER_DAYS
    ):
        _refuse({"reminder_working_days": [_("A whole number of working days from 0 to 60.")]})
    current = InstrumentSettings.objects.select_for_update().order_by("pk").first()
    if current is None:
        current = InstrumentSettings.objects.create()
    return save_edit(current, {"reminder_working_days": reminder_working_days}, actor=actor)


INSTRUMENT_SERVICES = services_taking(
    "instrument",
    {"sign": instrument_sign, "dishonour": (instrument_dishonour, "reason"), "void": (instrument_void, "reason")},
)
