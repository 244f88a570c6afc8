"""Default approval policies and major thresholds for expenses (the admin may change them).

Expense request (R3): the salesperson's manager; leadership too when major.
Special fee: the manager's consent (R5), then leadership's instruction (R6).
Dealer collection permit (R2): the salesperson's sales manager.
Migrations 0003 and 0005 seed the same rows (and the collection permit settings);
``ensure_default_policies`` puts back any that are missing.
"""

from decimal import Decimal

DEFAULT_RULES = [
    ("expenses.expenserequest", 10, "sales_manager", "always"),
    ("expenses.expenserequest", 20, "leadership", "major"),
    ("expenses.specialfee", 10, "sales_manager", "always"),
    ("expenses.specialfee", 20, "leadership", "always"),
    ("expenses.collectionpermit", 10, "sales_manager", "always"),
]
DEFAULT_THRESHOLDS = {"expenses.expenserequest": Decimal("5000.00"), "expenses.specialfee": Decimal("20000.00")}


def ensure_default_policies() -> None:
    from salesops.org.models import Company, MajorThreshold
    from salesops.workflow.models import ApprovalRule

    from .models import CollectionSettings

    for doc_type, sequence, role, condition in DEFAULT_RULES:
        ApprovalRule.objects.get_or_create(doc_type=doc_type, sequence=sequence, role=role, condition=condition)
    company = Company.current()
    for doc_type, amount in DEFAULT_THRESHOLDS.items():
        MajorThreshold.objects.get_or_create(company=company, doc_type=doc_type, defaults={"amount": amount})
    CollectionSettings.current()
