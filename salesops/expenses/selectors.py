"""Reads of expenses and dealer collection permits, always scoped by ``visible_to(user)`` (except
``permit_covering``, a fact the receivables app asks about one salesperson and dealer)."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.listing import YES_NO, Filter, Listing
from salesops.core.selectors import get_in_scope
from salesops.org.models import Branch, User
from salesops.workflow.inbox import TaskItem

from .models import (
    CollectionMethod,
    CollectionPermit,
    ExpenseCategory,
    ExpenseRequest,
    ExpenseState,
    PermitState,
    SpecialFee,
    SpecialFeeKind,
    SpecialFeeState,
)
from .permissions import OVERSEERS, PAYERS, PERMIT_OVERSEERS, RAISERS

CENT = Decimal("0.01")
ORDERINGS = {
    "number": "number",
    "created": "created_at",
    "amount": "amount",
    "state": "state",
    "owner": "owner__username",
}


def expense_list(*, user) -> QuerySet[ExpenseRequest]:
    return ExpenseRequest.objects.visible_to(user).select_related("owner", "branch", "customer")


def expense_get_for(*, user, pk: int) -> ExpenseRequest:
    return get_in_scope(expense_list(user=user), pk, missing=_("Document not found."))


def special_fee_list(*, user) -> QuerySet[SpecialFee]:
    return SpecialFee.objects.visible_to(user).select_related("owner", "branch", "customer", "paid_by")


def special_fee_get_for(*, user, pk: int) -> SpecialFee:
    return get_in_scope(special_fee_list(user=user), pk, missing=_("Document not found."))


def _scope_filters(user, model, *, with_choices: bool, overseers: tuple[str, ...] = OVERSEERS) -> tuple[Filter, ...]:
    """Owner and branch filters. The page offers them, with their choices, to those who see more than
    their own rows (one query each); the API takes them from anyone, without choices (the scope still holds)."""
    if not with_choices:
        return (
            Filter("owner", "owner_id", gettext_lazy("Owner")),
            Filter("branch", "branch_id", gettext_lazy("Branch")),
        )
    if not user.has_role(*overseers):
        return ()
    visible = model.objects.visible_to(user)
    owners = User.objects.filter(pk__in=visible.values("owner")).order_by("username")
    branches = Branch.objects.filter(pk__in=visible.values("branch")).order_by("code")
    return (
        Filter("owner", "owner_id", gettext_lazy("Owner"), [(str(u.pk), str(u)) for u in owners]),
        Filter("branch", "branch_id", gettext_lazy("Branch"), [(str(b.pk), b.name) for b in branches]),
    )


def expense_listing(*, user, with_scope_filters: bool = True) -> Listing:
    """Search, filters and sort keys of the expense list, the same for the page, the export and the API."""
    scope = _scope_filters(user, ExpenseRequest, with_choices=with_scope_filters)
    return Listing(
        search_fields=("number", "purpose", "customer__name", "owner__username", "owner__display_name"),
        orderings={**ORDERINGS, "planned": "planned_on", "category": "category"},
        default_ordering="-created",
        filters=(
            Filter("state", "state", gettext_lazy("State"), list(ExpenseState.choices)),
            Filter("category", "category", gettext_lazy("Category"), list(ExpenseCategory.choices)),
            *scope,
            Filter("breach", "incurred_before_approval", gettext_lazy("R3 breach"), YES_NO),
        ),
    )


def special_fee_listing(*, user, with_scope_filters: bool = True) -> Listing:
    scope = _scope_filters(user, SpecialFee, with_choices=with_scope_filters)
    return Listing(
        search_fields=("number", "reason", "customer__name", "owner__username", "owner__display_name"),
        orderings={**ORDERINGS, "kind": "kind", "customer": "customer__name"},
        default_ordering="-created",
        filters=(
            Filter("state", "state", gettext_lazy("State"), list(SpecialFeeState.choices)),
            Filter("kind", "kind", gettext_lazy("Fee kind"), list(SpecialFeeKind.choices)),
            *scope,
        ),
    )


def totals_of(queryset: QuerySet) -> dict[str, Any]:
    """Count and summed amount of a filtered list (one query)."""
    found = queryset.order_by().aggregate(count=Count("pk"), amount=Sum("amount"))
    # SQLite sums decimals without their scale ("1000"): money always shows two places.
    return {"count": found["count"], "amount": (found["amount"] or Decimal("0")).quantize(CENT)}


def expense_amounts_by_category(queryset: QuerySet[ExpenseRequest]) -> list[tuple[str, str, Decimal]]:
    """(category, label, amount) of a filtered list, largest first (one query)."""
    labels = dict(ExpenseCategory.choices)
    rows = queryset.order_by().values("category").annotate(total=Sum("amount")).order_by("-total", "category")
    return [
        (row["category"], str(labels.get(row["category"], row["category"])), row["total"].quantize(CENT))
        for row in rows
    ]


def expense_chart_option(queryset: QuerySet[ExpenseRequest]) -> dict[str, Any]:
    """ECharts option of amounts per category; amounts stay decimal strings (ECharts reads them as numbers)."""
    data = expense_amounts_by_category(queryset)
    return {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 70, "right": 20, "top": 30, "bottom": 40},
        "xAxis": {
            "type": "category",
            "data": [label for _key, label, _amount in data],
            "axisLabel": {"interval": 0, "rotate": 30},
        },
        "yAxis": {"type": "value", "name": "¥"},
        "series": [
            {"type": "bar", "barMaxWidth": 60, "name": _("Amount"), "data": [str(amount) for _k, _l, amount in data]}
        ],
    }


def payment_tasks(user) -> list[TaskItem]:
    """Finance's My tasks: instructed special fees waiting to be paid (R6)."""
    if not user.has_role(*PAYERS):
        return []
    fees = special_fee_list(user=user).filter(state=SpecialFeeState.APPROVED).order_by("updated_at")[:100]
    return [
        TaskItem(
            kind="payment",
            title=_("Pay special fee %(number)s: %(customer)s, ¥%(amount)s")
            % {"number": fee.number, "customer": fee.customer, "amount": fee.amount},
            url=fee.get_absolute_url(),
            since=fee.updated_at,
            number=fee.number,
        )
        for fee in fees
    ]


