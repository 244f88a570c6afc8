"""Warehouse pages (仓库): a list everyone signed in reads, a detail page, and the admin's create and
edit forms; thin over ``warehouse_list`` / ``warehouse_get_for`` and ``warehouse_create`` /
``warehouse_update``.

A warehouse row links to its stock by URL name only (``fulfilment:stock-list?warehouse=<pk>``):
catalog sits below fulfilment and imports nothing from it.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from salesops.core.errors import InvalidInput
from salesops.core.listing import YES_NO, Filter, Listing
from salesops.core.policy import AUTHENTICATED, policy
from salesops.core.views_generic import FormPage, ListPage, get_or_404
from salesops.org.models import Branch

from . import selectors, services
from .forms import WarehouseForm
from .permissions import WAREHOUSE_WRITERS


def _can_write(user) -> bool:
    return user.has_role(*WAREHOUSE_WRITERS)


def warehouse_listing() -> Listing:
    """Search by code, name or address; filter by branch (one query for its choices) and active."""
    branches = [(str(pk), name) for pk, name in Branch.objects.order_by("code").values_list("pk", "name")]
    return Listing(
        search_fields=("code", "name", "address"),
        orderings={"code": "code", "name": "name", "branch": "branch__code"},
        default_ordering="code",
        filters=(
            Filter("branch", "branch_id", gettext_lazy("Branch"), branches),
            Filter("active", "is_active", gettext_lazy("Active"), YES_NO),
        ),
    )


@policy(AUTHENTICATED)
class WarehouseListView(ListPage):
    template_name = "catalog/warehouse_list.html"
    partial_name = "catalog/partials/warehouse_results.html"

    def rows(self):
        return selectors.warehouse_list(user=self.request.user)

    def listing(self):
        return warehouse_listing()

    def extra_context(self, result: dict[str, Any]) -> dict[str, Any]:
        return {"can_write": _can_write(self.request.user)}


@policy(AUTHENTICATED)
class WarehouseDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        warehouse = get_or_404(selectors.warehouse_get_for, user=request.user, pk=pk)
        context = {"warehouse": warehouse, "can_write": _can_write(request.user)}
        return render(request, "catalog/warehouse_detail.html", context)


@policy(*WAREHOUSE_WRITERS)
class WarehouseFormView(FormPage):
    """Create (no ``pk``) or edit a warehouse; service errors land on the fields (422). The
    warehouse carries no version, so an edit is last-write-wins (``warehouse_update``)."""

    form_errors = (InvalidInput,)
    warehouse: Any = None

    def load(self, request: HttpRequest, pk: int | None = None, **kwargs: Any) -> None:
        self.warehouse = get_or_404(selectors.warehouse_get_for, user=request.user, pk=pk) if pk else None
        self.title = _("Edit warehouse") if self.warehouse else _("New warehouse")

    def make_form(self, data=None, files=None):
        return WarehouseForm(data, instance=self.warehouse)

    def perform(self, form):
        if self.warehouse is None:
            return services.warehouse_create(actor=self.request.user, **form.service_fields())
        return services.warehouse_update(warehouse=self.warehouse, actor=self.request.user, **form.service_fields())

    def success_url(self, result) -> str:
        return reverse("catalog:warehouse-detail", args=[result.pk])

    def cancel_url(self) -> str:
        if self.warehouse is not None:
            return reverse("catalog:warehouse-detail", args=[self.warehouse.pk])
        return reverse("catalog:warehouse-list")
