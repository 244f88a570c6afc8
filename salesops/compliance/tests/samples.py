"""A sample violation for the kernel's generated tests (``workflow/tests/kit.py``): found by the
sweep (R3, an expense recorded as already spent), confirmed by whoever reviews it, just before
its owner appeals (the chain the owner starts; the manager's review is opened by the engine and
tested in ``test_review.py``)."""

import datetime

from django.utils import timezone

from salesops.compliance import services
from salesops.compliance.models import Violation
from salesops.expenses.tests import factories as ef
from salesops.workflow.registry import act_on
from salesops.workflow.tests.kit import Sample, deciders, pending_step

from .helpers import acknowledge_everyone


def violation(staff, owner) -> Sample:
    acknowledge_everyone()
    spent = ef.expense(owner, incurred_on=timezone.localdate() - datetime.timedelta(days=1))
    services.sweep(codes=["R3"])
    found = Violation.objects.get(rule_code="R3", subject_id=spent.pk)
    reviewer = deciders(found, pending_step(found))[0]
    confirmed = act_on(found, "confirm", actor=reviewer)
    return Sample(confirmed, "appeal", owner, comment="费用事先已口头请示")


SAMPLES = {"compliance.violation": violation}
