"""Every change of the compliance app: the rule set's versions, adoption and acknowledgement,
the sweep that records violations, their review and the penalty ledger (R17, D3)."""

import datetime
import logging
from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput
from salesops.core.policy import require
from salesops.org.models import User
from salesops.org.roles import Role
from salesops.org.scoping import people_q
from salesops.workflow.registry import services_taking
from salesops.workflow.rules import Breach, CheckWindow, RuleCheck, Severity, all_rules
from salesops.workflow.services import approval_chain_open, document_create, transition

from .models import (
    Acknowledgement,
    LedgerEntry,
    PenaltyMode,
    PenaltySettings,
    RuleDefinition,
    RuleSet,
    SweepLock,
    Violation,
)
from .workflows import VIOLATION_FLOW

logger = logging.getLogger("salesops.compliance")

# How far back a sweep looks for breaches (an on-event check looks at its one document only).
LOOKBACK_DAYS = 62
POINTS_BY_SEVERITY: dict[str, int] = {Severity.MINOR: 1, Severity.MODERATE: 2, Severity.SERIOUS: 3}


# -- the rule set ------------------------------------------------------------------------------


def current_rule_set() -> RuleSet:
    found = RuleSet.objects.order_by("-version").first()
    return found if found is not None else rule_set_seed()


def _definition_of(check: RuleCheck, rule_set: RuleSet) -> RuleDefinition:
    return RuleDefinition(
        rule_set=rule_set,
        code=check.code,
        title=str(check.title)[:200],
        text_zh=check.text_zh,
        severity=check.severity,
        penalty_min=check.penalty_min,
        penalty_max=check.penalty_max,
    )


@transaction.atomic
def rule_set_seed() -> RuleSet:
    """The first version from the registered rules; a rule registered later (a new app) comes in
    as a new version, since changing the set always makes one."""
    latest = RuleSet.objects.select_for_update().order_by("-version").first()
    known = set(latest.rules.values_list("code", flat=True)) if latest else set()
    missing = [check for check in all_rules() if check.code not in known]
    if latest is not None and not missing:
        return latest
    rule_set = RuleSet.objects.create(
        version=(latest.version + 1) if latest else 1,
        change_note=_("Rules added: %(codes)s") % {"codes": ", ".join(c.code for c in missing)} if latest else "",
    )
    copied = [_copy(d, rule_set) for d in latest.rules.all()] if latest else []
    RuleDefinition.objects.bulk_create(copied + [_definition_of(check, rule_set) for check in missing])
    return rule_set


def _copy(definition: RuleDefinition, rule_set: RuleSet, **changes: Any) -> RuleDefinition:
    values = {
        f.name: getattr(definition, f.name)
        for f in RuleDefinition._meta.concrete_fields
        if f.name not in ("id", "rule_set")
    }
    values.update(changes)
    return RuleDefinition(rule_set=rule_set, **values)


RULE_FIELDS = ("severity", "penalty_min", "penalty_max", "is_active", "text_zh")


@transaction.atomic
def rule_change(*, actor: User, code: str, note: str, **changes: Any) -> RuleSet:
    """Change one rule: a new version of the whole set (violations keep the version they were
    found under; everyone acknowledges the new one)."""
    require(actor, Role.ADMIN)
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown field."), fields={name: [_("Not a rule setting.")] for name in unknown})
    if not note.strip():
        raise InvalidInput(_("Please give a reason."), fields={"note": [_("This field is required.")]})
    latest = RuleSet.objects.select_for_update().order_by("-version").first() or rule_set_seed()
    definitions = list(latest.rules.all())
    if code not in {d.code for d in definitions}:
        raise InvalidInput(_("Unknown rule."), fields={"code": [_("Unknown rule.")]})
    low = Decimal(changes.get("penalty_min", next(d.penalty_min for d in definitions if d.code == code)))
    high = Decimal(changes.get("penalty_max", next(d.penalty_max for d in definitions if d.code == code)))
    if low < 0 or high < low:
        raise InvalidInput(
            _("The penalty range runs from a lower to a higher amount."),
            fields={"penalty_max": [_("Must not be below the lower amount.")]},
        )
    rule_set = RuleSet.objects.create(version=latest.version + 1, created_by=actor, change_note=note.strip())
    RuleDefinition.objects.bulk_create([_copy(d, rule_set, **(changes if d.code == code else {})) for d in definitions])
    logger.info("rule %s changed by %s: version %s", code, actor.username, rule_set.version)
    return rule_set


