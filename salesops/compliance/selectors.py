"""Reads of compliance, each scoped by ``visible_to(user)``: violations, the rules at risk, the
charts' figures, the ledger's monthly summary, and the tasks it puts in My tasks."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import NotFound
from salesops.core.policy import require
from salesops.org import calendar
from salesops.org.models import User
from salesops.org.scoping import people_q
from salesops.workflow.inbox import TaskItem
from salesops.workflow.rules import Breach, CheckWindow, all_rules

from .models import Acknowledgement, LedgerEntry, PenaltySettings, RuleSet, Violation
from .permissions import HR_EXPORTERS, OVERSEERS


def violation_list(*, user):
    return Violation.objects.visible_to(user).select_related("owner", "rule")


def violation_get_for(*, user, pk: int) -> Violation:
    found = violation_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Document not found."))
    return found


def latest_rule_set() -> RuleSet | None:
    """The newest version, read only (``services.current_rule_set`` seeds one when there is none)."""
    return RuleSet.objects.order_by("-version").first()


def acknowledgement_tasks(user) -> list[TaskItem]:
    """ "Read the rules" while the user has not acknowledged the current version, once the company
    adopted a version (a later change asks again at once). Three queries."""
    rule_set = latest_rule_set()
    if rule_set is None or not RuleSet.objects.filter(adopted_on__isnull=False).exists():
        return []  # nothing to acknowledge before the company adopted its rules
    if Acknowledgement.objects.filter(user=user, rule_set=rule_set).exists():
        return []
    return [
        TaskItem(
            kind="rules",
            title=_("Read and acknowledge the department's rules (version %(version)s)")
            % {"version": rule_set.version},
            url=reverse("compliance:rules"),
            since=rule_set.created_at,
        )
    ]


@dataclass(frozen=True)
class RiskRow:
    code: str
    title: str
    person: User | None
    breach: Breach
    today: bool  # already breached today (a violation found today) or due today


def rules_at_risk(*, user, today: datetime.date | None = None) -> dict:
    """For a manager: what was breached today, and what will breach today or by the next working
    day unless someone acts, restricted to the people the manager's scope covers."""
    require(user, *OVERSEERS)
    today = today or timezone.localdate()
    data = calendar.load()
    horizon = calendar.working_day_deadline(today, 1, data=data).day
    window = CheckWindow(today=today, since=today, horizon=horizon, preloaded=data)
    people = set(User.objects.filter(people_q(user)).values_list("pk", flat=True))
    upcoming: list[RiskRow] = []
    for check in all_rules():
        if check.at_risk is None:
            continue
        for breach in check.at_risk(window):
            if breach.person_id in people:
                upcoming.append(RiskRow(check.code, str(check.title), None, breach, breach.occurred_on <= today))
    names = User.objects.in_bulk({row.breach.person_id for row in upcoming})
    upcoming = [RiskRow(r.code, r.title, names.get(r.breach.person_id), r.breach, r.today) for r in upcoming]
    upcoming.sort(key=lambda r: (r.breach.occurred_on, r.code))
    found_today = list(violation_list(user=user).filter(created_at__date=today).order_by("rule_code", "pk"))
    return {
        "today": today,
        "horizon": horizon,
        "upcoming": upcoming,
        "found_today": found_today,
        "tallies": rule_tallies(user=user, today=today, people=people, data=data),
    }


TALLY_DAYS = 92


def rule_tallies(*, user, today: datetime.date, people: set[int], data) -> list[dict]:
    """Each rule's own count per person over the last three months (R4: non-standard approvals),
    for the people the manager's scope covers, largest first."""
    window = CheckWindow(today=today, since=today - datetime.timedelta(days=TALLY_DAYS), horizon=today, preloaded=data)
    found = []
    for check in all_rules():
        if check.tally is None:
            continue
        counts = {pk: n for pk, n in check.tally(window).items() if pk in people}
        names = User.objects.in_bulk(list(counts))
        rows = sorted(((names[pk], n) for pk, n in counts.items() if pk in names), key=lambda r: (-r[1], r[0].username))
        found.append({"code": check.code, "label": check.tally_label, "rows": rows})
    return found


