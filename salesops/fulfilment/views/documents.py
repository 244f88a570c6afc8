"""The list and page of each delivery document, declared with the kit (``workflow.pages``): its
selector, its columns and fields, and what its lines count. The documents carry no prices."""

from typing import Any, ClassVar

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesops.core.policy import AUTHENTICATED, policy
from salesops.workflow.pages import Column, DocumentDetailPage, DocumentListPage, FormAction, button

from .. import selectors
from ..models import ReturnKind, ReturnState
from ..permissions import CONFIRMERS, OFFICE, REQUESTERS
from ..services.notes import EXCHANGEABLE, ISSUABLE
from ..workflows import RETURN_FLOW

NUMBER = Column("number", _("Number"), "number", "number")
CREATED = Column("created_at", _("Created"), "created", "date")
CUSTOMER = Column("customer.name", _("Customer"), "customer")
OWNER = Column("owner", _("Salesperson"))
STATE = Column("state", _("State"), "state", "state")


class DeliveryDetail(DocumentDetailPage):
    """A delivery document's page: its lines with the quantities each counts (``line_counters``)."""

    lines = "lines"
    lines_template = "fulfilment/includes/lines.html"
    lines_priced = False
    line_counters: ClassVar[tuple[tuple[str, Any], ...]] = ()

    def get_context(self, doc: Any, user: Any) -> dict[str, Any]:
        context = super().get_context(doc, user)
        for line in context["lines"] or ():
            line.counter_values = [_counter(line, attr) for attr, _label in self.line_counters]
        context["line_counters"] = self.line_counters
        return context


def _counter(line: Any, attr: str) -> Any:
    value: Any = line
    for part in attr.split("."):
        value = getattr(value, part, None)
        if value is None:
            return ""
    return value.normalize() if hasattr(value, "normalize") else value


@policy(AUTHENTICATED)
class RequisitionListView(DocumentListPage):
    select = staticmethod(selectors.requisition_list)
    listing_for = staticmethod(selectors.requisition_listing)
    title = _("Goods requisitions")
    subtitle = _("from signed contracts and confirmed phone orders (W4.1-4.3)")
    columns = (NUMBER, CREATED, CUSTOMER, OWNER, Column("ship_by", _("Ship by"), "", "date"), STATE)
    empty_text = _("No requisitions match.")
    create_url_name, create_label, creators = "fulfilment:requisition-create", _("New requisition"), REQUESTERS


@policy(AUTHENTICATED)
class RequisitionDetailView(DeliveryDetail):
    get_for = staticmethod(selectors.requisition_get_for)
    fields = (
        "owner",
        "customer",
        "contract",
        "phone_order",
        "warehouse",
        "ship_by",
        "wanted_on",
        "consignee",
        "consignee_phone",
        "address",
        "note",
        "approved_at",
        "archived_at",
        "archived_by",
    )
    list_url_name, list_label = "fulfilment:requisition-list", _("Goods requisitions")
    line_counters = (("noted", _("On delivery notes")),)

    def links(self, doc: Any, user: Any) -> list[dict[str, Any]]:
        """The sales office issues a delivery note while the approved requisition has something open
        (its lines are prefetched: no query)."""
        if user.has_role(*OFFICE) and doc.state in ISSUABLE and any(x.noted < x.quantity for x in doc.lines.all()):
            url = reverse("fulfilment:note-issue", args=[doc.pk])
            return [button("issue-note", url, _("Issue delivery note"), icon="bi-file-earmark-text")]
        return []


@policy(AUTHENTICATED)
class NoteListView(DocumentListPage):
    select = staticmethod(selectors.note_list)
    listing_for = staticmethod(selectors.note_listing)
    title = _("Sales delivery notes")
    columns = (NUMBER, CREATED, CUSTOMER, Column("consignee", _("Consignee")), STATE)
    empty_text = _("No delivery notes match.")


