"""The daily collection check (R11): the sales office and finance confirm a working day's receipts;
differences are recorded and resolved; the day closes when both confirmed and none is open. A closed
day takes no new or voided receipt until finance reopens it with a reason (audited)."""

import datetime

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput, NotFound, TransitionNotAllowed
from salesops.core.policy import require
from salesops.org.models import User
from salesops.org.roles import Role
from salesops.workflow.services import record_event, transition

from ..models import CheckDifference, DailyCheck, DailyCheckState, Receipt, ReceiptState
from ..permissions import CHECKERS, FINANCE
from ..workflows import DAILY_CHECK_FLOW
from .receipts import money


def _day(actor: User, day: datetime.date) -> DailyCheck:
    """The day's check (made on first use), as the actor may see it."""
    if not isinstance(day, datetime.date) or day > timezone.localdate():
        raise InvalidInput(_("Please correct the errors below."), fields={"day": [_("A day up to today.")]})
    check, _created = DailyCheck.objects.get_or_create(day=day)
    if not DailyCheck.objects.visible_to(actor).filter(pk=check.pk).exists():
        raise NotFound(_("Daily collection check not found."))
    return check


def day_receipts(day: datetime.date) -> tuple[int, object]:
    found = Receipt.objects.filter(received_on=day, state=ReceiptState.RECORDED).aggregate(
        n=Count("pk"), s=Sum("amount")
    )
    return found["n"] or 0, found["s"] or 0


@transaction.atomic
def daily_check_confirm(*, actor: User, day: datetime.date, comment: str = "") -> DailyCheck:
    """The sales office's or finance's confirmation of the day's receipts; the day closes when both
    have confirmed and no difference is open."""
    require(actor, *CHECKERS)
    check = _day(actor, day)
    now = timezone.now()
    side = "finance" if actor.has_role(Role.FINANCE) and check.finance_confirmed_at is None else "office"
    if side == "office" and not actor.has_role(Role.BACK_OFFICE):
        side = "finance"  # finance confirming again (after a receipt of the day changed)
    other = check.office_confirmed_by_id if side == "finance" else check.finance_confirmed_by_id
    if other == actor.pk:
        raise TransitionNotAllowed(
            _("The sales office and finance are two people: someone else confirms the other side.")
        )
    values = {f"{side}_confirmed_by": actor, f"{side}_confirmed_at": now}
    check = transition(DAILY_CHECK_FLOW, check, "confirm", actor=actor, comment=comment, values=values)
    if check.office_confirmed_at and check.finance_confirmed_at and not DAILY_CHECK_FLOW.get("close").guard(check):
        count, total = day_receipts(check.day)
        check = transition(
            DAILY_CHECK_FLOW,
            check,
            "close",
            actor=actor,
            values={
                "closed_at": now,
                "first_closed_at": check.first_closed_at or now,
                "receipt_count": count,
                "receipt_total": total,
            },
        )
    return check


@transaction.atomic
def daily_check_reopen(*, actor: User, day: datetime.date, reason: str) -> DailyCheck:
    """Reopen a closed day (finance, with the reason): both confirm it again afterwards."""
    require(actor, *FINANCE)
    check = _day(actor, day)
    return transition(
        DAILY_CHECK_FLOW,
        check,
        "reopen",
        actor=actor,
        comment=reason,
        comment_field="reason",
        values={
            "office_confirmed_by": None,
            "office_confirmed_at": None,
            "finance_confirmed_by": None,
            "finance_confirmed_at": None,
            "closed_at": None,
        },
    )


@transaction.atomic
def difference_add(
    *, actor: User, day: datetime.date, text: str, amount=None, receipt_id: int | None = None
) -> CheckDifference:
    require(actor, *CHECKERS)
    check = _day(actor, day)
    if check.state != DailyCheckState.OPEN:
        raise TransitionNotAllowed(_("The day is closed: finance reopens it first."))
    if not (text or "").strip():
        raise InvalidInput(_("Please correct the errors below."), fields={"text": [_("Say what differs.")]})
    value = money(amount, "amount") if amount not in (None, "") else None
    if receipt_id is not None and not Receipt.objects.filter(pk=receipt_id, received_on=check.day).exists():
        raise InvalidInput(_("Please correct the errors below."), fields={"receipt_id": [_("A receipt of that day.")]})
    difference = CheckDifference.objects.create(
        check_day=check, text=text.strip()[:300], amount=value, receipt_id=receipt_id, raised_by=actor
    )
    record_event(
        check, "difference", actor=actor, from_state=check.state, to_state=check.state, comment=difference.text
    )
    return difference


@transaction.atomic
def difference_resolve(*, actor: User, difference_id: int, resolution: str) -> CheckDifference:
    require(actor, *CHECKERS)
    if not (resolution or "").strip():
        raise InvalidInput(
            _("Please correct the errors below."), fields={"resolution": [_("Say how it was resolved.")]}
        )
    difference = CheckDifference.objects.select_related("check_day").filter(pk=difference_id).first()
    if difference is None:
        raise NotFound(_("Difference not found."))
    stamped = CheckDifference.objects.filter(pk=difference.pk, resolved_at__isnull=True).update(
        resolution=resolution.strip()[:300], resolved_by=actor, resolved_at=timezone.now()
    )
    if stamped != 1:
        raise TransitionNotAllowed(_("This difference is resolved already."))
    check = difference.check_day
    record_event(
        check, "resolve", actor=actor, from_state=check.state, to_state=check.state, comment=resolution.strip()
    )
    difference.refresh_from_db()
    return difference