# --- dealer collection permits (经销商收款许可, R2) ---------------------------------------------


def permit_list(*, user) -> QuerySet[CollectionPermit]:
    return CollectionPermit.objects.visible_to(user).select_related("owner", "branch", "customer")


def permit_get_for(*, user, pk: int) -> CollectionPermit:
    return get_in_scope(permit_list(user=user), pk, missing=_("Document not found."))


def _dealer_filter(user, *, with_choices: bool) -> Filter:
    """The dealer filter; the page offers the dealers of the permits the user sees (one query)."""
    label = gettext_lazy("Dealer")
    if not with_choices:
        return Filter("customer", "customer_id", label)
    from salesops.customers.models import Customer

    dealers = Customer.objects.filter(pk__in=permit_list(user=user).values("customer")).order_by("code")
    return Filter("customer", "customer_id", label, [(str(c.pk), f"{c.code} {c.name}") for c in dealers])


# "Valid on a date": the permits whose validity includes ``?valid_on=YYYY-MM-DD`` (both lookups take
# the one parameter; a value that is no date is ignored, as any filter's).
VALID_ON_PARAM = "valid_on"


def permit_listing(*, user, with_scope_filters: bool = True) -> Listing:
    """Search, filters and sort keys of the permit list, the same for the page and the API."""
    scope = _scope_filters(user, CollectionPermit, with_choices=with_scope_filters, overseers=PERMIT_OVERSEERS)
    valid_on = gettext_lazy("Valid on")
    return Listing(
        search_fields=("number", "reason", "customer__name", "owner__username", "owner__display_name"),
        search_key="customer__search_key",
        orderings={
            **ORDERINGS,
            "amount": "limit_amount",
            "customer": "customer__name",
            "from": "valid_from",
            "until": "valid_until",
        },
        default_ordering="-created",
        filters=(
            Filter("state", "state", gettext_lazy("State"), list(PermitState.choices)),
            _dealer_filter(user, with_choices=with_scope_filters),
            Filter("method", "method", gettext_lazy("Collected as"), list(CollectionMethod.choices)),
            *scope,
            Filter(VALID_ON_PARAM, "valid_from__lte", valid_on),
            Filter(VALID_ON_PARAM, "valid_until__gte", valid_on),
        ),
    )


def permit_totals(queryset: QuerySet[CollectionPermit]) -> dict[str, Any]:
    """Count and summed amount limits of a filtered permit list (one query)."""
    found = queryset.order_by().aggregate(count=Count("pk"), amount=Sum("limit_amount"))
    return {"count": found["count"], "amount": (found["amount"] or Decimal("0")).quantize(CENT)}


