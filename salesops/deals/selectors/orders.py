"""Reads of phone and fax orders (电话/传真订单, W3.6), always scoped by ``visible_to(user)``: the
salesperson sees their own, a manager their department or branch, the sales office all of them."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from salesops.core.selectors import get_in_scope

from ..models import PhoneOrder, PhoneOrderLine


def phone_order_list(*, user) -> QuerySet[PhoneOrder]:
    return PhoneOrder.objects.visible_to(user).select_related("owner", "branch", "customer")


def phone_order_get_for(*, user, pk: Any) -> PhoneOrder:
    """The order with its lines and their products, or NotFound outside the user's scope."""
    lines = Prefetch("lines", queryset=PhoneOrderLine.objects.select_related("product").order_by("pk"))
    return get_in_scope(
        phone_order_list(user=user).prefetch_related(lines), pk, missing=_("Phone or fax order not found.")
    )
