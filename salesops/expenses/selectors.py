"""Reads of expenses, always scoped by ``visible_to(user)``."""

from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.listing import YES_NO, Filter, Listing
from salesops.core.selectors import get_in_scope
from salesops.org.models import Branch, User
from salesops.workflow.inbox import TaskItem

from .models import ExpenseCategory, ExpenseRequest, ExpenseState, SpecialFee, SpecialFeeKind, SpecialFeeState
from .permissions import OVERSEERS, PAYERS

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


def _scope_filters(user, model, *, with_choices: bool) -> tuple[Filter, ...]:
    """Owner and branch filters. The page offers them, with their choices, to those who see more than
    their own rows (one query each); the API takes them from anyone, without choices (the scope still holds)."""
    if not with_choices:
        return (
            Filter("owner", "owner_id", gettext_lazy("Owner")),
            Filter("branch", "branch_id", gettext_lazy("Branch")),
        )
    if not user.has_role(*OVERSEERS):
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
