"""The compliance API: violations (the kit's routes, plus a reduced confirmation), the rules and
their acknowledgement, the rules at risk, the month's ledger, the sweep on demand, reward and
penalty proposals (D3) and monthly wages."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Schema, Status

from salesops.core.api import ListQuery, Router
from salesops.core.errors import InvalidInput, NotFound
from salesops.core.policy import policy
from salesops.org.roles import Role
from salesops.workflow.docapi import DocumentApi, DocumentOut
from salesops.workflow.rules import Severity

from . import selectors, services
from .models import EntryKind, PenaltyMode, PenaltySettings, ProposalState, ViolationState
from .permissions import HR_EXPORTERS, OVERSEERS, PROPOSERS, WAGE_KEEPERS
from .workflows import PROPOSAL_FLOW, VIOLATION_FLOW

router = Router(tags=["compliance"])
EVERYONE = tuple(Role.values)


class ViolationOut(DocumentOut):
    rule_code: str
    occurred_on: datetime.date
    subject_number: str
    period: str
    detail: str
    notified: bool
    proposed_points: int
    proposed_amount: Decimal
    points: int | None
    amount: Decimal | None
    reduce_reason: str
    confirmed_at: datetime.datetime | None
    found_by: str


class ViolationFilters(ListQuery):
    state: ViolationState | None = None
    rule: str | None = Field(None, max_length=10)
    owner: int | None = Field(None, ge=1, le=2**63 - 1)


VIOLATION_API = DocumentApi(
    name="violation",
    path="/violations",
    flow=VIOLATION_FLOW,
    get_for=selectors.violation_get_for,
    rows=selectors.violation_list,
    listing=lambda user: selectors.violation_listing(user=user, with_scope_filters=False),
    readers=EVERYONE,
    out=ViolationOut,
    filters=ViolationFilters,
    docs={
        "list": "Violations in the caller's scope: their own, and their people's for a manager.",
        "transition": "Review a violation: the manager confirms or waives (``comment`` is the reason); the person "
        "appeals within the window; leadership grants or rejects the appeal.",
    },
)
VIOLATION_API.mount(router, actions=False)


class ReduceIn(Schema):
    points: int = Field(..., ge=0, le=100)
    amount: Decimal = Field(..., ge=0, max_digits=8, decimal_places=2)
    reason: str = Field(..., min_length=1, max_length=2000)


@router.post("/violations/{int:violation_id}/reduce", response=ViolationOut, operation_id="violation_reduce")
@policy(*EVERYONE)
def violation_reduce(request, violation_id: int, payload: ReduceIn):
    """Confirm a lower penalty than proposed, with the reason (the manager; never the person)."""
    violation = VIOLATION_API.load(request, violation_id)
    done = services.violation_reduce(violation=violation, actor=request.auth, **payload.model_dump())
    return VIOLATION_API.load(request, done.pk)


VIOLATION_API.mount_actions(router)


class RuleOut(Schema):
    code: str
    title: str
    text_zh: str
    severity: str
    penalty_min: Decimal
    penalty_max: Decimal
    is_active: bool

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.label


class RuleSetOut(Schema):
    version: int
    adopted_on: datetime.date | None
    acknowledged: bool
    rules: list[RuleOut]


@router.get("/rules", response=RuleSetOut, operation_id="rules_current")
@policy(*EVERYONE)
def rules_current(request):
    """The rules in force and whether the caller acknowledged this version."""
    rule_set = services.current_rule_set()
    acknowledged = services.Acknowledgement.objects.filter(user=request.auth, rule_set=rule_set).exists()
    return {
        "version": rule_set.version,
        "adopted_on": rule_set.adopted_on,
        "acknowledged": acknowledged,
        "rules": list(rule_set.rules.order_by("pk")),
    }


@router.post("/rules/acknowledge", response=RuleSetOut, operation_id="rules_acknowledge")
@policy(*EVERYONE)
def rules_acknowledge(request):
    """The caller acknowledges the current version of the rules."""
    services.acknowledge(actor=request.auth)
    return rules_current(request)


class RiskOut(Schema):
    rule: str
    person_id: int
    person_name: str
    due_on: datetime.date
    provisional: bool
    document: str
    detail: str


@router.get("/at-risk", response=list[RiskOut], operation_id="rules_at_risk")
@policy(*OVERSEERS)
def rules_at_risk(request):
    """What will breach today or by the next working day unless someone acts, in the caller's scope."""
    found = selectors.rules_at_risk(user=request.auth)
    return [
        {
            "rule": row.code,
            "person_id": row.breach.person_id,
            "person_name": str(row.person or ""),
            "due_on": row.breach.occurred_on,
            "provisional": row.breach.provisional,
            "document": row.breach.subject_number or row.breach.period,
            "detail": row.breach.detail,
        }
        for row in found["upcoming"]
    ]


