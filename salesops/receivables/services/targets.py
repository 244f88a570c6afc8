"""Collection targets (D2) and the receivables settings.

A sales manager sets the collection rate each of their team's salespeople, or their own branch, is
to reach in a month, quarter or year; the admin sets any. Setting a target again for the same
subject and period changes it. The admin says when bills count as collected. Every change leaves
an audit event.
"""

import datetime
import logging
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput
from salesops.core.policy import require
from salesops.org.models import Branch, User
from salesops.org.roles import Role
from salesops.org.scoping import people_q
from salesops.workflow.services import record_event

from ..models import BillCounting, CollectionTarget, PeriodKind, ReceivablesSettings

logger = logging.getLogger(__name__)

TARGET_SETTERS = (Role.SALES_MANAGER, Role.ADMIN)
# Whom a collection target is set for: those who own customers.
TARGET_HOLDERS = (Role.SALESPERSON, Role.SALES_MANAGER)
PERCENT_PLACES = Decimal("0.01")


def period_start_of(kind: str, day: datetime.date) -> datetime.date:
    """The first day of the month, quarter or year ``day`` falls in."""
    if kind == PeriodKind.YEAR:
        return datetime.date(day.year, 1, 1)
    if kind == PeriodKind.QUARTER:
        return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return datetime.date(day.year, day.month, 1)


def _percent(value: Any) -> Decimal:
    try:
        percent = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        percent = None
    if (
        percent is None
        or not percent.is_finite()
        or not 0 <= percent <= 100
        or percent != percent.quantize(PERCENT_PLACES)
    ):
        raise InvalidInput(
            _("Please correct the errors below."),
            fields={"target_percent": [_("A percentage from 0 to 100, to two decimals.")]},
        )
    return percent


def _subject(actor: User, salesperson_id: int | None, branch_id: int | None) -> dict[str, Any]:
    """The salesperson or branch the target is for, within what ``actor`` may set."""
    is_admin = actor.has_role(Role.ADMIN)
    if salesperson_id is not None and branch_id is None:
        people = User.objects.filter(is_active=True, role_links__role__in=TARGET_HOLDERS)
        if not is_admin:
            people = people.filter(people_q(actor))
        person = people.filter(pk=salesperson_id).first()
        if person is None:
            raise InvalidInput(
                _("Please correct the errors below."),
                fields={"salesperson_id": [_("A salesperson of your team.")]},
            )
        return {"salesperson": person}
    if branch_id is not None and salesperson_id is None:
        branches = Branch.objects.all() if is_admin else Branch.objects.filter(pk__in=[actor.branch_id])
        branch = branches.filter(pk=branch_id).first()
        if branch is None:
            raise InvalidInput(_("Please correct the errors below."), fields={"branch_id": [_("Your own branch.")]})
        return {"branch": branch}
    raise InvalidInput(
        _("Please correct the errors below."),
        fields={"salesperson_id": [_("Name one salesperson or one branch.")]},
    )


@transaction.atomic
def collection_target_set(
    *,
    actor: User,
    period_kind: str,
    period_on: datetime.date,
    target_percent: Any,
    salesperson_id: int | None = None,
    branch_id: int | None = None,
) -> CollectionTarget:
    """Set the collection rate (in percent) a salesperson or branch is to reach in the month, quarter
    or year ``period_on`` falls in; a target already set for it is changed."""
    require(actor, *TARGET_SETTERS)
    errors: dict[str, list[str]] = {}
    if period_kind not in PeriodKind.values:
        errors["period_kind"] = [_("Choose a month, a quarter or a year.")]
    if not isinstance(period_on, datetime.date):
        errors["period_on"] = [_("Enter a day of the period.")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    percent = _percent(target_percent)
    subject = _subject(actor, salesperson_id, branch_id)
    rate = (percent / 100).quantize(Decimal("0.0001"))
    target, created = CollectionTarget.objects.select_for_update().get_or_create(
        **subject,
        period_kind=period_kind,
        period_start=period_start_of(period_kind, period_on),
        defaults={"target_rate": rate, "set_by": actor},
    )
    if created:
        record_event(target, "create", actor=actor, changes={"target_rate": (None, rate)})
        return target
    if target.target_rate != rate:
        previous = target.target_rate
        target.target_rate, target.set_by, target.set_at = rate, actor, timezone.now()
        target.save(update_fields=["target_rate", "set_by", "set_at"])
        record_event(target, "edit", actor=actor, changes={"target_rate": (previous, rate)})
    return target


@transaction.atomic
def receivables_settings_update(*, actor: User, bills_count: str) -> ReceivablesSettings:
    """The admin says when bills count as collected (the collection rate, D2)."""
    require(actor, Role.ADMIN)
    if bills_count not in BillCounting.values:
        raise InvalidInput(_("Please correct the errors below."), fields={"bills_count": [_("Choose one.")]})
    current = ReceivablesSettings.objects.select_for_update().get(pk=ReceivablesSettings.current().pk)
    if current.bills_count != bills_count:
        previous = current.bills_count
        current.bills_count = bills_count
        current.save(update_fields=["bills_count"])
        record_event(current, "edit", actor=actor, changes={"bills_count": (previous, bills_count)})
        logger.warning("receivables settings changed by %s: bills_count=%s", actor.username, bills_count)
    return current
