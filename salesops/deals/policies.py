"""Default approval policies and major thresholds for deals (the admin may change them).

- Inquiry (W2.1): the manager decides; leadership instructs a major one.
- Quotation (W2.5, R4): the manager reviews every one (non-standard ones are marked so);
  leadership checks a major one.
- Contract (W3.3-4): re-confirmation by the manager when it deviates from its quotation;
  leadership when major. Neither: confirmed at once.
- Phone or fax order (W3.6): the manager confirms; leadership when major.
- Standard terms (R4): one row, empty (no standard set) until the admin fills it in.
Migration 0002 seeds the same rows; ``ensure_default_policies`` puts back any that are missing.
"""

from decimal import Decimal

DEFAULT_RULES = [
    ("deals.inquiry", 10, "leadership", "major", ""),
    ("deals.quotation", 10, "sales_manager", "always", ""),
    ("deals.quotation", 20, "leadership", "major", ""),
    ("deals.contract", 10, "sales_manager", "flag", "deviation"),
    ("deals.contract", 20, "leadership", "major", ""),
    ("deals.phoneorder", 10, "sales_manager", "always", ""),
    ("deals.phoneorder", 20, "leadership", "major", ""),
]
DEFAULT_THRESHOLDS = {
    "deals.inquiry": Decimal("500000.00"),
    "deals.quotation": Decimal("500000.00"),
    "deals.contract": Decimal("500000.00"),
    "deals.phoneorder": Decimal("200000.00"),
}


def ensure_default_policies() -> None:
    from salesops.org.models import Company, MajorThreshold
    from salesops.workflow.models import ApprovalRule

    from .models import StandardTerms

    for doc_type, sequence, role, condition, flag in DEFAULT_RULES:
        ApprovalRule.objects.get_or_create(
            doc_type=doc_type, sequence=sequence, role=role, condition=condition, flag=flag
        )
    company = Company.current()
    for doc_type, amount in DEFAULT_THRESHOLDS.items():
        MajorThreshold.objects.get_or_create(company=company, doc_type=doc_type, defaults={"amount": amount})
    StandardTerms.objects.current()