class LedgerLineOut(Schema):
    person_id: int
    person_name: str
    violations: int
    points: int
    amount: Decimal
    capped_points: int
    capped_amount: Decimal
    reward_points: int
    reward_amount: Decimal
    compensation: Decimal


@router.get("/ledger", response=list[LedgerLineOut], operation_id="ledger_month")
@policy(*HR_EXPORTERS)
def ledger_month(request, month: str = Query(..., pattern=r"^\d{6}$")):
    """The month's per-person summary for HR and payroll (``month`` as YYYYMM), after the caps."""
    if not 1 <= int(month[4:]) <= 12:
        raise InvalidInput(_("The month is not valid."), fields={"month": [_("A month as YYYYMM.")]})
    return [
        {
            "person_id": line.person.pk,
            "person_name": str(line.person),
            "violations": line.violations,
            "points": line.points,
            "amount": line.amount,
            "capped_points": line.capped_points,
            "capped_amount": line.capped_amount,
            "reward_points": line.reward_points,
            "reward_amount": line.reward_amount,
            "compensation": line.compensation,
        }
        for line in selectors.ledger_month(user=request.auth, month=month)
    ]


class SweepOut(Schema):
    queued: bool


@router.post("/sweep", response={202: SweepOut}, operation_id="rules_sweep")
@policy(Role.ADMIN, Role.LEADERSHIP)
def rules_sweep(request):
    """Check every active rule now, in the background (it also runs every working day); what it finds
    appears in the violations."""
    from .tasks import sweep_now

    sweep_now()
    return Status(202, {"queued": True})


class ProposalOut(DocumentOut):
    person_id: int
    kind: str
    month: str
    points: int
    amount: Decimal
    reason: str
    loss_amount: Decimal | None
    loss_document: str


class ProposalIn(Schema):
    person_id: int = Field(..., ge=1, le=2**63 - 1)
    kind: EntryKind
    month: str = Field(..., pattern=r"^\d{6}$")
    points: int = Field(0, ge=0, le=100)
    amount: Decimal = Field(Decimal("0"), ge=0, max_digits=10, decimal_places=2)
    reason: str = Field(..., min_length=1, max_length=2000)
    loss_amount: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    loss_document: str = Field("", max_length=40)


class ProposalFilters(ListQuery):
    state: ProposalState | None = None
    kind: EntryKind | None = None


PROPOSAL_API = DocumentApi(
    name="proposal",
    path="/proposals",
    flow=PROPOSAL_FLOW,
    get_for=selectors.proposal_get_for,
    rows=selectors.proposal_list,
    listing=lambda user: selectors.proposal_listing(user=user, with_scope_filters=False),
    readers=OVERSEERS,
    writers=PROPOSERS,
    out=ProposalOut,
    filters=ProposalFilters,
    create_in=ProposalIn,
    create=services.proposal_create,
    update=services.proposal_update,
    doc_arg="proposal",
    docs={
        "list": "Reward and penalty proposals in the caller's scope (D3).",
        "create": "Propose a reward or a penalty for one of the caller's people, or a compensation for a proven "
        "loss (at most 20% of the month's wage HR entered); leadership decides.",
        "update": "Edit a draft or returned proposal; a stale ``version`` is a 409.",
    },
)
PROPOSAL_API.mount(router)


