"""Default approval policies of the delivery documents (the admin may change them).

- Goods requisition (W4.2-4.3): a branch's is approved by its branch manager first; the sales
  manager reviews every one together with its contract.
- Return request (W8.1): the manager confirms.
- Shipment delay (R7): the manager accepts the reason.
"""

DEFAULT_RULES = [
    ("fulfilment.requisition", 10, "branch_manager", "flag", "branch"),
    ("fulfilment.requisition", 20, "sales_manager", "always", ""),
    ("fulfilment.returnrequest", 10, "sales_manager", "always", ""),
    ("fulfilment.shipmentdelay", 10, "sales_manager", "always", ""),
]


def ensure_defaults() -> None:
    from salesops.workflow.models import ApprovalRule

    from .models import FulfilmentSettings

    for doc_type, sequence, role, condition, flag in DEFAULT_RULES:
        ApprovalRule.objects.get_or_create(
            doc_type=doc_type, sequence=sequence, role=role, condition=condition, flag=flag
        )
    FulfilmentSettings.current()
