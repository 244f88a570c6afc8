"""Approval chains: which approvals a document needs, resolved from ``ApprovalRule`` rows.

A document is *major* when its approval amount is at or above the company's
threshold for its type (``MajorThreshold``). Rules apply by document type,
condition (always / major / flag) and optionally branch. The chain is copied
into ``ApprovalStep`` rows at submission: later policy edits leave it alone.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from salesops.org.models import Company, MajorThreshold, User
from salesops.org.roles import SEE_EVERYTHING, Role

from .models import ApprovalRule, ApprovalStep, Document, StepCondition, StepStatus


def major_threshold(doc_type: str) -> Decimal | None:
    # The one company is the first row (Company.current); one query instead of two.
    first_company = Company.objects.order_by("pk").values("pk")[:1]
    return (
        MajorThreshold.objects.filter(company__in=first_company, doc_type=doc_type)
        .values_list("amount", flat=True)
        .first()
    )


def is_major(doc: Document) -> bool:
    amount = doc.approval_amount()
    if amount is None:
        return "major" in doc.approval_flags()
    threshold = major_threshold(doc.doc_type())
    return "major" in doc.approval_flags() or (threshold is not None and amount >= threshold)


@dataclass(frozen=True)
class PlannedStep:
    sequence: int
    role: str
    reason: str


def plan_chain(doc: Document) -> list[PlannedStep]:
    """The steps the current policy asks of this document, in order, without duplicates."""
    major = is_major(doc)
    flags = doc.approval_flags()
    rules = ApprovalRule.objects.filter(doc_type=doc.doc_type(), is_active=True).order_by("sequence", "pk")
    planned: list[PlannedStep] = []
    seen_roles: set[str] = set()
    for rule in rules:
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


def _named_manager(doc: Document, role: str) -> User | None:
    """The manager the reporting line names for a line role; they see the document by their scope."""
    owner = doc.owner
    if role == Role.SALES_MANAGER:
        if owner.manager_id and Role.SALES_MANAGER in owner.manager.roles:
            return owner.manager
        department = doc.department
        if department is not None and department.manager_id and Role.SALES_MANAGER in department.manager.roles:
            return department.manager
    elif role == Role.BRANCH_MANAGER:
        manager = doc.branch.manager
        if manager is not None and Role.BRANCH_MANAGER in manager.roles:
            return manager
    return None


def _up_the_line(doc: Document, excluded: set[int]) -> User | None:
    """The first manager above the owner who may decide and sees the document."""
    person, seen = doc.owner, set()
    while person.manager_id and person.manager_id not in seen:
        seen.add(person.manager_id)
        person = person.manager
        if person.is_active and person.pk not in excluded and _sees(doc, person):
            return person
    return None


def _someone_holds(doc: Document, role: str, excluded: set[int]) -> bool:
    """Whether an active holder of ``role`` other than the excluded can see and decide the document."""
    holders = User.objects.filter(is_active=True, role_links__role=role).exclude(pk__in=excluded).distinct()
    if role in SEE_EVERYTHING or role in type(doc).SEE_ALL_ROLES:
        return holders.exists()
    return any(_sees(doc, user) for user in holders[:50])


def route_step(doc: Document, role: str, excluded: set[int]) -> Route:
    """Who decides a step asked of ``role``, so that no document waits for nobody.

    A line role (sales or branch manager) goes to the manager the reporting line names; when that
    is the owner (a manager's own document) or someone else who may not decide, to the first
    manager above the owner who may, else to leadership. Any other role is open to its holders
    while one of them may decide and sees the document, else it goes to leadership (then admin).
    """
    if role in LINE_ROLES:
        named = _named_manager(doc, role)
        if named is not None and named.is_active and named.pk not in excluded:
            return Route(role, named)
        above = _up_the_line(doc, excluded)
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


def start_chain(doc: Document) -> list[ApprovalStep]:
    """Copy the planned chain into ApprovalStep rows, each routed to someone who may decide; a step
    that would go to the same decider as an earlier one is dropped. The first step becomes pending."""
    content_type = ContentType.objects.get_for_model(doc)
    earlier = list(
        ApprovalStep.objects.filter(content_type=content_type, object_id=doc.pk).values_list("round", "status")
    )
    previous_round = max((r for r, _ in earlier), default=0)
    if any(status in (StepStatus.WAITING, StepStatus.PENDING) for _, status in earlier):
        # A chain still open from before (a resubmission) ends here.
        ApprovalStep.objects.filter(
            content_type=content_type, object_id=doc.pk, status__in=[StepStatus.WAITING, StepStatus.PENDING]
        ).update(status=StepStatus.CANCELLED)
    now = timezone.now()
    excluded = doc.excluded_approver_ids()
    steps: list[ApprovalStep] = []
    deciders: set[tuple[str, int | None]] = set()
    for planned in plan_chain(doc):
        route = route_step(doc, planned.role, excluded)
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
    ApprovalStep.objects.bulk_create(steps)
    return steps


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
