"""Default approval policies and major thresholds for deals (see deals/policies.py for the why)."""

from decimal import Decimal

from django.db import migrations

RULES = [
    ("deals.inquiry", 10, "leadership", "major", ""),
    ("deals.quotation", 10, "sales_manager", "always", ""),
    ("deals.quotation", 20, "leadership", "major", ""),
    ("deals.contract", 10, "sales_manager", "flag", "deviation"),
    ("deals.contract", 20, "leadership", "major", ""),
    ("deals.phoneorder", 10, "sales_manager", "always", ""),
    ("deals.phoneorder", 20, "leadership", "major", ""),
]
THRESHOLDS = {
    "deals.inquiry": Decimal("500000.00"),
    "deals.quotation": Decimal("500000.00"),
    "deals.contract": Decimal("500000.00"),
    "deals.phoneorder": Decimal("200000.00"),
}


def forward(apps, schema_editor):
    ApprovalRule = apps.get_model("workflow", "ApprovalRule")
    Company = apps.get_model("org", "Company")
    MajorThreshold = apps.get_model("org", "MajorThreshold")
    for doc_type, sequence, role, condition, flag in RULES:
        ApprovalRule.objects.get_or_create(
            doc_type=doc_type, sequence=sequence, role=role, condition=condition, flag=flag
        )
    company = Company.objects.order_by("pk").first() or Company.objects.create(name="salesops")
    for doc_type, amount in THRESHOLDS.items():
        MajorThreshold.objects.get_or_create(company=company, doc_type=doc_type, defaults={"amount": amount})


def backward(apps, schema_editor):
    ApprovalRule = apps.get_model("workflow", "ApprovalRule")
    ApprovalRule.objects.filter(doc_type__in={r[0] for r in RULES}).delete()


class Migration(migrations.Migration):
    dependencies = [("deals", "0001_initial"), ("workflow", "0003_field_labels"), ("org", "0002_field_labels")]

    operations = [migrations.RunPython(forward, backward)]
