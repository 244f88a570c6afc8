"""Approval chains: which approvals a document needs, resolved from ``ApprovalRule`` rows.

A document is *major* when its approval amount is at or above the company's
threshold for its type (``MajorThreshold``). Rules apply by document type,
condition (always / major / flag) and optionally branch. The chain is copied
into ``ApprovalStep`` rows at submission: later policy edits leave it alone.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from salesops.core.selectors import by_key
from salesops.org.models import Company, MajorThreshold, User, UserRole, active_holders
from salesops.org.roles import SEE_EVERYTHING, Role

from .models import ApprovalRule, ApprovalStep, Document, StepCondition, StepStatus


def threshold_of(doc_type: str) -> Subquery:
    """The company's major threshold for ``doc_type`` as a subquery, to read along with other rows
    (the one company is the first row, ``Company.current``)."""
    first_company = Company.objects.order_by("pk").values("pk")[:1]
    return Subquery(MajorThreshold.objects.filter(company__in=first_company, doc_type=doc_type).values("amount")[:1])


def major_threshold(doc_type: str) -> Decimal | None:
    first_company = Company.objects.order_by("pk").values("pk")[:1]
    return (
        MajorThreshold.objects.filter(company__in=first_company, doc_type=doc_type)
        .values_list("amount", flat=True)
        .first()
    )


# ``is_major(doc, threshold=...)``: the threshold already read this step (None: none set).
UNREAD: Any = object()


def is_major(doc: Document, *, threshold: Any = UNREAD) -> bool:
    amount = doc.approval_amount()
    if amount is None:
        return "major" in doc.approval_flags()
    if threshold is UNREAD:
        threshold = major_threshold(doc.doc_type())
    return "major" in doc.approval_flags() or (threshold is not None and amount >= threshold)


@dataclass(frozen=True)
class PlannedStep:
    sequence: int
    role: str
    reason: str


@dataclass(frozen=True)
class Policy:
    """What the current policy says about one document, read in one statement: the active rules
    of its type, the major threshold, and (for a submission) its earlier approval rounds."""

    rules: Sequence[ApprovalRule]
    threshold: Decimal | None
    previous_round: int | None  # None: not read (no rules came back to carry it)
    has_open_steps: bool


def read_policy(doc: Document) -> Policy:
    """The rules, threshold and earlier rounds of ``doc`` in one query (each rule row carries them)."""
    content_type = ContentType.objects.get_for_model(doc).pk
    doc_type = doc.doc_type()
    params = [doc_type, content_type, doc.pk, content_type, doc.pk, StepStatus.WAITING, StepStatus.PENDING, doc_type]
    rules = list(ApprovalRule.objects.raw(_policy_sql(), params))
    if not rules:
        # No rule: no step, so majority does not matter; the earlier rounds are read when needed.
        return Policy(rules=[], threshold=None, previous_round=None, has_open_steps=False)
    # Each rule row carries the columns the statement adds.
    major_at, last_round, open_steps = (getattr(rules[0], name) for name in ("major_at", "last_round", "open_steps"))
    threshold = None if major_at is None else MajorThreshold._meta.get_field("amount").to_python(major_at)
    return Policy(rules=rules, threshold=threshold, previous_round=last_round or 0, has_open_steps=bool(open_steps))


_POLICY_SQL: dict[str, str] = {}


def _policy_sql() -> str:
    """``read_policy``'s statement, written out once per database: it runs at every submission, and
    composed by the ORM (three subqueries) it cost four times what it takes to run."""
    vendor = connection.vendor
    if vendor not in _POLICY_SQL:
        qn = connection.ops.quote_name

        def col(model: Any, name: str) -> str:
            return qn(model._meta.get_field(name).column)

        rule, step = qn(ApprovalRule._meta.db_table), qn(ApprovalStep._meta.db_table)
        threshold, company = qn(MajorThreshold._meta.db_table), qn(Company._meta.db_table)
        the_company = f"(SELECT c.{col(Company, 'id')} FROM {company} c ORDER BY c.{col(Company, 'id')} LIMIT 1)"
        of_doc = f"s.{col(ApprovalStep, 'content_type')} = %s AND s.{col(ApprovalStep, 'object_id')} = %s"
        _POLICY_SQL[vendor] = (
            f"SELECT r.*, "
            f"(SELECT t.{col(MajorThreshold, 'amount')} FROM {threshold} t "
            f"WHERE t.{col(MajorThreshold, 'doc_type')} = %s AND t.{col(MajorThreshold, 'company')} = {the_company} "
            f"LIMIT 1) AS major_at, "
            f"(SELECT s.{col(ApprovalStep, 'round')} FROM {step} s WHERE {of_doc} "
            f"ORDER BY s.{col(ApprovalStep, 'round')} DESC LIMIT 1) AS last_round, "
            f"EXISTS (SELECT 1 FROM {step} s WHERE {of_doc} AND s.{col(ApprovalStep, 'status')} IN (%s, %s)) "
            f"AS open_steps "
            f"FROM {rule} r WHERE r.{col(ApprovalRule, 'doc_type')} = %s AND r.{col(ApprovalRule, 'is_active')} "
            f"ORDER BY r.{col(ApprovalRule, 'sequence')}, r.{col(ApprovalRule, 'id')}"
        )
    return _POLICY_SQL[vendor]


def plan_chain(doc: Document, *, policy: Policy | None = None) -> list[PlannedStep]:
    """The steps the current policy asks of this document, in order, without duplicates."""
    policy = policy if policy is not None else read_policy(doc)
    if not policy.rules:
        return []
    major = is_major(doc, threshold=policy.threshold)
    flags = doc.approval_flags()
    planned: list[PlannedStep] = []
    seen_roles: set[str] = set()
    for rule in policy.rules:
        if rule.branch_id and rule.branch_id != doc.branch_id:
            continue
        if rule.condition == StepCondition.MAJOR and not major:
            continue
        if rule.condition == StepCondition.FLAG and rule.flag not in flags:
            continue
        if rule.role in seen_roles:
            continue
        seen_roles.add(rule.role)
        reason = rule.condition if rule.condition != StepCondition.FLAG else f"flag:{rule.flag}"
        planned.append(PlannedStep(sequence=rule.sequence, role=rule.role, reason=reason))
    return planned


# Roles decided by a person on the owner's reporting line rather than by any holder of the role.
LINE_ROLES = frozenset({Role.SALES_MANAGER, Role.BRANCH_MANAGER})
# Where a chain goes when nobody else can decide: leadership, and the administrator past that.
ESCALATION = (Role.LEADERSHIP, Role.ADMIN)


@dataclass(frozen=True)
class Route:
    """Who decides one step: the named ``approver``, or any holder of ``role`` when None."""

    role: str
    approver: User | None


def _sees(doc: Document, user: User) -> bool:
    return type(doc).objects.visible_to(user).filter(pk=doc.pk).exists()


# The line managers read for one chain: user id → the user, annotated ``line_roles`` (those held).
Managers = dict[int, User]


def _manager_holding(user_id: int | None, role: str, cached: User | None, known: Managers | None) -> User | None:
    """The user ``user_id`` when they hold ``role``: one query (none when already loaded with roles,
    or read with the chain's other line managers)."""
    if user_id is None:
        return None
    if known is not None and user_id in known:
        return known[user_id] if role in known[user_id].line_roles else None  # type: ignore[attr-defined]
    if cached is not None and "role_links" in getattr(cached, "_prefetched_objects_cache", {}):
        return cached if role in cached.roles else None
    return by_key(User.objects.filter(pk=user_id, role_links__role=role))


def _line_managers(doc: Document) -> Managers:
    """The managers a chain with several line steps may be routed to, with the line roles each holds,
    in one query: the owner's manager, the department's (when read) and the branch's."""
    ids = {doc.owner.manager_id, doc.branch.manager_id}
    if doc.department_id and type(doc).department.is_cached(doc):
        department = doc.department
        if department is not None:
            ids.add(department.manager_id)
    held = {role: Exists(UserRole.objects.filter(user=OuterRef("pk"), role=role)) for role in sorted(LINE_ROLES)}
    found: Managers = {}
    asked = User.objects.filter(pk__in=[pk for pk in ids if pk]).order_by()
    for user in asked.annotate(**{f"holds_{role}": exists for role, exists in held.items()}):
        user.line_roles = {role for role in held if getattr(user, f"holds_{role}")}  # type: ignore[attr-defined]
        found[user.pk] = user
    for pk in ids:  # asked and not found: holds nothing (no second query)
        if pk and pk not in found:
            found[pk] = _nobody(pk)
    return found


def _nobody(pk: int) -> User:
    user = User(pk=pk)
    user.line_roles = set()  # type: ignore[attr-defined]
    return user


def _named_manager(doc: Document, role: str, known: Managers | None = None) -> User | None:
    """The manager the reporting line names for a line role; they see the document by their scope."""
    owner = doc.owner
    if role == Role.SALES_MANAGER:
        cached = owner.manager if owner.manager_id and User.manager.is_cached(owner) else None
        manager = _manager_holding(owner.manager_id, role, cached, known)
        if manager is not None:
            return manager
        department = doc.department
        if department is not None and department.manager_id:
            return _manager_holding(department.manager_id, role, None, known)
    elif role == Role.BRANCH_MANAGER:
        return _manager_holding(doc.branch.manager_id, role, None, known)
    return None


def roles_that_decide(role: str) -> frozenset[str]:
    """Who may decide a step asked of ``role``: its holders, and for a manager's step any manager
    or leadership (the reporting line, when the named manager may not decide)."""
    if role in LINE_ROLES:
        return LINE_ROLES | {Role.LEADERSHIP}
    return frozenset({role})


def _up_the_line(doc: Document, role: str, excluded: set[int]) -> User | None:
    """The first manager above the owner who may decide a ``role`` step and sees the document."""
    allowed = roles_that_decide(role)
    above, seen = doc.owner.manager, {doc.owner_id}
    while above is not None and above.pk not in seen:
        seen.add(above.pk)
        if above.is_active and above.pk not in excluded and above.has_role(*allowed) and _sees(doc, above):
            return above
        above = above.manager
    return None


def holders_who_see(doc: Document, role: str, excluded: set[int], *, limit: int) -> list[User]:
    """Up to ``limit`` active holders of ``role``, other than the excluded, who can see the document
    (one query for a role that sees every document of the type; one more per holder otherwise)."""
    holders = active_holders(role).exclude(pk__in=excluded)
    if role in SEE_EVERYTHING or role in type(doc).SEE_ALL_ROLES:
        return list(holders.order_by("pk")[:limit])
    return [user for user in holders.order_by("pk")[:limit] if _sees(doc, user)]


def _someone_holds(doc: Document, role: str, excluded: set[int]) -> bool:
    """Whether an active holder of ``role`` other than the excluded can see and decide the document."""
    if role in SEE_EVERYTHING or role in type(doc).SEE_ALL_ROLES:
        return active_holders(role).exclude(pk__in=excluded).exists()
    return bool(holders_who_see(doc, role, excluded, limit=50))


def route_step(doc: Document, role: str, excluded: set[int], known: Managers | None = None) -> Route:
    """Who decides a step asked of ``role``, so that no document waits for nobody.

    A line role (sales or branch manager) goes to the manager the reporting line names; when that
    is the owner (a manager's own document) or someone else who may not decide, to the first
    manager above the owner who may, else to leadership. Any other role is open to its holders
    while one of them may decide and sees the document, else it goes to leadership (then admin).
    """
    if role in LINE_ROLES:
        named = _named_manager(doc, role, known)
        if named is not None and named.is_active and named.pk not in excluded:
            return Route(role, named)
        above = _up_the_line(doc, role, excluded)
        if above is not None:
            return Route(role, above)
    elif _someone_holds(doc, role, excluded):
        return Route(role, None)
    for fallback in ESCALATION:
        if fallback != role and _someone_holds(doc, fallback, excluded):
            return Route(fallback, None)
    return Route(Role.ADMIN, None)


def resolve_approver(doc: Document, role: str) -> User | None:
    """The named person for a step (None: any holder of the role); kept for callers that only need that."""
    return route_step(doc, role, doc.excluded_approver_ids()).approver


@dataclass(frozen=True)
class Chain:
    """A document's approval chain as routed, not yet written: its steps (the first pending) and
    whether a chain still open from before must be cancelled first (a resubmission's)."""

    steps: list[ApprovalStep]
    cancel_open: bool


def plan_steps(doc: Document) -> Chain:
    """Route the planned chain, reading only: each step to someone who may decide; a step that would
    go to the same decider as an earlier one is dropped. ``write_chain`` stores it."""
    content_type = ContentType.objects.get_for_model(doc)
    # One read: the rules, the threshold and the earlier rounds (a resubmission's).
    policy = read_policy(doc)
    # A chain still open from before ends here; with no rule row to tell, the update finds out.
    cancel_open = policy.previous_round is None or policy.has_open_steps
    planned_steps = plan_chain(doc, policy=policy)
    previous_round = policy.previous_round or 0
    now = timezone.now()
    excluded = doc.excluded_approver_ids() if planned_steps else set()
    # Several line steps (a branch's requisition: its branch manager, then the sales manager): their
    # managers are read together.
    known = _line_managers(doc) if sum(p.role in LINE_ROLES for p in planned_steps) > 1 else None
    steps: list[ApprovalStep] = []
    deciders: set[tuple[str, int | None]] = set()
    for planned in planned_steps:
        route = route_step(doc, planned.role, excluded, known)
        decider = ("", route.approver.pk) if route.approver else (route.role, None)
        if decider in deciders:
            continue
        deciders.add(decider)
        first = not steps
        steps.append(
            ApprovalStep(
                content_type=content_type,
                object_id=doc.pk,
                round=previous_round + 1,
                sequence=planned.sequence,
                role=route.role,
                approver=route.approver,
                reason=planned.reason,
                status=StepStatus.PENDING if first else StepStatus.WAITING,
                pending_since=now if first else None,
            )
        )
    if steps:
        steps[-1].last_in_round = True
    return Chain(steps=steps, cancel_open=cancel_open)


def write_chain(doc: Document, chain: Chain) -> list[ApprovalStep]:
    if chain.cancel_open:
        cancel_open_steps(doc)
    if chain.steps:
        ApprovalStep.objects.bulk_create(chain.steps)
    return chain.steps


def start_chain(doc: Document) -> list[ApprovalStep]:
    """Route and store the document's approval chain (``plan_steps`` then ``write_chain``)."""
    return write_chain(doc, plan_steps(doc))


def cancel_open_steps(doc: Document) -> None:
    """A voided or resubmitted document waits for nobody: its open steps are cancelled."""
    ApprovalStep.objects.filter(
        content_type=ContentType.objects.get_for_model(doc),
        object_id=doc.pk,
        status__in=[StepStatus.WAITING, StepStatus.PENDING],
    ).update(status=StepStatus.CANCELLED)


def open_steps(doc: Document) -> list[ApprovalStep]:
    """The pending and waiting steps of the document, in order (the pending one with its approver)."""
    return list(
        ApprovalStep.objects.filter(
            content_type=ContentType.objects.get_for_model(doc),
            object_id=doc.pk,
            status__in=[StepStatus.PENDING, StepStatus.WAITING],
        )
        .select_related("approver")
        .order_by("round", "sequence")
    )


def with_pending_step(doc: Document, step: ApprovalStep) -> Document:
    """Hand the decision the pending step the caller has just read for ``doc`` (My tasks opens the
    step it lists): when it is the last of its round the decision reads no steps again. The write
    still holds only while the step is pending with the same approver (else nothing is written)."""
    doc.pending_step_read = step  # type: ignore[attr-defined]
    return doc


def current_step(doc: Document) -> ApprovalStep | None:
    return (
        ApprovalStep.objects.filter(
            content_type=ContentType.objects.get_for_model(doc), object_id=doc.pk, status=StepStatus.PENDING
        )
        .select_related("approver")
        .first()
    )


def steps_of(doc: Document) -> list[ApprovalStep]:
    return list(
        ApprovalStep.objects.filter(content_type=ContentType.objects.get_for_model(doc), object_id=doc.pk)
        .select_related("approver", "decided_by")
        .order_by("round", "sequence")
    )
