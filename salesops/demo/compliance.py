"""The demo's rules: the rule set adopted a month ago and acknowledged by everyone but one
salesperson (whose violations show as "not notified"), then the sweep over the demo's documents,
and a few violations taken through their review (confirmed, waived, appealed)."""

import datetime

from django.utils import timezone

from salesops.compliance import services
from salesops.compliance.models import Acknowledgement, Violation, ViolationState
from salesops.org.models import User
from salesops.workflow.approvals import current_step
from salesops.workflow.registry import act_on

# Acknowledged nothing: the demo shows what a violation of unacknowledged rules looks like.
NOT_ACKNOWLEDGED = "sales6"


def load_demo_compliance(*, users: dict[str, User], today: datetime.date) -> int:
    rule_set = services.current_rule_set()
    services.rule_set_adopt(actor=users["admin"], rule_set=rule_set, adopted_on=today - datetime.timedelta(days=30))
    Acknowledgement.objects.bulk_create(
        [Acknowledgement(user=u, rule_set=rule_set) for name, u in users.items() if name != NOT_ACKNOWLEDGED]
    )
    # Acknowledged "a month ago": the breaches since then are on notice.
    Acknowledgement.objects.filter(rule_set=rule_set).update(
        acknowledged_at=timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=30), datetime.time(9))
        )
    )
    services.sweep(today=today)
    found = list(Violation.objects.filter(state=ViolationState.REVIEWING, notified=True).order_by("pk"))
    for violation, outcome in zip(found, ("confirm", "waive", "appeal"), strict=False):
        step = current_step(violation)
        decider = step.approver if step is not None and step.approver is not None else users["boss"]
        if outcome == "waive":
            act_on(violation, "waive", actor=decider, comment="初次发生，口头提醒")
            continue
        confirmed = act_on(violation, "confirm", actor=decider)
        if outcome == "appeal":
            act_on(confirmed, "appeal", actor=confirmed.owner, comment="当时已电话请示经理")
    return Violation.objects.count()
