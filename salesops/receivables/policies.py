"""Default approval policies of the money documents (the admin may change them).

- Invoice request (W6.2): sales review by the sales manager; an advance invoice (预开票, before
  delivery) is approved by the manager too — the same step, flagged on the request.
- Payment request (W5.3): the sales manager, then finance.
"""

DEFAULT_RULES = [
    ("receivables.invoicerequest", 10, "sales_manager", "always", ""),
    ("receivables.paymentrequest", 10, "sales_manager", "always", ""),
    ("receivables.paymentrequest", 20, "finance", "always", ""),
]


def ensure_defaults() -> None:
    from salesops.workflow.models import ApprovalRule

    for doc_type, sequence, role, condition, flag in DEFAULT_RULES:
        ApprovalRule.objects.get_or_create(
            doc_type=doc_type, sequence=sequence, role=role, condition=condition, flag=flag
        )