def violation_chart(*, user, months: int = 6, today: datetime.date | None = None) -> dict:
    """Violations per month by rule and by person, over the last ``months`` months (one query)."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    for _step in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    rows = (
        violation_list(user=user)
        .filter(occurred_on__gte=first)
        .annotate(month=TruncMonth("occurred_on"))
        .values("month", "rule_code", "owner__display_name", "owner__username")
        .annotate(n=Count("pk"))
    )
    labels: list[str] = []
    day = first
    while day <= today:
        labels.append(day.strftime("%Y-%m"))
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    by_rule: dict[str, Counter] = defaultdict(Counter)
    by_person: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        month = row["month"].strftime("%Y-%m")
        by_rule[row["rule_code"]][month] += row["n"]
        by_person[row["owner__display_name"] or row["owner__username"]][month] += row["n"]

    def series(groups: dict[str, Counter]) -> list[dict]:
        return [{"name": name, "data": [groups[name][m] for m in labels]} for name in sorted(groups)]

    return {"months": labels, "by_rule": series(by_rule), "by_person": series(by_person)}


@dataclass(frozen=True)
class MonthLine:
    person: User
    violations: int
    points: int
    amount: Decimal
    capped_points: int
    capped_amount: Decimal
    reward_points: int = 0
    reward_amount: Decimal = Decimal("0")
    compensation: Decimal = Decimal("0")


def ledger_month(*, user, month: str) -> list[MonthLine]:
    """Per person, the month's ledger: penalties (points and amounts, and the figures after the
    company's monthly caps), rewards, and compensation for proven losses, for the HR / payroll
    office; the system never deducts wages. One query for the figures, one for the people."""
    from .models import EntryKind

    require(user, *HR_EXPORTERS)
    settings = PenaltySettings.current()
    penalty, reward = Q(kind=EntryKind.PENALTY), Q(kind=EntryKind.REWARD)
    rows = (
        LedgerEntry.objects.filter(month=month)
        .values("person")
        .annotate(
            n=Count("violation", filter=penalty & Q(reverses=None, reversed_by=None)),
            penalty_points=Sum("points", filter=penalty),
            penalty_amount=Sum("amount", filter=penalty),
            reward_points=Sum("points", filter=reward),
            reward_amount=Sum("amount", filter=reward),
            compensation=Sum("amount", filter=Q(kind=EntryKind.COMPENSATION)),
        )
        .order_by("person")
    )
    people = User.objects.in_bulk([row["person"] for row in rows])
    zero = Decimal("0")
    lines = []
    for row in rows:
        points, amount = max(row["penalty_points"] or 0, 0), max(row["penalty_amount"] or zero, zero)
        lines.append(
            MonthLine(
                person=people[row["person"]],
                violations=row["n"],
                points=points,
                amount=amount,
                capped_points=min(points, settings.monthly_points_cap),
                capped_amount=min(amount, settings.monthly_cap),
                reward_points=row["reward_points"] or 0,
                reward_amount=row["reward_amount"] or zero,
                compensation=row["compensation"] or zero,
            )
        )
    return lines


def proposal_list(*, user):
    from .models import Proposal

    return Proposal.objects.visible_to(user).select_related("owner", "person")


def proposal_get_for(*, user, pk: int):
    found = proposal_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Document not found."))
    return found


def proposal_listing(*, user, with_scope_filters: bool = True):
    from salesops.core.listing import Filter, Listing

    from .models import EntryKind, ProposalState

    return Listing(
        search_fields=("number", "reason", "person__username", "person__display_name", "loss_document"),
        orderings={"number": "number", "created": "created_at", "state": "state", "person": "person__username"},
        default_ordering="-created",
        filters=(
            Filter("state", "state", _("State"), list(ProposalState.choices)),
            Filter("kind", "kind", _("Kind"), list(EntryKind.choices)),
        ),
    )


def violation_listing(*, user, with_scope_filters: bool = True):
    """Search, filters and sort keys of the violation list (page and API)."""
    from salesops.core.listing import Filter, Listing
    from salesops.workflow.rules import all_rules as rules

    from .models import ViolationState

    people: tuple = ()
    if with_scope_filters and user.has_role(*OVERSEERS):
        owners = User.objects.filter(pk__in=Violation.objects.visible_to(user).values("owner")).order_by("username")
        people = (Filter("owner", "owner_id", _("Person"), [(str(u.pk), str(u)) for u in owners]),)
    elif not with_scope_filters:
        people = (Filter("owner", "owner_id", _("Person")),)
    return Listing(
        search_fields=("number", "rule_code", "subject_number", "detail", "owner__username", "owner__display_name"),
        orderings={
            "number": "number",
            "occurred": "occurred_on",
            "rule": "rule_code",
            "state": "state",
            "owner": "owner__username",
        },
        default_ordering="-occurred",
        filters=(
            Filter("state", "state", _("State"), list(ViolationState.choices)),
            Filter("rule", "rule_code", _("Rule"), [(r.code, f"{r.code} {r.title}") for r in rules()]),
            *people,
        ),
    )


def violation_totals(queryset) -> dict:
    """Count, open reviews and confirmed points/amounts of a filtered list (one query)."""
    from .models import ViolationState

    return queryset.order_by().aggregate(
        count=Count("pk"),
        reviewing=Count("pk", filter=Q(state=ViolationState.REVIEWING)),
        points=Sum("points", filter=Q(state__in=[ViolationState.CONFIRMED, ViolationState.UPHELD])),
    )
