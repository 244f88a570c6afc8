"""Pages of phone and fax orders (W3.6)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from salesops.core.policy import policy
from salesops.core.views_generic import ListPage, get_or_404
from salesops.workflow.selectors import document_panel

from .. import forms
from ..choices import PhoneOrderState
from ..permissions import CONTRACT_READERS, RAISERS
from ..selectors import orders as order_selectors
from ..services import orders as order_services
from .common import LinesFormPage, editable


@policy(*CONTRACT_READERS)
class PhoneOrderListView(ListPage):
    template_name = "deals/phoneorder_list.html"
    partial_name = "deals/partials/phoneorder_results.html"

    def rows(self):
        return order_selectors.phone_order_list(user=self.request.user)

    def listing(self):
        return order_selectors.phone_order_listing(user=self.request.user)

    def extra_context(self, result: dict[str, Any]) -> dict[str, Any]:
        return {"can_create": self.request.user.has_role(*RAISERS)}


@policy(*CONTRACT_READERS)
class PhoneOrderDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = get_or_404(order_selectors.phone_order_get_for, user=request.user, pk=pk)
        context = {
            **document_panel(order, user=request.user),
            "order": order,
            "can_edit": editable(order, request.user, (PhoneOrderState.DRAFT, PhoneOrderState.REJECTED)),
        }
        return render(request, "deals/phoneorder_detail.html", context)


@policy(*RAISERS)
class PhoneOrderFormView(LinesFormPage):
    template_name = "deals/phoneorder_form.html"
    document: Any = None

    def load(self, request: HttpRequest, pk: int | None = None, **kwargs: Any) -> None:
        self.document = get_or_404(order_selectors.phone_order_get_for, user=request.user, pk=pk) if pk else None

    def make_form(self, data=None, files=None):
        form = forms.PhoneOrderForm(data, user=self.request.user, instance=self.document)
        if data is not None and self.document is not None:
            form.require_version()
        return form

    def perform(self, form) -> Any:
        if self.document is None:
            return order_services.phone_order_create(actor=self.request.user, **form.service_kwargs())
        return order_services.phone_order_update(
            actor=self.request.user,
            order=self.document,
            version=form.cleaned_data["version"],
            **form.service_kwargs(),
        )

    def cancel_url(self) -> str:
        return self.document.get_absolute_url() if self.document else reverse("deals:phoneorder-list")

    def context(self) -> dict[str, Any]:
        return {"object": self.document}
