"""Reads of sales contracts (销售合同, W3.3-5), always scoped by ``visible_to(user)``: a salesperson
sees their own, a manager their department or branch, the sales office every contract (it archives
them), leadership and admin everything."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from salesops.core.selectors import get_in_scope
from salesops.org.roles import Role
from salesops.workflow.inbox import TaskItem

from ..choices import ContractState
from ..models import Contract, ContractLine

# My tasks lists at most this many contracts waiting to be archived.
TASK_LIMIT = 100


def url_of(obj: Any) -> str:
    """The object's page, or "" while its route does not exist."""
    try:
        return obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return ""


def contract_list(*, user) -> QuerySet[Contract]:
    return Contract.objects.visible_to(user).select_related("owner", "branch", "customer", "quotation")


def contract_get_for(*, user, pk: Any) -> Contract:
    """The contract with its lines and their products, or NotFound outside the user's scope."""
    lines = Prefetch("lines", queryset=ContractLine.objects.select_related("product").order_by("pk"))
    found = contract_list(user=user).select_related("archived_by").prefetch_related(lines)
    return get_in_scope(found, pk, missing=_("Contract not found."))


def contracts_to_archive(*, user) -> QuerySet[Contract]:
    """Signed contracts waiting for the sales office to archive them (W3.5), oldest signing first."""
    return contract_list(user=user).filter(state=ContractState.SIGNED).order_by("signed_on", "updated_at", "pk")


def archive_tasks(user) -> list[TaskItem]:
    """The sales office's My tasks: signed contracts to archive, oldest first (one query)."""
    if Role.BACK_OFFICE not in user.roles:
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
