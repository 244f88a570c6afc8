"""Periodic jobs of the document kernel: remind approvers who keep a document waiting.

**When a step has "waited more than one working day".** A step that became pending on day
*P* (its ``pending_since`` in the local time zone) has waited ``working_days_between(P, today)``
working days: the working days after *P* up to and including today. It is overdue when that
count is 2 or more, i.e. the approver had the rest of day *P* and one whole working day and
did not decide. Submitted Monday: no reminder on Tuesday, a reminder on Wednesday. Submitted
on 30 September 2026: National Day closes 1-7 October, so 8 October is the first working day
and the first reminder goes out on 9 October. Company calendar overrides count as everywhere.

Reminders go out only on working days (nobody is nagged on a holiday), at most once per step,
approver and day: the notification's ``dedupe_key`` is ``remind-step-<step>-<date>`` and the
inbox has a unique ``(user, dedupe_key)``. The job derives everything from the pending steps,
so running it twice sends nothing twice and a run that never happened is made good by the next.
"""

import datetime
import logging
from collections import defaultdict
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from salesops.org.calendar import is_workday, working_days_between
from salesops.org.models import Company, User, active_holders
from salesops.org.roles import Role

from .models import ApprovalStep, Notification, StepStatus
from .services import notify

logger = logging.getLogger("salesops.workflow")

# Working days after the day a step became pending before its approver is reminded.
REMIND_AFTER_WORKING_DAYS = 2
# Local hours in which the hourly job sends reminders (08:00-17:59).
OFFICE_HOURS = range(8, 18)


def reminder_key(step: ApprovalStep, day: datetime.date) -> str:
    return f"remind-step-{step.pk}-{day.isoformat()}"


def remind_waiting_approvers(*, today: datetime.date | None = None) -> int:
    """Remind each approver of every step that has waited more than one working day (module
    docstring); return the number of reminders created by this call."""
    today = today or timezone.localdate()
    if not is_workday(today):
        return 0
    start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    steps = list(
        ApprovalStep.objects.filter(
            status=StepStatus.PENDING, pending_since__isnull=False, pending_since__lt=start_of_today
        )
        .select_related("approver__manager", "content_type")
        .prefetch_related("document")
        .order_by("pk")
    )
    waited_by_day: dict[datetime.date, int] = {}
    overdue: list[tuple[ApprovalStep, int]] = []
    for step in steps:
        day = timezone.localtime(step.pending_since).date()
        if day not in waited_by_day:
            waited_by_day[day] = working_days_between(day, today)
        if waited_by_day[day] >= REMIND_AFTER_WORKING_DAYS and step.document is not None:
            overdue.append((step, waited_by_day[day]))
    if not overdue:
        return 0
    recipients = _recipients([step for step, _ in overdue])
    already = set(
        Notification.objects.filter(dedupe_key__in=[reminder_key(step, today) for step, _ in overdue]).values_list(
            "user_id", "dedupe_key"
        )
    )
    created = 0
    for step, waited in overdue:
        key = reminder_key(step, today)
        users = [u for u in recipients[step.pk] if (u.pk, key) not in already]
        if not users:
            continue
        doc: Any = step.document
        text = _("Reminder: %(number)s has waited %(days)s working days for your approval.") % {
            "number": doc.number,
            "days": waited,
        }
        url = doc.get_absolute_url() if hasattr(doc, "get_absolute_url") else ""
        # ignore_conflicts (unique user + dedupe_key) covers a second run racing this one.
        notify(users, text, url=url, dedupe_key=key)
        created += len(users)
    created += _escalate([(step, waited) for step, waited in overdue if step.approver is not None])
    logger.info("approval reminders: %s sent for %s overdue steps", created, len(overdue))
    return created


def escalation_key(step: ApprovalStep) -> str:
    return f"escalate-step-{step.pk}"


def _escalate(overdue: list[tuple[ApprovalStep, int]]) -> int:
    """D7: a step named to a person and pending longer than the company allows
    (``Company.approval_overdue_working_days``) is reported, once, to that person's manager, or to
    leadership when they have none (the compliance engine counts it as the approver's D7 breach)."""
    allowed = Company.current().approval_overdue_working_days
    late = [(step, waited) for step, waited in overdue if waited > allowed]
    if not late:
        return 0
    already = set(
        Notification.objects.filter(dedupe_key__in=[escalation_key(step) for step, _ in late]).values_list(
            "dedupe_key", flat=True
        )
    )
    late = [(step, waited) for step, waited in late if escalation_key(step) not in already]
    leaders = list(active_holders(Role.LEADERSHIP)) if late else []
    created = 0
    for step, waited in late:
        approver: Any = step.approver  # named: the caller kept only steps with one
        above = approver.manager if approver.manager_id and approver.manager.is_active else None
        to = [above] if above is not None and above.pk != approver.pk else [u for u in leaders if u.pk != approver.pk]
        doc: Any = step.document
        text = _("%(number)s has waited %(days)s working days for %(approver)s's approval (D7).") % {
            "number": doc.number,
            "days": waited,
            "approver": approver,
        }
        url = doc.get_absolute_url() if hasattr(doc, "get_absolute_url") else ""
        # ignore_conflicts (unique user + dedupe_key) covers a second run racing this one.
        notify(to, text, url=url, dedupe_key=escalation_key(step))
        created += len(to)
    return created


def _recipients(steps: list[ApprovalStep]) -> dict[int, list[User]]:
    """Who can decide each step: its named approver, or everyone active with its role who can
    see the document and may decide it (not its owner, nor whoever wrote part of it): the same
    people ``transition`` accepts and My tasks shows the step to. Visibility is read once per
    document type and holder, and who may not decide once per type."""
    found: dict[int, list[User]] = {}
    by_role: dict[str, list[User]] = {}
    visible: dict[tuple[int, int], set[int]] = {}
    docs_by_model: dict[Any, dict[int, Any]] = defaultdict(dict)
    for step in steps:
        if step.approver is None:
            docs_by_model[type(step.document)][step.object_id] = step.document
    for doc_model, docs in docs_by_model.items():
        doc_model.load_approval_context(list(docs.values()))
    for step in steps:
        if step.approver is not None:
            if step.approver.is_active:
                found[step.pk] = [step.approver]
            else:
                found[step.pk] = []
                logger.warning("approval step %s waits for a disabled user %s", step.pk, step.approver)
            continue
        if step.role not in by_role:
            by_role[step.role] = list(active_holders(step.role).order_by("pk"))
        doc: Any = step.document
        model: Any = type(doc)
        excluded = doc.excluded_approver_ids()
        people = []
        for user in by_role[step.role]:
            if user.pk in excluded:
                continue
            cache_key = (id(model), user.pk)
            if cache_key not in visible:
                ids = docs_by_model[model]
                visible[cache_key] = set(model.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
            if step.object_id in visible[cache_key]:
                people.append(user)
        found[step.pk] = people
    return found


def _local_now() -> datetime.datetime:
    return timezone.localtime()


@db_periodic_task(crontab(minute="5"))
def remind_waiting_approvers_task() -> int:
    """Hourly; sends only in office hours (local time, whatever time zone Huey's clock uses)."""
    now = _local_now()
    if now.hour not in OFFICE_HOURS:
        return 0
    return remind_waiting_approvers(today=now.date())
