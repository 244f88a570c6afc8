"""Pages of the instruments register (R9, R12): the list, one instrument with its sub-bill range and
the parts split off it, the registration form and finance's steps as forms. Thin interfaces over
``services.instruments`` and ``selectors.instruments``."""

from typing import Any, ClassVar

from django.contrib import messages
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.errors import ApplicationError, InvalidInput
from salesops.core.policy import policy
from salesops.core.views_generic import FormPage, get_or_404
from salesops.workflow.pages import Column, DocumentDetailPage, DocumentFormPage, DocumentListPage, button

from .forms_instruments import CollectForm, DiscountForm, EndorseForm, InstrumentForm, LinkReceiptForm
from .selectors import instruments as selectors
from .services import instruments as services
from .workflows_instruments import LINKABLE, READERS, REGISTRARS, SIGNERS

LIST = "receivables:instrument-list"
LIST_LABEL = gettext_lazy("Instruments register")


def warnings_of(instrument) -> list[tuple[Any, str]]:
    """Marks beside an instrument's number: a term over six months, a part of a split bill."""
    found = []
    if instrument.term_too_long:
        found.append((_("term over 6 months"), "text-bg-warning"))
    if instrument.parent_id is not None:
        found.append((_("part"), "text-bg-light border"))
    return found


def _url_or_blank(doc) -> str:
    """A related document's page, or "" while its app has none (the receipt's pages are another
    part of receivables)."""
    try:
        return doc.get_absolute_url() if doc is not None else ""
    except NoReverseMatch:
        return ""


@policy(*READERS)
class InstrumentListView(DocumentListPage):
    select = staticmethod(selectors.instrument_list)
    listing_for = staticmethod(selectors.instrument_listing)
    title = LIST_LABEL
    subtitle = gettext_lazy("cheques, bills and drafts received, signed for by finance the same day (R12)")
    columns = (
        Column("number", gettext_lazy("Number"), "number", "number"),
        Column("received_at", gettext_lazy("Received"), "received", "date"),
        Column("customer.name", gettext_lazy("Customer"), "customer"),
        Column("kind", gettext_lazy("Instrument kind")),
        Column("identifier", gettext_lazy("Package or number")),
        Column("issuer", gettext_lazy("Drawer")),
        Column("amount", gettext_lazy("Amount"), "amount", "money"),
        Column("due_on", gettext_lazy("Due on"), "due", "date"),
        Column("owner", gettext_lazy("Received by")),
        Column("state", gettext_lazy("State"), "state", "state"),
    )
    create_url_name, create_label, create_testid = (
        "receivables:instrument-create",
        gettext_lazy("Register an instrument"),
        "new-instrument",
    )
    creators = REGISTRARS
    empty_text = gettext_lazy("No instruments match.")

    def summary(self, filtered) -> list[dict[str, Any]]:
        totals = selectors.totals_of(filtered)
        return [
            {"label": _("Instruments"), "value": totals["count"], "testid": "total-count"},
            {"label": _("Total amount"), "value": totals["amount"], "kind": "money", "testid": "total-amount"},
        ]

    def badges(self, row) -> list[tuple[Any, str]]:
        return warnings_of(row)


@policy(*READERS)
class InstrumentDetailView(DocumentDetailPage):
    template_name = "receivables/instruments/detail.html"
    get_for = staticmethod(selectors.instrument_get_for)
    fields = (
        "owner",
        "customer",
        "kind",
        "medium",
        "package_number",
        "instrument_number",
        "amount",
        "issuer",
        "acceptor",
        "payee",
        "previous_holder",
        "issued_on",
        "due_on",
        "received_at",
        "signed_by",
        "signed_at",
        "parent",
        "settled_on",
        "counterparty",
        "proceeds_amount",
        "dishonour_reason",
        "note",
    )
    list_url_name, list_label = LIST, LIST_LABEL
    form_actions = {
        "endorse": "receivables:instrument-endorse",
        "discount": "receivables:instrument-discount",
        "collect": "receivables:instrument-collect",
    }
    context_name = "instrument"

    def links(self, doc, user) -> list[dict[str, Any]]:
        if user.has_role(*SIGNERS) and doc.parent_id is None and doc.receipt_id is None and doc.state in LINKABLE:
            url = reverse("receivables:instrument-link-receipt", args=[doc.pk])
            return [button("link-receipt", url, _("Link the receipt"), style="outline-primary", icon="bi-link-45deg")]
        return []

    def extra_context(self, doc, user) -> dict[str, Any]:
        return {
            "receipt_url": _url_or_blank(doc.receipt),
            "family": selectors.instrument_family(user=user, instrument=doc),
            "warnings": warnings_of(doc),
            "transferable": doc.is_transferable,
        }


