"""Reads of sales contracts (销售合同, W3.3-5), always scoped by ``visible_to(user)``: a salesperson
sees their own, a manager their department or branch, the sales office every contract (it archives
them), leadership and admin everything."""

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.listing import Filter, Listing
from salesops.core.selectors import get_in_scope
from salesops.org.models import User
from salesops.workflow.inbox import TaskItem

from ..choices import ContractState
from ..models import Contract, ContractLine
from ..permissions import ARCHIVERS, OVERSEERS

# My tasks lists at most this many contracts waiting to be archived.
TASK_LIMIT = 100
# The month filter offers the current month and this many before it.
MONTHS_BACK = 23


def url_of(obj: Any) -> str:
    """The object's page, or "" while its route does not exist."""
    try:
        return obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return ""


def contract_list(*, user) -> QuerySet[Contract]:
    return Contract.objects.visible_to(user).select_related("owner", "branch", "customer", "quotation")


def month_filter(prefix: str, *, today: datetime.date | None = None) -> Filter:
    """The month a document's number was drawn in (``<PREFIX><YYYYMM><NNNN>``: its register month),
    the current month and the 23 before it; no query. The value is the number's prefix (``HT202605``)."""
    day = (today or timezone.localdate()).replace(day=1)
    choices = []
    for _i in range(MONTHS_BACK + 1):
        choices.append((f"{prefix}{day:%Y%m}", f"{day:%Y-%m}"))
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return Filter("month", "number__startswith", gettext_lazy("Month"), choices)


def owner_filters(user, visible: QuerySet | None) -> tuple[Filter, ...]:
    """The salesperson filter. The page offers it, with the owners of the rows the user sees as its
    choices (one query), to those who see more than their own rows; ``visible=None`` (the API) takes
    any owner id without choices (the scope still holds)."""
    if visible is None:
        return (Filter("owner", "owner_id", gettext_lazy("Salesperson")),)
    if user is None or not user.has_role(*OVERSEERS):
        return ()
    owners = User.objects.filter(pk__in=visible.values("owner")).order_by("username")
    return (Filter("owner", "owner_id", gettext_lazy("Salesperson"), [(str(u.pk), str(u)) for u in owners]),)


def contract_listing(*, user=None) -> Listing:
    """Search, filters and sort keys of the contract list, the same for the page, the export and the
    API. With ``user`` (the page) the salesperson filter lists the owners the user sees."""
    visible = contract_list(user=user) if user is not None else None
    return Listing(
        search_fields=("number", "customer__name", "quotation__number", "owner__username", "owner__display_name"),
        orderings={
            "number": "number",
            "created": "created_at",
            "signed": "signed_on",
            "amount": "total_amount",
            "state": "state",
            "customer": "customer__name",
        },
        default_ordering="-created",
        filters=(
            Filter("state", "state", gettext_lazy("State"), list(ContractState.choices)),
            *owner_filters(user, visible),
            month_filter(Contract.NUMBER_PREFIX),
        ),
    )


def _lines_with_products() -> Prefetch:
    return Prefetch("lines", queryset=ContractLine.objects.select_related("product").order_by("pk"))


def contract_get_for(*, user, pk: Any) -> Contract:
    """The contract with its lines and their products, or NotFound outside the user's scope."""
    found = contract_list(user=user).select_related("archived_by").prefetch_related(_lines_with_products())
    return get_in_scope(found, pk, missing=_("Contract not found."))


def contract_to_deliver(*, user, pk: Any) -> Contract:
    """The contract with its customer and its lines with their products (what a requisition or an
    invoice request is made from), or NotFound outside the user's scope: no more than that read."""
    found = Contract.objects.visible_to(user).select_related("customer").prefetch_related(_lines_with_products())
    return get_in_scope(found, pk, missing=_("Contract not found."))


def contracts_to_archive(*, user) -> QuerySet[Contract]:
    """Signed contracts waiting for the sales office to archive them (W3.5), oldest signing first."""
    return contract_list(user=user).filter(state=ContractState.SIGNED).order_by("signed_on", "updated_at", "pk")


def archive_tasks(user) -> list[TaskItem]:
    """The sales office's My tasks: signed contracts to archive, oldest first (one query)."""
    if not user.has_role(*ARCHIVERS):
        return []
    return [
        TaskItem(
            kind="archive",
            title=_("Archive contract %(number)s: %(customer)s, signed on %(date)s")
            % {
                "number": contract.number,
                "customer": contract.customer.name,
                "date": date_format(contract.signed_on, "SHORT_DATE_FORMAT"),
            },
            url=url_of(contract),
            since=contract.updated_at,
            number=contract.number,
        )
        for contract in contracts_to_archive(user=user)[:TASK_LIMIT]
    ]
