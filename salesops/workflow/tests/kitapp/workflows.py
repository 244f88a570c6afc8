from decimal import Decimal

from salesops.workflow.flows import Flow, T, is_owner

from .models import MemoState as S

MEMO_FLOW = Flow(
    "workflow_kit.Memo",
    initial=S.DRAFT,
    approved_state=S.APPROVED,
    editable_states=(S.DRAFT, S.REJECTED),
    transitions={
        "submit": T((S.DRAFT, S.REJECTED), S.PENDING, by=(is_owner,), approval="start", label="submit"),
        "approve": T(S.PENDING, S.APPROVED, approval="approve", label="approve"),
        "reject": T(S.PENDING, S.REJECTED, approval="reject", needs_comment=True, label="return"),
        "cancel": T((S.DRAFT, S.REJECTED), S.CANCELLED, by=(is_owner,), needs_comment=True, voids=True),
    },
)


def ensure_default_policies() -> None:
    from salesops.org.models import Company, MajorThreshold
    from salesops.workflow.models import ApprovalRule

    ApprovalRule.objects.get_or_create(doc_type="workflow_kit.memo", sequence=10, role="sales_manager")
    ApprovalRule.objects.get_or_create(doc_type="workflow_kit.memo", sequence=20, role="leadership", condition="major")
    MajorThreshold.objects.get_or_create(
        company=Company.current(), doc_type="workflow_kit.memo", defaults={"amount": Decimal("10000.00")}
    )