@transaction.atomic
def rule_set_adopt(*, actor: User, rule_set: RuleSet, adopted_on: datetime.date, minutes=None) -> RuleSet:
    """Record the company's adoption of a version (the meeting's date and minutes)."""
    require(actor, Role.ADMIN)
    if adopted_on > timezone.localdate():
        raise InvalidInput(_("The date is in the future."), fields={"adopted_on": [_("Not in the future.")]})
    rule_set.adopted_on = adopted_on
    fields = ["adopted_on"]
    if minutes is not None:
        rule_set.minutes = minutes
        fields.append("minutes")
    rule_set.save(update_fields=fields)
    return rule_set


@transaction.atomic
def acknowledge(*, actor: User) -> Acknowledgement:
    """The employee confirms having read the current version of the rules."""
    rule_set = current_rule_set()
    found, _created = Acknowledgement.objects.get_or_create(user=actor, rule_set=rule_set)
    return found


@transaction.atomic
def penalty_settings_update(
    *,
    actor: User,
    mode: str,
    appeal_working_days: int,
    monthly_cap: Decimal,
    monthly_points_cap: int,
    accept_fine_notice: bool = False,
) -> PenaltySettings:
    """The admin sets how penalties are counted. "Fine" needs the legal notice accepted first."""
    require(actor, Role.ADMIN)
    current = PenaltySettings.objects.select_for_update().filter(pk=PenaltySettings.current().pk).get()
    if mode not in PenaltyMode.values:
        raise InvalidInput(_("Unknown penalty mode."), fields={"mode": [_("Unknown penalty mode.")]})
    if accept_fine_notice and current.fine_notice_accepted_at is None:
        current.fine_notice_accepted_at, current.fine_notice_accepted_by = timezone.now(), actor
    if mode == PenaltyMode.FINE and current.fine_notice_accepted_at is None:
        raise InvalidInput(
            _("Fines need the legal notice read and accepted first."),
            fields={"accept_fine_notice": [_("Accept the legal notice to use fines.")]},
        )
    current.mode = mode
    current.appeal_working_days = appeal_working_days
    current.monthly_cap = monthly_cap
    current.monthly_points_cap = monthly_points_cap
    current.full_clean()
    current.save()
    logger.warning("penalty settings changed by %s: mode=%s", actor.username, mode)
    return current


# -- finding violations ------------------------------------------------------------------------


def breach_key(code: str, breach: Breach) -> str:
    """Unique per rule, subject (a document, else the person) and period."""
    if breach.subject_model is not None:
        type_id = ContentType.objects.get_for_model(breach.subject_model).pk
        return f"{code}:{type_id}:{breach.subject_id or ''}:{breach.period}"[:120]
    return f"{code}:u{breach.person_id}:{breach.period}"[:120]


def proposed_penalty(definition: RuleDefinition) -> tuple[int, Decimal]:
    """Points by severity, and an amount inside the rule's range: the low end for a minor breach,
    the middle (rounded down to 10 yuan) for a moderate one, the high end for a serious one."""
    points = POINTS_BY_SEVERITY.get(definition.severity, 1)
    if definition.severity == Severity.MINOR:
        amount = definition.penalty_min
    elif definition.severity == Severity.SERIOUS:
        amount = definition.penalty_max
    else:
        middle = (definition.penalty_min + definition.penalty_max) / 2
        amount = max(definition.penalty_min, (middle / 10).quantize(Decimal("1"), rounding=ROUND_DOWN) * 10)
    return points, amount


def _lock(code: str, *, wait: bool) -> bool:
    """Hold the rule's lock row for this transaction; ``wait=False`` (an on-event check) gives up
    at once when a sweep holds it (the sweep, or the next one, finds the breach)."""
    SweepLock.objects.bulk_create([SweepLock(code=code)], ignore_conflicts=True)
    rows = SweepLock.objects.select_for_update(skip_locked=not wait).filter(code=code)
    return rows.exists()


