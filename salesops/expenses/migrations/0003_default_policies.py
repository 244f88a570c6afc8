"""Default approval policies and major thresholds for expenses (admin may edit them later).

Expense request (R3): the salesperson's manager; leadership too when major.
Special fee: the manager's consent (R5), then leadership's instruction (R6).
"""

from decimal import Decimal

from django.db import migrations

RULES = [
    ("expenses.expenserequest", 10, "sales_manager", "always"),
    ("expenses.expenserequest", 20, "leadership", "major"),
    ("expenses.specialfee", 10, "sales_manager", "always"),
    ("expenses.specialfee", 20, "leadership", "always"),
]
THRESHOLDS = {"expenses.expenserequest": Decimal("5000.00"), "expenses.specialfee": Decimal("20000.00")}


def forward(apps, schema_editor):
    ApprovalRule = apps.get_model("workflow", "ApprovalRule")
    Company = apps.get_model("org", "Company")
    MajorThreshold = apps.get_model("org", "MajorThreshold")
    for doc_type, sequence, role, condition in RULES:
        ApprovalRule.objects.get_or_create(doc_type=doc_type, sequence=sequence, role=role, condition=condition)
    company = Company.objects.order_by("pk").first() or Company.objects.create(name="salesops")
    for doc_type, amount in THRESHOLDS.items():
        MajorThreshold.objects.get_or_create(company=company, doc_type=doc_type, defaults={"amount": amount})


def backward(apps, schema_editor):
    ApprovalRule = apps.get_model("workflow", "ApprovalRule")
    ApprovalRule.objects.filter(doc_type__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("expenses", "0002_initial"), ("workflow", "0001_initial"), ("org", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
