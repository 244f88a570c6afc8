"""Reads of the instruments register, each scoped by ``visible_to(user)``: the salesperson sees what
they received, a manager their department's or branch's, finance and the sales office all of it,
the warehouse none.

The list searches package numbers, paper numbers, drawers, acceptors and customers, and filters by
kind, medium, state and "due within N days" (held or not: the state filter narrows it).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy

from salesops.core.listing import Filter, Listing
from salesops.org.calendar import CalendarData, load, working_day_deadline
from salesops.org.roles import Role
from salesops.workflow.inbox import TaskItem, document_task
from salesops.workflow.reads import BASE_SEARCH, DocumentReads

from ..models.instruments import Instrument, InstrumentKind, InstrumentMedium, InstrumentSettings, InstrumentState

DUE_WITHIN = [
    ("7", gettext_lazy("within 7 days")),
    ("15", gettext_lazy("within 15 days")),
    ("30", gettext_lazy("within 30 days")),
    ("60", gettext_lazy("within 60 days")),
]
TASK_LIMIT = 50
FEN = Decimal("0.01")

INSTRUMENTS = DocumentReads(
    Instrument,
    gettext_lazy("Instrument not found."),
    related=("owner", "branch", "customer", "received_by", "signed_by", "parent", "receipt"),
    lines="",
    search_fields=(*BASE_SEARCH, "package_number", "instrument_number", "issuer", "acceptor"),
    states=list(InstrumentState.choices),
)


@dataclass(frozen=True)
class InstrumentListing(Listing):
    """The register's ``Listing``, with "due within N days" (``due=N``, counted from today)."""

    def _narrowed(self, queryset: QuerySet, params: Any) -> tuple[QuerySet, str, str, dict[str, str]]:
        days = (params.get("due") or "").strip()
        rest = {key: params.get(key) for key in params if key != "due"}
        if days in {value for value, _label in DUE_WITHIN}:
            cutoff = timezone.localdate() + datetime.timedelta(days=int(days))
            queryset = queryset.filter(due_on__lte=cutoff)
        queryset, query, sort, active = super()._narrowed(queryset, rest)
        if days in {value for value, _label in DUE_WITHIN}:
            active = {**active, "due": days}
        return queryset, query, sort, active


def instrument_list(*, user) -> QuerySet:
    return INSTRUMENTS.list(user=user)


def instrument_get_for(*, user, pk: Any) -> Instrument:
    return INSTRUMENTS.get_for(user=user, pk=pk)


def instrument_listing(*, user=None) -> Listing:
    return InstrumentListing(
        search_fields=INSTRUMENTS.search_fields,
        orderings={
            "number": "number",
            "received": "received_at",
            "due": "due_on",
            "amount": "amount",
            "state": "state",
            "customer": "customer__name",
            "created": "created_at",
        },
        default_ordering="-received",
        filters=(
            Filter("state", "state", gettext_lazy("State"), list(InstrumentState.choices)),
            Filter("kind", "kind", gettext_lazy("Instrument kind"), list(InstrumentKind.choices)),
            Filter("medium", "medium", gettext_lazy("Medium"), list(InstrumentMedium.choices)),
            Filter("due", "due_on", gettext_lazy("Due"), DUE_WITHIN),
        ),
    )


def totals_of(rows: QuerySet) -> dict[str, Any]:
    """The count and amount of every matching row, all pages (one query)."""
    found = rows.order_by().aggregate(amount=Sum("amount"), count=Count("pk"))
    # SQLite sums decimals as floating point: back to the fen.
    amount = Decimal(str(found["amount"] or 0)).quantize(FEN)
    return {"count": found["count"], "amount": amount}


def instrument_family(*, user, instrument: Instrument) -> list[tuple[Instrument, int]]:
    """The bill the instrument belongs to, as a tree in visiting order: ``(instrument, depth)`` from
    the one received down to every part split off it (one query: the parts share the package
    number). Parts outside the user's scope are left out (a salesperson sees all of their own)."""
    if not instrument.package_number:
        return [(instrument, 0)]
    rows = list(
        Instrument.objects.visible_to(user)
        .filter(package_number=instrument.package_number)
        .only("pk", "number", "state", "range_start", "range_end", "amount", "parent_id", "package_number")
        .order_by("range_start", "pk")
    )
    by_parent: dict[int | None, list[Instrument]] = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)
    known = {row.pk for row in rows}
    root = instrument
    while root.parent_id is not None and root.parent_id in known:
        root = next(row for row in rows if row.pk == root.parent_id)
    found: list[tuple[Instrument, int]] = []

    def visit(node: Instrument, depth: int) -> None:
        found.append((node, depth))
        for child in by_parent.get(node.pk, []):
            visit(child, depth + 1)

    visit(next((row for row in rows if row.pk == root.pk), root), 0)
    return found


# -- My tasks ----------------------------------------------------------------------------------


def maturity_cutoff(today: datetime.date, data: CalendarData | None = None) -> datetime.date:
    """The last due date finance is reminded of today: the configured working days ahead."""
    return working_day_deadline(today, InstrumentSettings.reminder_days(), data=data or load()).day


def instrument_tasks(user) -> list[TaskItem]:
    """Finance's My tasks: instruments waiting for a signature (R12: today), and signed bills
    falling due within the configured working days (or already due), earliest first. Four queries
    (settings, the calendar's two, the instruments), whatever the data; none for anyone else."""
    if not user.has_role(Role.FINANCE):
        return []
    today = timezone.localdate()
    rows = Instrument.objects.visible_to(user).select_related("customer")
    to_sign = rows.filter(state=InstrumentState.PENDING_SIGN).order_by("received_at", "pk")[:TASK_LIMIT]
    items = [document_task("sign_instrument", doc, since=doc.received_at, detail=doc.task_summary()) for doc in to_sign]
    cutoff = maturity_cutoff(today)
    due = rows.filter(state=InstrumentState.SIGNED, due_on__isnull=False, due_on__lte=cutoff)
    for doc in due.order_by("due_on", "pk")[:TASK_LIMIT]:
        items.append(document_task("maturity", doc, since=doc.signed_at, detail=doc.task_summary()))
    return items