def _covering(on: datetime.date) -> Q:
    """Permits that allowed a collection on ``on``: valid that day, approved by the end of it, and
    either still approved or closed no earlier than that day (closing after the money came in does
    not take the leave back)."""
    return Q(valid_from__lte=on, valid_until__gte=on, approved_at__date__lte=on) & (
        Q(state=PermitState.APPROVED) | Q(state=PermitState.CLOSED, closed_at__date__gte=on)
    )


def permit_covering(*, salesperson_id: int, customer_id: int, on: datetime.date) -> CollectionPermit | None:
    """The permit under which ``salesperson_id`` was allowed to collect ``customer_id``'s money on
    ``on`` (R2), or None: the receivables app's R2 check of a receipt a salesperson collected.

    A permit covers a day when it is the salesperson's own for that dealer, the day lies between its
    ``valid_from`` and ``valid_until``, the manager had approved it by the end of that day
    (``approved_at``: leave asked afterwards is no leave), and it was not closed before that day (a
    permit closed once the money was remitted still covers the days it was open). Draft, pending,
    rejected and cancelled permits never cover. When several cover the day, the one approved last.

    Not scoped to a reader: it answers a fact about one salesperson and dealer for a rule check;
    a page showing the permit loads it again through ``permit_get_for``. One query. What the permit
    says about remitting is ``remit_working_days`` and ``remit_due_on(collected_on)``; its
    ``limit_amount`` caps what may be collected under it.
    """
    return (
        CollectionPermit.objects.filter(owner_id=salesperson_id, customer_id=customer_id)
        .filter(_covering(on))
        .select_related("customer", "owner")
        .order_by("-approved_at", "-pk")
        .first()
    )


def permits_of(*, salesperson_ids: set[int], customer_ids: set[int]) -> list[CollectionPermit]:
    """Every approved or closed permit of these salespeople for these dealers, for a rule that checks
    many receipts at once (``CollectionPermit.covers`` tells which day each covers). One query."""
    return list(
        CollectionPermit.objects.filter(
            owner_id__in=salesperson_ids,
            customer_id__in=customer_ids,
            state__in=(PermitState.APPROVED, PermitState.CLOSED),
        ).order_by("-approved_at", "-pk")
    )


def permits_usable_by(user, customer, *, on: datetime.date | None = None) -> QuerySet[CollectionPermit]:
    """The permits ``user`` may collect ``customer``'s money under on ``on`` (today): their own,
    approved, not closed, valid that day and approved by then; newest approval first. For a receipt
    form offering the permit a salesperson collects under (R2). One query when evaluated."""
    day = on or timezone.localdate()
    return (
        CollectionPermit.objects.visible_to(user)
        .filter(owner_id=user.pk, customer_id=getattr(customer, "pk", customer), state=PermitState.APPROVED)
        .filter(valid_from__lte=day, valid_until__gte=day, approved_at__date__lte=day)
        .select_related("customer")
        .order_by("-approved_at", "-pk")
    )


# Days before its end from which an approved permit is put in its owner's My tasks to close.
PERMIT_ENDING_DAYS = 3


def permit_tasks(user) -> list[TaskItem]:
    """The owner's My tasks: approved permits ending within ``PERMIT_ENDING_DAYS`` days or already
    ended, to close once the money is remitted (R2 "及时汇回"). One query, none for other roles."""
    if not user.has_role(*RAISERS):
        return []
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=PERMIT_ENDING_DAYS)
    permits = (
        CollectionPermit.objects.filter(owner_id=user.pk, state=PermitState.APPROVED, valid_until__lte=soon)
        .select_related("customer")
        .order_by("valid_until", "pk")[:100]
    )
    items = []
    for permit in permits:
        if permit.valid_until < today:
            title = _("Close permit %(number)s (%(dealer)s): it ended on %(day)s")
        else:
            title = _("Permit %(number)s (%(dealer)s) ends on %(day)s: close it when the money is remitted")
        items.append(
            TaskItem(
                kind="permit",
                title=title
                % {"number": permit.number, "dealer": permit.customer.name, "day": permit.valid_until.isoformat()},
                url=permit.get_absolute_url(),
                since=permit.approved_at,
                number=permit.number,
            )
        )
    return items