@policy(AUTHENTICATED)
class NoteDetailView(DeliveryDetail):
    get_for = staticmethod(selectors.note_get_for)
    fields = (
        "owner",
        "customer",
        "requisition",
        "return_request",
        "warehouse",
        "ship_by",
        "consignee",
        "consignee_phone",
        "address",
        "note",
        "issued_by",
        "replaces",
        "void_reason",
        "close_reason",
    )
    list_url_name, list_label = "fulfilment:note-list", _("Sales delivery notes")
    line_counters = (("shipped", _("Shipped")), ("closed", _("Closed short")))
    # One form books both: the service moves the note to partly or fully shipped.
    form_actions = {
        "ship_all": FormAction("fulfilment:outbound-book", testid="book-outbound", style="success", icon="bi-truck"),
        "reissue": FormAction("fulfilment:note-reissue", style="outline-danger", icon="bi-arrow-repeat"),
    }


@policy(AUTHENTICATED)
class OutboundListView(DocumentListPage):
    select = staticmethod(selectors.outbound_list)
    listing_for = staticmethod(selectors.outbound_listing)
    title = _("Outbounds")
    columns = (
        NUMBER,
        Column("shipped_on", _("Shipped on"), "", "date"),
        CUSTOMER,
        Column("method", _("Shipping method")),
        Column("carrier", _("Carrier")),
        STATE,
    )
    empty_text = _("No outbounds match.")


@policy(AUTHENTICATED)
class OutboundDetailView(DeliveryDetail):
    get_for = staticmethod(selectors.outbound_get_for)
    fields = (
        "owner",
        "customer",
        "note",
        "warehouse",
        "shipped_on",
        "method",
        "carrier",
        "tracking_numbers",
        "consignee_phone",
        "vehicle",
        "driver",
        "freight_payer",
        "packages",
        "weight_kg",
        "short_reason",
        "booked_by",
    )
    list_url_name, list_label = "fulfilment:outbound-list", _("Outbounds")
    line_counters = (("claimed", _("Claimed for return")), ("returned", _("Returned")))
    form_actions = {"confirm": FormAction("fulfilment:confirmation-record", style="success", icon="bi-pen")}


@policy(AUTHENTICATED)
class ConfirmationListView(DocumentListPage):
    select = staticmethod(selectors.confirmation_list)
    listing_for = staticmethod(selectors.confirmation_listing)
    title = _("Customer confirmations")
    columns = (
        NUMBER,
        Column("signed_on", _("Signed on"), "", "date"),
        CUSTOMER,
        Column("signed_by", _("Signed by")),
        STATE,
    )
    empty_text = _("No confirmations match.")


@policy(AUTHENTICATED)
class ConfirmationDetailView(DeliveryDetail):
    get_for = staticmethod(selectors.confirmation_get_for)
    fields = (
        "owner",
        "customer",
        "outbound",
        "signed_by",
        "signed_on",
        "sign_kind",
        "has_discrepancies",
        "follow_up",
        "archived_at",
    )
    list_url_name, list_label = "fulfilment:confirmation-list", _("Customer confirmations")
    lines_label = _("Discrepancies")
    line_counters = (("short", _("Short")), ("damaged", _("Damaged")), ("remark", _("Remark")))

    def links(self, doc: Any, user: Any) -> list[dict[str, Any]]:
        """Resolve an open follow-up (whoever may record confirmations and sees this one), and start a
        return from it (whoever raises returns)."""
        found = []
        if doc.follow_up_open and user.has_role(*CONFIRMERS):
            url = reverse("fulfilment:confirmation-resolve", args=[doc.pk])
            found.append(button("resolve", url, _("Resolve follow-up"), style="warning", icon="bi-check2-square"))
        if user.has_role(*REQUESTERS):
            url = f"{reverse('fulfilment:return-create')}?confirmation={doc.pk}"
            found.append(button("start-return", url, _("Start a return"), style="outline-secondary"))
        return found


@policy(AUTHENTICATED)
class ReturnListView(DocumentListPage):
    select = staticmethod(selectors.return_list)
    listing_for = staticmethod(selectors.return_listing)
    title = _("Returns and exchanges")
    columns = (NUMBER, CREATED, CUSTOMER, Column("kind", _("Kind")), OWNER, STATE)
    empty_text = _("No returns match.")
    create_url_name, create_label, creators = "fulfilment:return-create", _("New return"), REQUESTERS


