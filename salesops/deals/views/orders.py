"""Pages of phone and fax orders (W3.6)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from salesops.core.policy import policy
from salesops.workflow.pages import Column, DocumentDetailPage, DocumentFormPage, DocumentListPage

from .. import forms
from ..permissions import CONTRACT_READERS, RAISERS
from ..selectors import orders as order_selectors
from ..services import orders as order_services


@policy(*CONTRACT_READERS)
class PhoneOrderListView(DocumentListPage):
    select = staticmethod(order_selectors.phone_order_list)
    listing_for = staticmethod(order_selectors.phone_order_listing)
    title = _("Phone and fax orders")
    columns = (
        Column("number", _("Number"), "number", "number"),
        Column("channel", _("Channel")),
        Column("received_on", _("Received on"), "received", "date"),
        Column("customer.name", _("Customer"), "customer"),
        Column("owner", _("Owner")),
        Column("total_amount", _("Total"), "amount", "money"),
        Column("state", _("State"), "state", "state"),
    )
    create_url_name, create_label = "deals:phoneorder-create", _("New order")
    create_testid, creators = "new-order", RAISERS
    empty_text = _("No orders match.")


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
class PhoneOrderFormView(DocumentFormPage):
    get_for = staticmethod(order_selectors.phone_order_get_for)
    form_class = forms.PhoneOrderForm
    create = staticmethod(order_services.phone_order_create)
    update = staticmethod(order_services.phone_order_update)
    doc_arg = "order"
    list_url_name, list_label = "deals:phoneorder-list", _("Phone and fax orders")
    new_title = _("New phone or fax order")
    intro = _("An order without a formal contract is executed only after the manager confirms it (W3.6).")
    testid = "phoneorder-form"
