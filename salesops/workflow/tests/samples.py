"""Samples of the kernel's own test-only document type (``kitapp``) for ``kit.py``."""

from decimal import Decimal

from django.db import transaction

from salesops.workflow.services import document_create
from salesops.workflow.tests.kit import Sample
from salesops.workflow.tests.kitapp.models import Memo
from salesops.workflow.tests.kitapp.workflows import MEMO_FLOW


def memo(staff, owner, *, amount: str = "100.00") -> Sample:
    with transaction.atomic():
        doc = document_create(Memo, flow=MEMO_FLOW, actor=owner, owner=owner, title="备忘", amount=Decimal(amount))
    return Sample(doc, "submit", owner)


SAMPLES = {"workflow_kit.memo": memo}