@policy(*REGISTRARS)
class InstrumentCreateView(DocumentFormPage):
    get_for = staticmethod(selectors.instrument_get_for)
    form_class = InstrumentForm
    create = staticmethod(services.instrument_register)
    list_url_name, list_label = LIST, LIST_LABEL
    new_title = gettext_lazy("Register an instrument")
    intro = gettext_lazy(
        "Register every cheque, acceptance bill and bank draft you receive, and hand it to finance to sign for "
        "the same day (R12)."
    )
    testid = "instrument-form"

    def form_error(self, form, exc: ApplicationError) -> ApplicationError:
        """The service names the receiver ``received_by_id``; the form calls it ``received_by``."""
        if isinstance(exc, InvalidInput) and "received_by_id" in exc.extra.get("fields", {}):
            fields = dict(exc.extra["fields"])
            fields["received_by"] = fields.pop("received_by_id")
            return InvalidInput(exc.message, fields=fields)
        return exc

    def success_message(self, result) -> str:
        if result.term_too_long:
            messages.warning(
                self.request,
                _("%(number)s is due more than six months after issue: check the dates.") % {"number": result.number},
            )
        return _("%(number)s registered: hand it to finance to sign for today.") % {"number": result.number}


class InstrumentActionPage(FormPage):
    """One finance step on one instrument through its service; the page shows what it acts on."""

    template_name = "receivables/instruments/action.html"
    form_errors = (ApplicationError,)
    form_class: ClassVar[Any]
    service: ClassVar[Any]
    heading: ClassVar[Any] = ""
    testid: ClassVar[str] = "action-form"

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.instrument = get_or_404(selectors.instrument_get_for, user=request.user, pk=pk)

    def make_form(self, data=None, files=None):
        return self.form_class(data, instrument=self.instrument, user=self.request.user)

    def perform(self, form) -> Any:
        return type(self).service(instrument=self.instrument, actor=self.request.user, **form.service_kwargs())

    def success_url(self, result: Any) -> str:
        # A part moved: the bill's page shows both parts.
        return (result.parent or result).get_absolute_url()

    def success_message(self, result: Any) -> str:
        return _("%(number)s saved.") % {"number": result.number}

    def cancel_url(self) -> str:
        return self.instrument.get_absolute_url()

    def context(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "heading": self.heading,
            "testid": self.testid,
            "list_url": reverse(LIST),
            "list_label": LIST_LABEL,
        }


@policy(*SIGNERS)
class InstrumentEndorseView(InstrumentActionPage):
    form_class = EndorseForm
    service = staticmethod(services.instrument_endorse)
    heading = gettext_lazy("Endorse on")
    testid = "endorse-form"


@policy(*SIGNERS)
class InstrumentDiscountView(InstrumentActionPage):
    form_class = DiscountForm
    service = staticmethod(services.instrument_discount)
    heading = gettext_lazy("Discount")
    testid = "discount-form"


@policy(*SIGNERS)
class InstrumentCollectView(InstrumentActionPage):
    form_class = CollectForm
    service = staticmethod(services.instrument_collect)
    heading = gettext_lazy("Record collection")
    testid = "collect-form"


@policy(*SIGNERS)
class InstrumentLinkReceiptView(InstrumentActionPage):
    form_class = LinkReceiptForm
    service = staticmethod(services.instrument_link_receipt)
    heading = gettext_lazy("Link the receipt")
    testid = "link-receipt-form"
