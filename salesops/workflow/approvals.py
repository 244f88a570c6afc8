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

from salesops.org.models import Company, MajorThreshold
from salesops.org.roles import Role

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


def resolve_approver(doc: Document, role: str):
    """The named person for a step where the reporting line says who; None means anyone with the role."""
    owner = doc.owner
    candidate = None
    if role == Role.SALES_MANAGER:
        if owner.manager_id and owner.manager and Role.SALES_MANAGER in owner.manager.roles:
            candidate = owner.manager
        elif doc.department_id and doc.department.manager_id:
            candidate = doc.department.manager
    elif role == Role.BRANCH_MANAGER and doc.branch.manager_id:
        candidate = doc.branch.manager
    # A manager's own document goes to any other holder of the role, never back to the manager.
    return None if candidate is None or candidate.pk == owner.pk else candidate


def start_chain(doc: Document) -> list[ApprovalStep]:
    """Copy the planned chain into ApprovalStep rows; the first step becomes pending."""
    content_type = ContentType.objects.get_for_model(doc)
    previous_round = (
        ApprovalStep.objects.filter(content_type=content_type, object_id=doc.pk)
        .order_by("-round")
        .values_list("round", flat=True)
        .first()
        or 0
    )
    now = timezone.now()
    steps = []
    for index, planned in enumerate(plan_chain(doc)):
        steps.append(
            ApprovalStep(
                content_type=content_type,
                object_id=doc.pk,
                round=previous_round + 1,
                sequence=planned.sequence,
                role=planned.role,
                approver=resolve_approver(doc, planned.role),
                reason=planned.reason,
                status=StepStatus.PENDING if index == 0 else StepStatus.WAITING,
                pending_since=now if index == 0 else None,
            )
        )
    ApprovalStep.objects.bulk_create(steps)
    return steps


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