class RuleVersions:
    """The rule set's versions, read once per sweep: which one was in force on a day (the latest
    adopted, or made, on or before it), and each rule's definition in it."""

    def __init__(self) -> None:
        self.sets = list(RuleSet.objects.order_by("version").prefetch_related("rules"))
        self.current = self.sets[-1] if self.sets else rule_set_seed()
        if not self.sets:
            self.sets = [self.current]
        self.active = {d.code for d in self.current.rules.all() if d.is_active}

    def definition(self, code: str, day: datetime.date) -> RuleDefinition | None:
        in_force = [rs for rs in self.sets if (rs.adopted_on or timezone.localtime(rs.created_at).date()) <= day]
        for rule_set in [*(in_force[-1:]), self.current]:
            found = next((d for d in rule_set.rules.all() if d.code == code), None)
            if found is not None:
                return found
        return None


def sweep(
    *,
    today: datetime.date | None = None,
    codes: Iterable[str] | None = None,
    ids: Iterable[int] | None = None,
    label: str = "",
    since: datetime.date | None = None,
    found_by: str = "sweep",
) -> dict[str, int]:
    """Run the active rules' checks and record what they find; return the new violations per rule.

    Idempotent: a breach already recorded (same key) is skipped, so a second run, a run after a
    killed one, or two at once (each rule's ``SweepLock`` row serialises its writers) records
    nothing twice. Each rule runs in its own transaction: a rule whose check fails is logged and
    left out of the answer, and the others are still checked."""
    today = today or timezone.localdate()
    wanted = set(codes) if codes is not None else None
    on_event = ids is not None
    window = CheckWindow(
        today=today,
        since=since or today - datetime.timedelta(days=LOOKBACK_DAYS),
        horizon=today,
        ids=frozenset(ids) if ids is not None else None,
        label=label,
    )
    # The rule set is read once. An on-event check runs its query outside any transaction and
    # reads the rule set, locks and records only when the query found a breach: after a compliant
    # action (the usual case, on the users' hot path) it costs that one query.
    versions: RuleVersions | None = None
    created: dict[str, int] = {}
    for check in all_rules():
        if wanted is not None and check.code not in wanted:
            continue
        try:
            breaches = list(check.find(window)) if on_event else []
            if on_event and not breaches:
                created[check.code] = 0
                continue
            with transaction.atomic():
                versions = versions or RuleVersions()
                if check.code not in versions.active or not _lock(check.code, wait=not on_event):
                    continue
                if not on_event:
                    breaches = list(check.find(window))
                    SweepLock.objects.filter(code=check.code).update(last_swept_at=timezone.now())
                created[check.code] = _record(check, versions, breaches, found_by, on_event)
        except Exception:
            logger.exception("rule %s: the check failed; the other rules were still checked", check.code)
    return created


def _record(check: RuleCheck, versions: RuleVersions, breaches: list[Breach], found_by: str, on_event: bool) -> int:
    if not breaches:
        return 0
    keyed = {breach_key(check.code, b): b for b in breaches}
    # One read of the rule's keys, however many documents the check looked at (an on-event check
    # reads only its document's).
    known = (
        Violation.objects.filter(key__in=list(keyed)) if on_event else Violation.objects.filter(rule_code=check.code)
    )
    existing = set(known.values_list("key", flat=True))
    new = [(key, b) for key, b in keyed.items() if key not in existing]
    if not new:
        return 0
    people = User.objects.in_bulk({b.person_id for _key, b in new})
    # Notified: the person acknowledged a version holding this rule before the breach.
    first_seen: dict[int, datetime.datetime] = {}
    for user_id, at in (
        Acknowledgement.objects.filter(user_id__in=list(people), rule_set__rules__code=check.code)
        .order_by("acknowledged_at")
        .values_list("user_id", "acknowledged_at")
    ):
        first_seen.setdefault(user_id, at)
    count = 0
    for key, breach in new:
        person = people.get(breach.person_id)
        definition = versions.definition(check.code, breach.occurred_on)
        if person is None or person.branch_id is None or definition is None:
            logger.error("rule %s: breach by user %s, who has no branch, not recorded", check.code, breach.person_id)
            continue
        acknowledged = first_seen.get(person.pk)
        points, amount = proposed_penalty(definition)
        violation = document_create(
            Violation,
            flow=VIOLATION_FLOW,
            actor=None,
            owner=person,
            rule=definition,
            rule_code=check.code,
            key=key,
            subject_type=(
                ContentType.objects.get_for_model(breach.subject_model) if breach.subject_model is not None else None
            ),
            subject_id=breach.subject_id,
            subject_number=breach.subject_number[:40],
            period=breach.period[:20],
            occurred_on=breach.occurred_on,
            detail=breach.detail[:300],
            found_by=found_by,
            provisional=breach.provisional,
            notified=acknowledged is not None and timezone.localtime(acknowledged).date() <= breach.occurred_on,
            proposed_points=points,
            proposed_amount=amount,
        )
        approval_chain_open(violation)
        count += 1
    logger.info("rule %s: %s new violations (%s)", check.code, count, found_by)
    return count


