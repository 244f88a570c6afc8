"""The list and page of each money document, declared with the kit (``workflow.pages``): invoice
requests, invoices, receipts, payment requests. Only the roles whose work is money open them (the
warehouse is refused at the door); each row and page is read through the type's scoped selector."""

from typing import Any

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesops.core.policy import policy
from salesops.workflow.pages import Column, DocumentDetailPage, DocumentListPage, FormAction, button

from .. import selectors
from ..forms_receipts import AllocateForm
from ..models import InvoiceState, ReceiptState
from ..permissions import DISPATCHERS, FINANCE, READERS, REQUESTERS
from ..selectors.open_items import allocations_of, open_invoices
from .common import invoice_rows

NUMBER = Column("number", _("Number"), "number", "number")
CREATED = Column("created_at", _("Created"), "created", "date")
CUSTOMER = Column("customer.name", _("Customer"), "customer")
OWNER = Column("owner", _("Salesperson"))
STATE = Column("state", _("State"), "state", "state")


@policy(*READERS)
class InvoiceRequestListView(DocumentListPage):
    select = staticmethod(selectors.invoice_request_list)
    listing_for = staticmethod(selectors.invoice_request_listing)
    title = _("Invoice requests")
    subtitle = _("from delivered contracts and phone orders (W6.1-6.2, R10)")
    columns = (
        NUMBER,
        CREATED,
        CUSTOMER,
        Column("kind", _("Invoice kind")),
        Column("total_amount", _("Total incl. tax"), "", "money"),
        OWNER,
        STATE,
    )
    empty_text = _("No invoice requests match.")
    create_url_name, create_label, creators = "receivables:invoicerequest-create", _("New invoice request"), REQUESTERS

    def badges(self, row: Any) -> list[tuple[Any, str]]:
        return [(_("Advance"), "bg-warning text-dark")] if row.advance else []


@policy(*READERS)
class InvoiceRequestDetailView(DocumentDetailPage):
    """An invoice request: the buyer as it will be invoiced, its lines as sold (tax included), the
    invoices recorded from it."""

    template_name = "receivables/invoicerequest_detail.html"
    get_for = staticmethod(selectors.invoice_request_get_for)
    fields = (
        "owner",
        "customer",
        "contract",
        "phone_order",
        "kind",
        "buyer_title",
        "buyer_tax_id",
        "buyer_address_phone",
        "buyer_bank_account",
        "buyer_email",
        "buyer_phone",
        "remark",
        "total_amount",
        "archived_at",
        "archived_by",
    )
    list_url_name, list_label = "receivables:invoicerequest-list", _("Invoice requests")
    lines = "lines"
    lines_template = "receivables/includes/request_lines.html"
    form_actions = {
        "invoice": FormAction("receivables:invoice-record", testid="record-invoice", style="success", icon="bi-receipt")
    }

    def extra_context(self, doc: Any, user: Any) -> dict[str, Any]:
        return {"invoices": selectors.invoice_list(user=user).filter(request=doc).order_by("pk")}


@policy(*READERS)
class InvoiceListView(DocumentListPage):
    select = staticmethod(selectors.invoice_list)
    listing_for = staticmethod(selectors.invoice_listing)
    title = _("Invoices")
    subtitle = _("数电 invoices issued on the tax bureau's platform (W6.3)")
    columns = (
        NUMBER,
        Column("invoice_number", _("Invoice number")),
        Column("issued_on", _("Issued on"), "", "date"),
        CUSTOMER,
        Column("total_amount", _("Total incl. tax"), "", "money"),
        Column("balance.open_amount", _("Open amount"), "", "money"),
        Column("due_on", _("Due on"), "", "date"),
        STATE,
    )
    empty_text = _("No invoices match.")

    def badges(self, row: Any) -> list[tuple[Any, str]]:
        return [(_("Red"), "bg-danger")] if row.is_red else []


@policy(*READERS)
class InvoiceDetailView(DocumentDetailPage):
    """A 数电 invoice as issued: its lines as printed, its totals in figures and in capitals (大写),
    what red invoices reversed and receipts paid, each allocation (a reversed one struck through,
    with its reason), and where it was sent (R9)."""

    template_name = "receivables/invoice_detail.html"
    get_for = staticmethod(selectors.invoice_get_for)
    fields = (
        "owner",
        "customer",
        "request",
        "red_of",
        "contract",
        "phone_order",
        "kind",
        "invoice_number",
        "issued_on",
        "due_on",
        "buyer_title",
        "buyer_tax_id",
        "buyer_address_phone",
        "buyer_bank_account",
        "seller_title",
        "seller_tax_id",
        "remark",
        "recorded_by",
    )
    list_url_name, list_label = "receivables:invoice-list", _("Invoices")
    lines = "lines"
    lines_template = "receivables/includes/invoice_lines.html"

    def links(self, doc: Any, user: Any) -> list[dict[str, Any]]:
        """Finance raises a red-invoice form on an issued blue invoice; finance and the sales office
        record how it went to the buyer (R9)."""
        found = []
        if user.has_role(*DISPATCHERS):
            url = reverse("receivables:invoice-dispatch", args=[doc.pk])
            found.append(button("dispatch", url, _("Record how it went"), style="outline-primary", icon="bi-send"))
        if user.has_role(*FINANCE) and not doc.is_red and doc.state == InvoiceState.ISSUED:
            url = reverse("receivables:redform-create", args=[doc.pk])
            found.append(
                button("red-form", url, _("Raise a red-invoice form"), style="outline-danger", icon="bi-receipt")
            )
        return found

    def extra_context(self, doc: Any, user: Any) -> dict[str, Any]:
        balance = None if doc.is_red else doc.balance
        return {
            "balance": balance,
            "allocations": allocations_of(invoice=doc) if balance is not None else [],
            "dispatches": list(doc.dispatches.select_related("recorded_by").order_by("sent_at", "pk")),
            "reds": selectors.invoice_list(user=user).filter(red_of=doc).order_by("pk"),
        }


