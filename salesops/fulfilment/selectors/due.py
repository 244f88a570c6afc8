"""The delivery lists the rules watch: signed contracts to ship today or already overdue (R7), and
deliveries still without the customer's signed confirmation (W4.6). Each list is one query for
its page (plus its count and the calendar), whatever the number of rows; the rules (``rules.py``)
read the same expressions, so the list and the violations agree.

A contract's ship-by date is the first working day strictly after its signing (``deadlines``); an
accepted shipment delay moves it to the delay's date when that is later. "Shipped" is any outbound
booked for it (the first shipment meets R7; a rest left open is the note's, not R7's).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, Min, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.listing import Filter, Listing
from salesops.core.policy import require
from salesops.org.calendar import CalendarData, load, working_day_deadline, working_days_between
from salesops.org.roles import Role
from salesops.workflow.inbox import TaskItem

from ..deadlines import ship_by
from ..models import DelayState, FulfilmentSettings, Outbound, OutboundState, ShipmentDelay

# The sales office, the managers (their people's contracts) and leadership see what is due.
SHIPPING_DUE_READERS = (Role.BACK_OFFICE, Role.SALES_MANAGER, Role.BRANCH_MANAGER, Role.LEADERSHIP)
# Unconfirmed deliveries: the office, the salesperson who delivered (their own), managers, leadership.
UNCONFIRMED_READERS = (*SHIPPING_DUE_READERS, Role.SALESPERSON)
# The contract states that are delivered (a voided contract ships nothing).
DELIVERABLE = ("signed", "archived")
DAY = datetime.timedelta(days=1)
# How far back a working day is looked for (the longest run of days off is well under this).
MAX_DAYS_OFF = 30


# -- what the rules and the lists share ----------------------------------------------------------


def contract_outbounds() -> QuerySet[Outbound]:
    """The outbounds of the contract in the outer query (through its requisitions' notes)."""
    return Outbound.objects.filter(note__requisition__contract=OuterRef("pk"))


def with_shipping(rows: QuerySet) -> QuerySet:
    """Contracts with the day of their first outbound (``first_shipped_on``) and the latest date an
    accepted delay allows (``accepted_until``), as columns of the one query."""
    accepted = ShipmentDelay.objects.filter(contract=OuterRef("pk"), state=DelayState.ACCEPTED).order_by("-ship_on")
    return rows.annotate(
        first_shipped_on=Subquery(contract_outbounds().order_by("shipped_on").values("shipped_on")[:1]),
        accepted_until=Subquery(accepted.values("ship_on")[:1]),
    )


def due_on(signed_on: datetime.date, accepted_until: datetime.date | None, data: CalendarData) -> tuple[Any, bool]:
    """The day a contract must have shipped by and whether it was counted on a provisional calendar:
    its ship-by date, or an accepted delay's later date."""
    deadline = ship_by(signed_on, data=data)
    if accepted_until is not None and accepted_until > deadline.day:
        return accepted_until, False
    return deadline.day, deadline.provisional


def last_working_day(day: datetime.date, data: CalendarData, *, inclusive: bool) -> datetime.date:
    """The last working day before ``day`` (or on it, ``inclusive``)."""
    found = day if inclusive else day - DAY
    for _i in range(MAX_DAYS_OFF):
        if data.is_workday(found):
            return found
        found -= DAY
    return found


def _due_conditions(today: datetime.date, data: CalendarData) -> tuple[Q, Q]:
    """(due by today, overdue) as conditions on a contract's signing date and accepted delay.

    A ship-by date is on or before today exactly when the contract was signed before the last
    working day on or before today, and before today exactly when it was signed before the last
    working day before today; the due day is the later of it and the accepted delay's date."""
    by_today = Q(signed_on__lt=last_working_day(today, data, inclusive=True))
    before_today = Q(signed_on__lt=last_working_day(today, data, inclusive=False))
    no_delay = Q(accepted_until__isnull=True)
    due = by_today & (no_delay | Q(accepted_until__lte=today))
    overdue = before_today & (no_delay | Q(accepted_until__lt=today))
    return due, overdue


# -- R7: signed contracts to ship -----------------------------------------------------------------


def shipping_due(*, user, today: datetime.date | None = None, data: CalendarData | None = None) -> QuerySet:
    """The signed contracts the user sees (``visible_to``) with nothing shipped whose due day is
    today or past: ``is_overdue`` tells which; the latest shipment delay's number, state and date
    come along for the page."""
    from salesops.deals.selectors.contracts import contract_list

    require(user, *SHIPPING_DUE_READERS)
    today = today or timezone.localdate()
    data = data or load()
    due, overdue = _due_conditions(today, data)
    latest = ShipmentDelay.objects.filter(contract=OuterRef("pk")).order_by("-created_at", "-pk")
    rows = with_shipping(contract_list(user=user).filter(state__in=DELIVERABLE).filter(~Exists(contract_outbounds())))
    return (
        rows.annotate(
            delay_id=Subquery(latest.values("pk")[:1]),
            delay_number=Subquery(latest.values("number")[:1]),
            delay_state=Subquery(latest.values("state")[:1]),
            delay_ship_on=Subquery(latest.values("ship_on")[:1]),
        )
        .filter(due)
        .annotate(is_overdue=ExpressionWrapper(overdue, output_field=BooleanField()))
    )


def shipping_due_listing(*, user=None) -> Listing:
    return Listing(
        search_fields=("number", "customer__name", "owner__username", "owner__display_name"),
        search_key="customer__search_key",
        orderings={"signed": "signed_on", "number": "number", "customer": "customer__name"},
        default_ordering="signed",
        filters=(
            Filter(
                "when",
                "is_overdue",
                gettext_lazy("When due"),
                [("0", gettext_lazy("Due today")), ("1", gettext_lazy("Overdue"))],
            ),
        ),
    )


@dataclass(frozen=True)
class DueRow:
    """One contract of the list as the page shows it."""

    contract: Any
    ship_by: datetime.date
    provisional: bool  # the ship-by date was counted on a provisional calendar (预计)
    due_on: datetime.date  # the ship-by date, or an accepted delay's later date
    delay_state_label: str


def shipping_due_rows(rows, *, data: CalendarData) -> list[DueRow]:
    """The page's contracts with their ship-by and due dates (no query: the calendar is read)."""
    labels = dict(DelayState.choices)
    found = []
    for contract in rows:
        deadline = ship_by(contract.signed_on, data=data)
        day, _provisional = due_on(contract.signed_on, contract.accepted_until, data)
        label = str(labels.get(contract.delay_state, "")) if contract.delay_state else ""
        found.append(DueRow(contract, deadline.day, deadline.provisional, day, label))
    return found


def shipping_tasks(user) -> list[TaskItem]:
    """The sales office's My tasks: one item, "N contracts to ship today, M overdue", linking to the
    list, waiting since the earliest ship-by date among them (an aggregate query and the calendar)."""
    if not user.has_role(Role.BACK_OFFICE):
        return []
    data = load()
    counts = (
        shipping_due(user=user, data=data)
        .order_by()
        .aggregate(
            today=Count("pk", filter=Q(is_overdue=False)),
            overdue=Count("pk", filter=Q(is_overdue=True)),
            first_signed=Min("signed_on"),
        )
    )
    if not counts["today"] and not counts["overdue"]:
        return []
    first_due = ship_by(counts["first_signed"], data=data).day
    return [
        TaskItem(
            kind="ship",
            title=_("%(today)s contracts to ship today, %(overdue)s overdue (R7)")
            % {"today": counts["today"], "overdue": counts["overdue"]},
            url=reverse("fulfilment:shipping-due"),
            since=timezone.make_aware(datetime.datetime.combine(first_due, datetime.time.min)),
        )
    ]


# -- W4.6: deliveries awaiting the customer's confirmation -----------------------------------------


def confirmation_cutoff(today: datetime.date, days: int, data: CalendarData) -> datetime.date:
    """The last shipping day whose confirmation is overdue today: more than ``days`` working days
    have passed since it (the deadline of every earlier day is earlier still)."""
    day = today - DAY
    for _i in range(MAX_DAYS_OFF + days * 3):
        if working_day_deadline(day, days, data=data).day < today:
            return day
        day -= DAY
    return day


def confirmation_working_days() -> int:
    """The working days a customer's confirmation is expected within (the settings row, read only)."""
    days = FulfilmentSettings.objects.order_by("pk").values_list("confirmation_working_days", flat=True).first()
    return 5 if days is None else days


def unconfirmed_outbounds(*, user, today: datetime.date | None = None, data: CalendarData | None = None) -> QuerySet:
    """Outbounds the user sees, shipped, with no signed confirmation after the configured working
    days (``FulfilmentSettings.confirmation_working_days``)."""
    from .documents import outbound_list

    require(user, *UNCONFIRMED_READERS)
    today = today or timezone.localdate()
    cutoff = confirmation_cutoff(today, confirmation_working_days(), data or load())
    return outbound_list(user=user).filter(state=OutboundState.SHIPPED, shipped_on__lte=cutoff)


def unconfirmed_listing(*, user=None) -> Listing:
    return Listing(
        search_fields=("number", "customer__name", "note__number", "owner__username", "owner__display_name"),
        search_key="customer__search_key",
        orderings={"shipped": "shipped_on", "number": "number", "customer": "customer__name"},
        default_ordering="shipped",
    )


def waited_working_days(rows, *, today: datetime.date, data: CalendarData) -> list[tuple[Any, int]]:
    """The page's outbounds with the working days since each shipped (no query)."""
    return [(row, working_days_between(row.shipped_on, today, data=data)) for row in rows]
