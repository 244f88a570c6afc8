"""Default approval policy of dealer collection permits (R2): the salesperson's sales manager.
The admin may change it later; ``policies.ensure_default_policies`` puts the row back if missing."""

from django.db import migrations

RULE = ("expenses.collectionpermit", 10, "sales_manager", "always")


def forward(apps, schema_editor):
    ApprovalRule = apps.get_model("workflow", "ApprovalRule")
    CollectionSettings = apps.get_model("expenses", "CollectionSettings")
    doc_type, sequence, role, condition = RULE
    ApprovalRule.objects.get_or_create(doc_type=doc_type, sequence=sequence, role=role, condition=condition)
    if not CollectionSettings.objects.exists():
        CollectionSettings.objects.create()


def backward(apps, schema_editor):
    ApprovalRule = apps.get_model("workflow", "ApprovalRule")
    ApprovalRule.objects.filter(doc_type=RULE[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("expenses", "0004_collection_permits"), ("workflow", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