# Once verified, the detail is the manager's to confirm in red (W8.4) and stays red from then on.
IN_RED = (ReturnState.VERIFIED, ReturnState.RED_CONFIRMED, ReturnState.RED_ISSUED, ReturnState.DONE)


@policy(AUTHENTICATED)
class ReturnDetailView(DeliveryDetail):
    """A return request: its lines with the check of each (and, once verified, in red: 红字), its
    steps' forms, and the red notes and exchange delivery notes issued from it."""

    template_name = "fulfilment/returns/return_detail.html"
    lines_template = "fulfilment/returns/return_lines.html"
    get_for = staticmethod(selectors.return_get_for)
    fields = ("owner", "customer", "kind", "reason", "confirmation", "checked_at", "verified_by", "verification")
    list_url_name, list_label = "fulfilment:return-list", _("Returns and exchanges")
    form_actions = {
        "check": FormAction("fulfilment:return-check", icon="bi-list-check"),
        "verify": FormAction("fulfilment:return-verify", style="success", icon="bi-patch-check"),
        "fail": FormAction("fulfilment:return-fail", style="outline-danger"),
        "issue_red": FormAction("fulfilment:return-issue-red", post=True, style="danger", icon="bi-file-earmark-minus"),
    }

    def links(self, doc: Any, user: Any) -> list[dict[str, Any]]:
        """An exchange's new delivery note, for the sales office once the red note is out."""
        open_lines = any(line.noted < line.quantity for line in doc.lines.all())
        if doc.kind != ReturnKind.EXCHANGE or doc.state not in EXCHANGEABLE or not open_lines:
            return []
        if not user.has_role(*OFFICE):
            return []
        url = reverse("fulfilment:return-exchange-note", args=[doc.pk])
        label = _("Issue the exchange's delivery note")
        return [button("issue-exchange-note", url, label, post=True, icon="bi-arrow-left-right")]

    def extra_context(self, doc: Any, user: Any) -> dict[str, Any]:
        in_red = doc.state in IN_RED
        return {
            "in_red": in_red,
            "is_exchange": doc.kind == ReturnKind.EXCHANGE,
            "lines_label": _("Verified detail, in red") if in_red else _("Lines"),
            "red_notes": selectors.red_note_list(user=user).filter(return_request=doc).order_by("pk"),
            "exchange_notes": selectors.note_list(user=user).filter(return_request=doc).order_by("pk"),
            "may_issue_red": RETURN_FLOW.allows("issue_red", doc, user),
        }


@policy(AUTHENTICATED)
class RedNoteListView(DocumentListPage):
    select = staticmethod(selectors.red_note_list)
    listing_for = staticmethod(selectors.red_note_listing)
    title = _("Red sales outbound notes")
    columns = (NUMBER, CREATED, CUSTOMER, Column("return_request", _("Return request")), STATE)
    empty_text = _("No red notes match.")


@policy(AUTHENTICATED)
class RedNoteDetailView(DeliveryDetail):
    """The red sales outbound note (红字销售出库单): titled in red, each line taken back against its
    original delivery note and outbound."""

    template_name = "fulfilment/returns/rednote_detail.html"
    lines_template = "fulfilment/returns/rednote_lines.html"
    get_for = staticmethod(selectors.red_note_get_for)
    fields = ("owner", "customer", "return_request", "warehouse", "issued_by", "received_at", "void_reason")
    list_url_name, list_label = "fulfilment:rednote-list", _("Red sales outbound notes")


@policy(AUTHENTICATED)
class DelayListView(DocumentListPage):
    select = staticmethod(selectors.delay_list)
    listing_for = staticmethod(selectors.delay_listing)
    title = _("Shipment delays (R7)")
    columns = (NUMBER, CREATED, Column("contract", _("Contract")), Column("reason", _("Reason")), STATE)
    empty_text = _("No shipment delays match.")
    create_url_name, create_label, creators = "fulfilment:delay-create", _("New delay"), CONFIRMERS


@policy(AUTHENTICATED)
class DelayDetailView(DocumentDetailPage):
    get_for = staticmethod(selectors.delay_get_for)
    fields = ("owner", "contract", "reason", "detail", "ship_on")
    list_url_name, list_label = "fulfilment:delay-list", _("Shipment delays (R7)")
