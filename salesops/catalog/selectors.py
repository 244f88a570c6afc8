"""Reads of products and warehouses: the catalogue is open to everyone signed in."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.fieldvisibility import hidden_fields
from salesops.core.listing import YES_NO, Filter, Listing
from salesops.core.selectors import get_in_scope

from .models import Product, Warehouse


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def product_list(*, user) -> QuerySet[Product]:
    """Products (产品) with model, specification and prices; none for an anonymous caller."""
    if not _signed_in(user):
        return Product.objects.none()
    return Product.objects.all()


def product_get_for(*, user, pk: Any) -> Product:
    return get_in_scope(product_list(user=user), pk, missing=_("Product not found."))


def product_search(*, user, q: str = "", active: bool | None = None) -> QuerySet[Product]:
    products = product_list(user=user)
    q = q.strip()[:100]
    if q:
        products = products.filter(
            Q(code__icontains=q) | Q(name__icontains=q) | Q(model__icontains=q) | Q(specification__icontains=q)
        )
    if active is not None:
        products = products.filter(is_active=active)
    return products.order_by("code", "pk")


def product_listing(*, user) -> Listing:
    """The product list's search, sort keys and filter; no sorting by a price ``user`` may not see
    (the order would reveal it)."""
    hidden = hidden_fields(Product, user)
    orderings = {
        "code": "code",
        "name": "name",
        "model": "model",
        "standard_price": "standard_price",
        "floor_price": "floor_price",
    }
    return Listing(
        search_fields=("code", "name", "model", "specification"),
        search_key="search_key",
        orderings={key: field for key, field in orderings.items() if field not in hidden},
        default_ordering="code",
        filters=(Filter("active", "is_active", gettext_lazy("Active"), YES_NO),),
    )


def warehouse_list(*, user) -> QuerySet[Warehouse]:
    """Warehouses (仓库): master data every signed-in user may read (delivery notes name one)."""
    if not _signed_in(user):
        return Warehouse.objects.none()
    return Warehouse.objects.select_related("branch", "keeper")


def warehouse_get_for(*, user, pk: Any) -> Warehouse:
    return get_in_scope(warehouse_list(user=user), pk, missing=_("Warehouse not found."))