def check_after_action(codes: list[str], doc: Any) -> None:
    """The kernel's on-event hook: check the acted-on document against the rules watching it."""
    try:
        sweep(codes=codes, ids=[doc.pk], label=doc._meta.label_lower, found_by="event")
    except Exception:
        logger.exception("on-event check of %s %s failed; the next sweep will find it", codes, doc.pk)


# -- review and ledger -------------------------------------------------------------------------


def _ledger_values(violation: Violation) -> dict[str, Any]:
    mode = PenaltySettings.current().mode
    if mode == PenaltyMode.POINTS:
        return {"mode": mode, "points": violation.points or 0, "amount": Decimal("0")}
    return {"mode": mode, "points": 0, "amount": violation.amount or Decimal("0")}


def _ledger_add(violation: Violation, *, actor: User, note: str) -> LedgerEntry:
    return LedgerEntry.objects.create(
        person_id=violation.owner_id,
        month=timezone.localdate().strftime("%Y%m"),
        violation=violation,
        note=note[:300],
        created_by=actor,
        **_ledger_values(violation),
    )


@transaction.atomic
def violation_confirm(*, violation: Violation, actor: User, comment: str = "") -> Violation:
    """The manager confirms the proposed penalty; it goes into the ledger."""
    confirmed = transition(
        VIOLATION_FLOW,
        violation,
        "confirm",
        actor=actor,
        comment=comment,
        values=lambda v: {"points": v.proposed_points, "amount": v.proposed_amount, "confirmed_at": timezone.now()},
    )
    _ledger_add(confirmed, actor=actor, note=comment or _("Confirmed as proposed."))
    return confirmed


@transaction.atomic
def violation_reduce(*, violation: Violation, actor: User, points: int, amount: Decimal, reason: str) -> Violation:
    """The manager confirms a lower penalty than proposed, with a reason (a second person, the
    manager, decides it: the kernel refuses the person themselves)."""
    if not reason.strip():
        raise InvalidInput(_("Please give a reason."), fields={"reason": [_("This field is required.")]})
    if points < 0 or amount < 0:
        raise InvalidInput(_("A penalty is not negative."), fields={"amount": [_("Not negative.")]})

    def values(locked: Violation) -> dict[str, Any]:
        if points > locked.proposed_points or amount > locked.proposed_amount:
            raise InvalidInput(
                _("A reduction is not above the proposal (%(points)s points, %(amount)s yuan).")
                % {"points": locked.proposed_points, "amount": locked.proposed_amount},
                fields={"amount": [_("Not above the proposal.")]},
            )
        # The company counts one figure (points, or an amount): a "reduction" leaving it as
        # proposed is a confirmation.
        in_points = PenaltySettings.current().mode == PenaltyMode.POINTS
        kept = points == locked.proposed_points if in_points else amount == locked.proposed_amount
        if kept:
            raise InvalidInput(
                _("That leaves the penalty the company counts as proposed: lower it, or confirm."),
                fields={"points" if in_points else "amount": [_("Lower it, or confirm.")]},
            )
        return {"points": points, "amount": amount, "reduce_reason": reason.strip(), "confirmed_at": timezone.now()}

    confirmed = transition(VIOLATION_FLOW, violation, "reduce", actor=actor, comment=reason, values=values)
    _ledger_add(confirmed, actor=actor, note=reason)
    return confirmed


