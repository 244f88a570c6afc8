"""Every label of the customer and catalogue models has a Simplified Chinese entry (STYLE.md)."""

import pytest
from django.apps import apps
from django.utils import translation


@pytest.mark.parametrize("app_label", ["customers", "catalog"])
def test_every_model_and_field_label_is_translated(app_label):
    missing = []
    for model in apps.get_app_config(app_label).get_models():
        labels = [model._meta.verbose_name, model._meta.verbose_name_plural]
        labels += [f.verbose_name for f in model._meta.get_fields() if hasattr(f, "verbose_name") and f.concrete]
        for label in labels:
            with translation.override("en"):
                english = str(label)
            with translation.override("zh-hans"):
                chinese = str(label)
            if english == chinese and english not in ("ID",):
                missing.append((model.__name__, english))
    assert missing == []


def test_choice_labels_are_translated():
    from salesops.customers.models import CustomerKind, IntelSubject, InvoiceKind, PotentialGrade

    with translation.override("zh-hans"):
        labels = [
            str(label)
            for choices in (CustomerKind, IntelSubject, PotentialGrade, InvoiceKind)
            for _v, label in choices.choices
        ]
    assert all(not label.isascii() for label in labels)
