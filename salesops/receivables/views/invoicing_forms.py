"""The forms of W6 invoicing: the salesperson's invoice request from a signed contract or a
confirmed phone order (W6.1), and the invoice finance records on an approved request (W6.3)."""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.errors import ApplicationError
from salesops.core.forms import plain
from salesops.core.policy import policy
from salesops.core.views_generic import get_or_404
from salesops.deals.selectors.contracts import contract_get_for
from salesops.deals.selectors.orders import phone_order_get_for
from salesops.workflow.pages import SourceChoice

from .. import selectors, services, taxmath
from ..forms import Row, yuan
from ..forms_invoicing import InvoiceRecordForm, InvoiceRequestForm
from ..models import InvoiceRequestState
from ..permissions import FINANCE, REQUESTERS
from ..selectors.open_items import invoiceable_sources, invoicing_lines
from ..services.buyers import buyer_snapshot, printed_name
from .common import StepFormPage, id_param, raise_refusal


@policy(*REQUESTERS)
class InvoiceRequestCreateView(StepFormPage):
    """An invoice request (W6.1): choose the signed contract or confirmed phone order, then how
    much of each sold line to invoice (default: all delivered and not yet invoiced)."""

    form_class = InvoiceRequestForm
    heading = gettext_lazy("New invoice request")
    intro = gettext_lazy(
        "Invoice what was delivered and not yet invoiced, or part of it (0 skips a line). The sales manager "
        "reviews the request, then finance issues the invoice (W6.1-6.3)."
    )
    submit_label = gettext_lazy("Save the draft")
    testid = "invoice-request-form"
    list_url_name, list_label = "receivables:invoicerequest-list", gettext_lazy("Invoice requests")
    source_choice = SourceChoice(
        intro=gettext_lazy(
            "Choose what to invoice: a signed contract or a confirmed phone or fax order with something not yet "
            "invoiced."
        ),
        no_contracts=gettext_lazy("No signed contract has anything left to invoice."),
        no_orders=gettext_lazy("No confirmed phone order has anything left to invoice."),
    )

    def load(self, request: HttpRequest, **kwargs: Any) -> None:
        if hasattr(self, "lines"):
            return  # post() loads before FormPage.post asks again
        self.contract_id = id_param(request, "contract")
        self.phone_order_id = None if self.contract_id is not None else id_param(request, "phone_order")
        self.parent, self.lines, self.refusal = None, [], ""
        if self.contract_id is None and self.phone_order_id is None:
            return
        try:
            self.lines = invoicing_lines(
                user=request.user, contract_id=self.contract_id, phone_order_id=self.phone_order_id
            )
            self.parent = (
                contract_get_for(user=request.user, pk=self.contract_id)
                if self.contract_id is not None
                else phone_order_get_for(user=request.user, pk=self.phone_order_id)
            )
        except ApplicationError as exc:
            raise_refusal(exc)
            self.refusal = exc.message

    def _picker(self, request: HttpRequest, status: int = 200) -> HttpResponse:
        if self.refusal:
            messages.error(request, self.refusal)
        contracts, orders = invoiceable_sources(user=request.user)
        return self.source_choice.render(request, self, contracts=contracts, orders=orders, status=status)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request)
        if self.parent is None:
            return self._picker(request)
        if not any(line.quantity - line.returned - line.invoiced > 0 for line in self.lines):
            self.refusal = _("Everything sold on %(number)s is already invoiced.") % {"number": self.parent.number}
            return self._picker(request)
        return self.render_form(self.make_form())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request)
        if self.parent is None:
            return self._picker(request, status=409 if self.refusal else 200)
        return super().post(request, **kwargs)

    def form_kwargs(self) -> dict[str, Any]:
        rows = [
            Row(
                line.source_line_id,
                (line.product.name, f"{line.product.model} {line.product.specification}".strip(), line.product.unit),
                [plain(x) for x in (line.quantity, line.delivered, line.returned, line.invoiced, line.invoiceable)],
                initial=plain(line.invoiceable) if line.invoiceable > 0 else "",
            )
            for line in self.lines
        ]
        kind = buyer_snapshot(self.parent.customer)["default_kind"]
        return {"rows": rows, "initial": {"kind": kind}}

    def perform(self, form) -> Any:
        return services.invoice_request_create(
            actor=self.request.user,
            contract_id=self.contract_id,
            phone_order_id=self.phone_order_id,
            **form.service_kwargs(),
        )

    def success_message(self, result: Any) -> str:
        return _("Invoice request %(number)s drafted: submit it for review.") % {"number": result.number}

    def extra(self) -> dict[str, Any]:
        return {
            "source_param": "contract" if self.contract_id is not None else "phone_order",
            "source_id": self.contract_id if self.contract_id is not None else self.phone_order_id,
        }


def computed_lines(request: Any) -> dict[str, Any]:
    """The invoice's lines as they will be recorded from the request: each split into amount and
    tax (``taxmath``), named as the 数电 invoice prints it, with the totals."""
    rows = []
    for line in request.lines.select_related("product"):
        taxed = taxmath.line_from_gross(line.quantity, line.unit_price, line.tax_rate)
        product = line.product
        rows.append(
            {
                "name": printed_name(product),
                "tax_code": product.tax_code,
                "specification": product.invoice_line_specification(),
                "unit": product.invoice_line_unit(),
                "quantity": plain(taxed.quantity),
                "unit_price": plain(taxed.unit_price),
                "amount": yuan(taxed.amount),
                "tax_rate": f"{(taxed.tax_rate * 100).normalize():f}%",
                "tax": yuan(taxed.tax),
                "taxed": taxed,
            }
        )
    totals = taxmath.totals(row["taxed"] for row in rows)
    return {"computed": rows, "net": totals.net, "tax": totals.tax, "gross": totals.gross or Decimal("0")}


@policy(*FINANCE)
class InvoiceRecordView(StepFormPage):
    """Finance records the 数电 invoice it issued on the platform for an approved request (W6.3):
    the number and the day; the lines are the request's, with their tax."""

    form_class = InvoiceRecordForm
    heading = gettext_lazy("Record the invoice")
    intro = gettext_lazy(
        "Issue the invoice on the tax bureau's e-invoice platform with the lines below, then record its "
        "20-digit number here. The request is then invoiced, for the sales office to archive (R10)."
    )
    submit_label = gettext_lazy("Record the invoice")
    testid = "invoice-record-form"
    list_url_name, list_label = "receivables:invoicerequest-list", gettext_lazy("Invoice requests")
    aside_template = "receivables/includes/computed_lines.html"

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.parent = get_or_404(selectors.invoice_request_get_for, user=request.user, pk=pk)

    def unavailable(self) -> str:
        if self.parent.state != InvoiceRequestState.APPROVED:
            return _("Only a reviewed request waiting for its invoice is invoiced.")
        return ""

    def perform(self, form) -> Any:
        return services.invoice_record(actor=self.request.user, request=self.parent, **form.service_kwargs())

    def success_message(self, result: Any) -> str:
        return _("Invoice %(number)s recorded.") % {"number": result.invoice_number}

    def extra(self) -> dict[str, Any]:
        return computed_lines(self.parent)
