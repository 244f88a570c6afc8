"""Pages of phone and fax orders (W3.6)."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesops.core.policy import policy
from salesops.core.views_generic import ListPage, get_or_404
from salesops.workflow.pages import DocumentDetailPage

from .. import forms
from ..permissions import CONTRACT_READERS, RAISERS
from ..selectors import orders as order_selectors
from ..services import orders as order_services
from .common import LinesFormPage


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
class PhoneOrderDetailView(DocumentDetailPage):
    template_name = "deals/phoneorder_detail.html"
    get_for = staticmethod(order_selectors.phone_order_get_for)
    fields = ("customer", "received_on", "owner", "reason_without_contract")
    list_url_name, list_label = "deals:phoneorder-list", _("Phone and fax orders")
    edit_url_name = "deals:phoneorder-update"
    lines, lines_template = "lines", "deals/includes/lines_table.html"

    def kind(self, doc: Any) -> Any:
        return doc.get_channel_display()


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