@transaction.atomic
def violation_grant_appeal(*, violation: Violation, actor: User, comment: str = "") -> Violation:
    """Leadership grants the appeal: the penalty is reversed in the ledger, never deleted."""
    granted = transition(VIOLATION_FLOW, violation, "grant_appeal", actor=actor, comment=comment)
    for entry in LedgerEntry.objects.filter(violation=granted, reverses=None, reversed_by=None):
        LedgerEntry.objects.create(
            person_id=entry.person_id,
            month=entry.month,  # the penalty's month: HR's figures for it come out right
            violation=granted,
            mode=entry.mode,
            points=-entry.points,
            amount=-entry.amount,
            note=(_("Appeal granted: %(reason)s") % {"reason": comment} if comment else _("Appeal granted"))[:300],
            reverses=entry,
            created_by=actor,
        )
    return granted


VIOLATION_SERVICES = services_taking(
    "violation",
    {"confirm": violation_confirm, "grant_appeal": violation_grant_appeal},
)


# -- reward and penalty proposals (D3) ----------------------------------------------------------

PROPOSAL_EDITABLE = ("person_id", "kind", "points", "amount", "month", "reason", "loss_amount", "loss_document")
# A deduction for a loss takes at most this share of the month's wage (工资支付暂行规定 第十六条).
LOSS_SHARE = Decimal("0.20")


def _check_proposal(actor: User, values: dict[str, Any]) -> dict[str, Any]:
    """The proposal's values as stored, or InvalidInput naming the field. A compensation needs the
    loss and its evidence, is not above the loss, and takes at most 20 % of the month's wage HR
    entered for the person."""
    from .models import EntryKind

    errors: dict[str, list[str]] = {}
    person_id = values.get("person_id")
    person = User.objects.filter(pk=person_id, is_active=True).first() if isinstance(person_id, int) else None
    if person is None or not User.objects.filter(pk=person.pk).filter(people_q(actor)).exists():
        errors["person_id"] = [_("Choose one of your people.")]
    elif person.pk == actor.pk:
        errors["person_id"] = [_("Not yourself.")]
    kind = values.get("kind")
    if kind not in EntryKind.values:
        errors["kind"] = [_("Choose a kind.")]
    month = str(values.get("month") or "")
    if not (len(month) == 6 and month.isdigit() and 1 <= int(month[4:]) <= 12):
        errors["month"] = [_("A month as YYYYMM.")]
    points, amount = int(values.get("points") or 0), Decimal(values.get("amount") or 0)
    if points < 0 or amount < 0 or (points == 0 and amount == 0):
        errors["amount"] = [_("Give points or an amount.")]
    if not str(values.get("reason") or "").strip():
        errors["reason"] = [_("This field is required.")]
    if kind == EntryKind.COMPENSATION and person is not None and not errors:
        loss = values.get("loss_amount")
        if loss is None or Decimal(loss) <= 0:
            errors["loss_amount"] = [_("A compensation needs the loss it makes good.")]
        elif amount > Decimal(loss):
            errors["amount"] = [_("Not above the loss.")]
        if not str(values.get("loss_document") or "").strip():
            errors["loss_document"] = [_("Name the document that proves the loss.")]
        refusal = compensation_refusal(person, month, amount, besides=values.get("pk"))
        if refusal:
            errors[refusal[0]] = [refusal[1]]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    return {**values, "person": person, "points": points, "amount": amount}


def compensation_refusal(person: User, month: str, amount: Decimal, *, besides: int | None = None, lock: bool = False):
    """``(field, reason)`` when ``amount`` would take the month's compensation for ``person`` past
    20 % of the wage HR entered (工资支付暂行规定 第十六条: the month's deductions together), counting
    what is recorded and what is proposed and waiting; None when it fits. The reason names no
    figure: the wage is HR's. ``lock`` holds the wage row while the caller records the decision."""
    from .models import EntryKind, MonthlyWage, Proposal, ProposalState

    wages = MonthlyWage.objects.filter(person=person, month=month)
    wage = (wages.select_for_update() if lock else wages).values_list("amount", flat=True).first()
    if wage is None:
        return "month", _("HR has not entered this person's wage for the month.")
    recorded = LedgerEntry.objects.filter(person=person, month=month, kind=EntryKind.COMPENSATION).aggregate(
        total=Sum("amount")
    )["total"] or Decimal("0")
    waiting = Proposal.objects.filter(
        person=person, month=month, kind=EntryKind.COMPENSATION, state=ProposalState.PENDING
    ).exclude(pk=besides)
    pending = waiting.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if recorded + pending + amount > (wage * LOSS_SHARE).quantize(Decimal("0.01")):
        return "amount", _("With this month's other compensation it would pass 20 percent of the month's wage.")
    return None


