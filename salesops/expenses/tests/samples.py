"""Sample expense documents for the kernel's generated tests (``workflow/tests/kit.py``)."""

import datetime

from django.utils import timezone

from salesops.workflow.tests.kit import Sample

from . import factories as f


def _planned_on() -> datetime.date:
    # Ahead of today, so no sample is an R3 "incurred before approval" case.
    return timezone.localdate() + datetime.timedelta(days=7)


def expense(staff, owner) -> Sample:
    return Sample(f.expense(owner, planned_on=_planned_on()), "submit", owner)


def special_fee(staff, owner) -> Sample:
    return Sample(f.special_fee(owner, f.customer(staff, owner)), "submit", owner)


def collection_permit(staff, owner) -> Sample:
    return Sample(f.permit(owner, f.dealer(staff, owner)), "submit", owner)


SAMPLES = {
    "expenses.expenserequest": expense,
    "expenses.specialfee": special_fee,
    "expenses.collectionpermit": collection_permit,
}
