"""Reads of phone and fax orders (电话/传真订单, W3.6), always scoped by ``visible_to(user)``: the
salesperson sees their own, a manager their department or branch, the sales office all of them."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.listing import Filter, Listing
from salesops.core.selectors import get_in_scope

from ..choices import OrderChannel, PhoneOrderState
from ..models import PhoneOrder, PhoneOrderLine
from .contracts import month_filter, owner_filters


def phone_order_list(*, user) -> QuerySet[PhoneOrder]:
    return PhoneOrder.objects.visible_to(user).select_related("owner", "branch", "customer")


def phone_order_get_for(*, user, pk: Any) -> PhoneOrder:
    """The order with its lines and their products, or NotFound outside the user's scope."""
    lines = Prefetch("lines", queryset=PhoneOrderLine.objects.select_related("product").order_by("pk"))
    return get_in_scope(
        phone_order_list(user=user).prefetch_related(lines), pk, missing=_("Phone or fax order not found.")
    )


def phone_order_listing(*, user=None) -> Listing:
    """Search, filters and sort keys of the order list, the same for the page, the export and the API.
    With ``user`` (the page) the salesperson filter lists the owners the user sees."""
    visible = phone_order_list(user=user) if user is not None else None
    return Listing(
        search_fields=("number", "customer__name", "owner__username", "owner__display_name"),
        orderings={
            "number": "number",
            "created": "created_at",
            "received": "received_on",
            "amount": "total_amount",
            "state": "state",
            "customer": "customer__name",
        },
        default_ordering="-created",
        filters=(
            Filter("state", "state", gettext_lazy("State"), list(PhoneOrderState.choices)),
            Filter("channel", "channel", gettext_lazy("Channel"), list(OrderChannel.choices)),
            *owner_filters(user, visible),
            month_filter(PhoneOrder.NUMBER_PREFIX),
        ),
    )
