"""The statements of account (R13) and the red-invoice forms, declared with the kit: list and page."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from salesops.core.policy import policy
from salesops.workflow.pages import Column, DocumentDetailPage, DocumentListPage

from . import selectors
from .permissions import READERS

NUMBER = Column("number", _("Number"), "number", "number")
CUSTOMER = Column("customer.name", _("Customer"), "customer")
STATE = Column("state", _("State"), "state", "state")


@policy(*READERS)
class StatementListView(DocumentListPage):
    select = staticmethod(selectors.statement_list)
    listing_for = staticmethod(selectors.statement_listing)
    title = _("Statements of account")
    subtitle = _("at the end of June and of December (R13)")
    columns = (
        NUMBER,
        CUSTOMER,
        Column("period_end", _("Cut-off"), "", "date"),
        Column("closing_by_invoice", _("Balance by invoice"), "", "money"),
        Column("reply_due", _("Reply expected by"), "", "date"),
        STATE,
    )
    empty_text = _("No statements match.")


@policy(*READERS)
class StatementDetailView(DocumentDetailPage):
    template_name = "receivables/statements/statement_detail.html"
    get_for = staticmethod(selectors.statement_get_for)
    fields = (
        "owner",
        "customer",
        "period_start",
        "period_end",
        "reply_due",
        "sent_by",
        "sent_to",
        "sent_at",
        "replied_on",
        "signatory",
    )
    list_url_name, list_label = "receivables:statement-list", _("Statements of account")
    context_name = "statement"

    def extra_context(self, doc: Any, user: Any) -> dict[str, Any]:
        return {"kinds": ENTRY_KINDS}


ENTRY_KINDS = {
    "outbound": _("Outbound"),
    "red_note": _("Red sales outbound note"),
    "invoice": _("Invoice"),
    "red_invoice": _("Red invoice"),
    "receipt": _("Receipt"),
    "allocation": _("Allocation"),
    "reversal": _("Allocation reversed"),
}


@policy(*READERS)
class RedFormListView(DocumentListPage):
    select = staticmethod(selectors.red_form_list)
    listing_for = staticmethod(selectors.red_form_listing)
    title = _("Red-invoice forms")
    subtitle = _("红字发票信息确认单: how an issued 数电 invoice is reversed")
    columns = (
        NUMBER,
        CUSTOMER,
        Column("blue.invoice_number", _("Blue invoice")),
        Column("reason", _("Reason")),
        Column("total_amount", _("Amount"), "", "money"),
        Column("confirm_by", _("To confirm by"), "", "date"),
        STATE,
    )
    empty_text = _("No red-invoice forms match.")


@policy(*READERS)
class RedFormDetailView(DocumentDetailPage):
    get_for = staticmethod(selectors.red_form_get_for)
    fields = (
        "owner",
        "customer",
        "blue",
        "reason",
        "initiator",
        "full",
        "return_request",
        "platform_number",
        "raised_at",
        "confirm_by",
        "total_amount",
        "red_invoice",
        "note",
    )
    list_url_name, list_label = "receivables:redform-list", _("Red-invoice forms")
    form_actions = {"issue": "receivables:redinvoice-record"}