@policy(*READERS)
class ReceiptListView(DocumentListPage):
    select = staticmethod(selectors.receipt_list)
    listing_for = staticmethod(selectors.receipt_listing)
    title = _("Receipts")
    subtitle = _("money received from customers, as finance recorded it (W5.5)")
    columns = (
        NUMBER,
        Column("received_on", _("Date received"), "", "date"),
        CUSTOMER,
        Column("method", _("Method")),
        Column("amount", _("Amount"), "", "money"),
        Column("balance.unallocated", _("Unallocated"), "", "money"),
        Column("payer", _("Payer")),
        STATE,
    )
    empty_text = _("No receipts match.")
    create_url_name, create_label, creators = "receivables:receipt-create", _("Record a receipt"), FINANCE

    def summary(self, filtered: Any) -> list[dict[str, Any]]:
        """What the matching receipts bring in (voided ones do not count)."""
        total = filtered.filter(state=ReceiptState.RECORDED).aggregate(s=Sum("amount"))["s"]
        return [{"label": _("Received"), "value": total or 0, "kind": "money", "testid": "received-total"}]


@policy(*READERS)
class ReceiptDetailView(DocumentDetailPage):
    """A receipt: what came in, what of it is allocated to which invoice (finance reverses a wrong
    allocation with the reason), and, for finance, the allocation of what is left."""

    template_name = "receivables/receipt_detail.html"
    get_for = staticmethod(selectors.receipt_get_for)
    fields = (
        "owner",
        "customer",
        "received_on",
        "method",
        "amount",
        "payer",
        "reference",
        "note",
        "collected_by",
        "collected_on",
        "recorded_by",
        "void_reason",
    )
    list_url_name, list_label = "receivables:receipt-list", _("Receipts")
    # Not the model's name: "receipt" is also the warehouse's stock receipt (入库).
    kind_label = _("Money receipt")

    def extra_context(self, doc: Any, user: Any) -> dict[str, Any]:
        finance = user.has_role(*FINANCE) and doc.state == ReceiptState.RECORDED
        balance = doc.balance
        allocate_form = None
        if finance and balance.unallocated > 0:
            invoices = open_invoices(user=user, customer_id=doc.customer_id)
            if invoices:
                allocate_form = AllocateForm(rows=invoice_rows(invoices))
        return {
            "balance": balance,
            "allocations": allocations_of(receipt=doc),
            "may_reverse": finance,
            "allocate_form": allocate_form,
            "allocate_url": reverse("receivables:receipt-allocate", args=[doc.pk]),
        }


@policy(*READERS)
class PaymentRequestListView(DocumentListPage):
    select = staticmethod(selectors.payment_request_list)
    listing_for = staticmethod(selectors.payment_request_listing)
    title = _("Payment requests")
    subtitle = _("what customers are asked to pay (W5.2-5.4)")
    columns = (
        NUMBER,
        CREATED,
        CUSTOMER,
        Column("pay_by", _("Pay by"), "", "date"),
        Column("total_amount", _("Amount requested"), "", "money"),
        OWNER,
        STATE,
    )
    empty_text = _("No payment requests match.")
    create_url_name, create_label, creators = "receivables:paymentrequest-create", _("New payment request"), REQUESTERS


@policy(*READERS)
class PaymentRequestDetailView(DocumentDetailPage):
    get_for = staticmethod(selectors.payment_request_get_for)
    fields = ("owner", "customer", "pay_by", "total_amount", "note", "sent_by", "sent_to", "sent_at")
    list_url_name, list_label = "receivables:paymentrequest-list", _("Payment requests")
    lines = "lines"
    lines_template = "receivables/includes/payment_lines.html"
    form_actions = {"send": FormAction("receivables:paymentrequest-send", testid="send", icon="bi-send")}

    def links(self, doc: Any, user: Any) -> list[dict[str, Any]]:
        """Record a receipt of this customer (finance)."""
        if user.has_role(*FINANCE):
            url = f"{reverse('receivables:receipt-create')}?customer={doc.customer_id}"
            return [button("record-receipt", url, _("Record a receipt"), style="outline-success", icon="bi-cash")]
        return []