@transaction.atomic
def proposal_create(
    *,
    actor: User,
    person_id: int,
    kind: str,
    reason: str,
    month: str,
    points: int = 0,
    amount: Decimal = Decimal("0"),
    loss_amount: Decimal | None = None,
    loss_document: str = "",
) -> Any:
    """A manager proposes a reward or a penalty for one of their people (D3), or that they
    compensate a proven loss (R6); leadership decides it."""
    from .models import Proposal
    from .permissions import PROPOSERS
    from .workflows import PROPOSAL_FLOW

    require(actor, *PROPOSERS)
    values = _check_proposal(
        actor,
        {
            "person_id": person_id,
            "kind": kind,
            "reason": reason,
            "month": month,
            "points": points,
            "amount": amount,
            "loss_amount": loss_amount,
            "loss_document": loss_document,
        },
    )
    values.pop("person_id")
    return document_create(Proposal, flow=PROPOSAL_FLOW, actor=actor, owner=actor, **values)


@transaction.atomic
def proposal_update(*, proposal: Any, actor: User, version: int, **fields: Any) -> Any:
    from salesops.workflow.services import document_update

    from .workflows import PROPOSAL_FLOW

    unknown = set(fields) - set(PROPOSAL_EDITABLE)
    if unknown:
        raise InvalidInput(_("Unknown field."), fields={name: [_("Not editable.")] for name in unknown})
    current = {name: getattr(proposal, name) for name in PROPOSAL_EDITABLE}
    values = _check_proposal(actor, {**current, **fields, "pk": proposal.pk})
    values.pop("pk")
    changed = {name: values[name] for name in fields if name != "person_id"}
    if "person_id" in fields:
        changed["person"] = values["person"]
    return document_update(proposal, flow=PROPOSAL_FLOW, actor=actor, version=version, fields=changed)


@transaction.atomic
def proposal_approve(*, proposal: Any, actor: User, comment: str = "") -> Any:
    """Leadership agrees: once the last step passes, the ledger records the proposal."""
    from .models import EntryKind
    from .workflows import PROPOSAL_FLOW

    if proposal.kind == EntryKind.COMPENSATION:
        # The wage, or the month's other compensation, may have changed since it was proposed.
        refusal = compensation_refusal(proposal.person, proposal.month, proposal.amount, besides=proposal.pk, lock=True)
        if refusal:
            raise InvalidInput(refusal[1], fields={refusal[0]: [refusal[1]]})
    decided = transition(PROPOSAL_FLOW, proposal, "approve", actor=actor, comment=comment)
    if decided.state == "approved":
        mode = PenaltySettings.current().mode
        LedgerEntry.objects.create(
            person_id=decided.person_id,
            month=decided.month,
            proposal=decided,
            kind=decided.kind,
            mode=mode,
            points=decided.points,
            amount=decided.amount,
            note=decided.reason[:300],
            created_by=actor,
        )
    return decided


PROPOSAL_SERVICES = services_taking("proposal", {"approve": proposal_approve})


@transaction.atomic
def wage_enter(*, actor: User, person_id: int, month: str, amount: Decimal) -> Any:
    """HR / payroll enters an employee's monthly wage (the base of the 20 % cap on a loss deduction)."""
    from .models import MonthlyWage
    from .permissions import WAGE_KEEPERS

    require(actor, *WAGE_KEEPERS)
    if amount is None or Decimal(amount) <= 0:
        raise InvalidInput(_("The amount is not valid."), fields={"amount": [_("Above zero.")]})
    if not (len(month) == 6 and month.isdigit() and 1 <= int(month[4:]) <= 12):
        raise InvalidInput(_("The month is not valid."), fields={"month": [_("A month as YYYYMM.")]})
    person = User.objects.filter(pk=person_id).first()
    if person is None:
        raise InvalidInput(_("Unknown person."), fields={"person_id": [_("Unknown person.")]})
    wage, _created = MonthlyWage.objects.update_or_create(
        person=person, month=month, defaults={"amount": amount, "entered_by": actor, "entered_at": timezone.now()}
    )
    return wage
