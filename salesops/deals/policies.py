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

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

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


@dataclass(frozen=True)
class PricingPolicy:
    """What R4 compares a quotation with, as the admin set it when this step runs: the company's
    largest standard discount, its standard terms (by field; "" sets no standard) and, when asked,
    one major threshold. Read once per step, never cached across requests."""

    max_discount_rate: Decimal
    standard_terms: dict[str, str]
    threshold: Decimal | None = None


def pricing_policy(*, threshold_for: str | None = None) -> PricingPolicy:
    """The pricing policy in one query (the company row carries the standard terms and threshold)."""
    from django.db.models import OuterRef, Subquery

    from salesops.org.models import Company, MajorThreshold

    from .models import StandardTerms

    terms = StandardTerms.objects.order_by("pk")
    annotations: dict[str, Any] = {
        f"standard_{name}": Subquery(terms.values(name)[:1]) for name in StandardTerms.CHECKED_FIELDS
    }
    if threshold_for is not None:
        annotations["major_at"] = Subquery(
            MajorThreshold.objects.filter(company=OuterRef("pk"), doc_type=threshold_for).values("amount")[:1]
        )
    row = Company.objects.order_by("pk").annotate(**annotations).values("max_discount_rate", *annotations).first()
    if row is None:
        Company.current()  # the one company, made on first use
        return pricing_policy(threshold_for=threshold_for)
    return PricingPolicy(
        max_discount_rate=row["max_discount_rate"],
        standard_terms={name: row[f"standard_{name}"] or "" for name in StandardTerms.CHECKED_FIELDS},
        threshold=row.get("major_at"),
    )
