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


def proposal(staff, owner) -> Sample:
    """A reward for one of the owner's people, proposed by the owner as their manager. A
    salesperson owner is made a sales manager for the sample (only managers propose), and one
    colleague reports to them when their scope holds nobody else."""
    from salesops.compliance.services import proposal_create
    from salesops.org.models import User, UserRole
    from salesops.org.roles import Role
    from salesops.org.scoping import people_q

    if not owner.has_role(Role.SALES_MANAGER, Role.BRANCH_MANAGER):
        UserRole.objects.get_or_create(user=owner, role=Role.SALES_MANAGER)
        owner = User.objects.get(pk=owner.pk)
    person = User.objects.filter(people_q(owner)).exclude(pk=owner.pk).order_by("pk").first()
    if person is None:
        person = staff.sales_b if owner.pk != staff.sales_b.pk else staff.sales_a
        person.manager = owner
        person.save(update_fields=["manager"])
    found = proposal_create(
        actor=owner,
        person_id=person.pk,
        kind="reward",
        reason="月度回款第一",
        month=timezone.localdate().strftime("%Y%m"),
        points=2,
    )
    return Sample(found, "submit", owner)


SAMPLES = {"compliance.violation": violation, "compliance.proposal": proposal}
