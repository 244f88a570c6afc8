"""Default review policy of violations and the first rule set (the admin may change them).

The manager on the person's reporting line reviews a finding (flag ``review``); leadership
decides an appeal (flag ``appeal``) and every reward or penalty proposal (D3). The first rule
set version is written from the registered rules, with the regulation's penalty range (R17:
10-100 yuan)."""

DEFAULT_RULES = [
    ("compliance.violation", 10, "sales_manager", "flag", "review"),
    ("compliance.violation", 20, "leadership", "flag", "appeal"),
    ("compliance.proposal", 10, "leadership", "always", ""),
]


def ensure_defaults() -> None:
    from salesops.workflow.models import ApprovalRule

    from .services import rule_set_seed

    for doc_type, sequence, role, condition, flag in DEFAULT_RULES:
        ApprovalRule.objects.get_or_create(
            doc_type=doc_type, sequence=sequence, role=role, condition=condition, flag=flag
        )
    rule_set_seed()