class WageIn(Schema):
    person_id: int = Field(..., ge=1, le=2**63 - 1)
    month: str = Field(..., pattern=r"^\d{6}$")
    amount: Decimal = Field(..., gt=0, max_digits=10, decimal_places=2)


class WageOut(Schema):
    person_id: int
    month: str
    amount: Decimal


@router.post("/wages", response=WageOut, operation_id="wage_enter")
@policy(*WAGE_KEEPERS)
def wage_enter(request, payload: WageIn):
    """HR / payroll enters (or corrects) an employee's monthly wage, the base of the 20% cap on a loss deduction."""
    return services.wage_enter(actor=request.auth, **payload.model_dump())


class RuleChangeIn(Schema):
    note: str = Field(..., min_length=1, max_length=2000, description="What changed and why.")
    severity: Severity | None = None
    penalty_min: Decimal | None = Field(None, ge=0, max_digits=8, decimal_places=2)
    penalty_max: Decimal | None = Field(None, ge=0, max_digits=8, decimal_places=2)
    is_active: bool | None = None
    text_zh: str | None = Field(None, min_length=1, max_length=4000)


@router.post("/rules/{code}/change", response=RuleSetOut, operation_id="rule_change")
@policy(Role.ADMIN)
def rule_change(request, code: str, payload: RuleChangeIn):
    """Change one rule (only the fields sent): a new version of the rule set, which everyone acknowledges."""
    changes = payload.model_dump(exclude_none=True)
    note = changes.pop("note")
    services.rule_change(actor=request.auth, code=code[:10], note=note, **changes)
    return rules_current(request)


class AdoptIn(Schema):
    adopted_on: datetime.date


@router.post("/versions/{int:version_id}/adopt", response=RuleSetOut, operation_id="rule_set_adopt")
@policy(Role.ADMIN)
def rule_set_adopt(request, version_id: int, payload: AdoptIn):
    """Record the date the company adopted a version of the rules (the minutes are attached on the page)."""
    from .models import RuleSet

    found = RuleSet.objects.filter(version=version_id).first()
    if found is None:
        raise NotFound(_("Not found."))
    services.rule_set_adopt(actor=request.auth, rule_set=found, adopted_on=payload.adopted_on)
    return rules_current(request)


class PenaltySettingsIO(Schema):
    mode: PenaltyMode
    appeal_working_days: int = Field(..., ge=1, le=30)
    monthly_cap: Decimal = Field(..., ge=0, max_digits=10, decimal_places=2)
    monthly_points_cap: int = Field(..., ge=0, le=1000)
    accept_fine_notice: bool = Field(
        False, description="The admin read and accepts the legal notice (needed for fines)."
    )


@router.get("/settings", response=PenaltySettingsIO, operation_id="penalty_settings_get")
@policy(*EVERYONE)
def penalty_settings_get(request):
    """How penalties are counted: performance points, a suggested bonus deduction, or fines."""
    found = PenaltySettings.current()
    return {
        **{f: getattr(found, f) for f in ("mode", "appeal_working_days", "monthly_cap", "monthly_points_cap")},
        "accept_fine_notice": found.fine_notice_accepted_at is not None,
    }


@router.put("/settings", response=PenaltySettingsIO, operation_id="penalty_settings_update")
@policy(Role.ADMIN)
def penalty_settings_update(request, payload: PenaltySettingsIO):
    """Set how penalties are counted; fines only with ``accept_fine_notice``."""
    services.penalty_settings_update(actor=request.auth, **payload.model_dump())
    return penalty_settings_get(request)
