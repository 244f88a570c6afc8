"""The form pages of red invoices and of the dispatch register, on the money forms' base
(``views.common.StepFormPage``): every step through its service, refusals on the field or row."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.policy import policy
from salesops.core.views_generic import get_or_404

from . import selectors, services
from .forms_redforms import DispatchForm, RedFormForm, RedInvoiceRecordForm, blue_rows
from .models import InvoiceState, RedFormState
from .permissions import DISPATCHERS, FINANCE
from .services.redforms import left_on_lines
from .views.common import StepFormPage


@policy(*FINANCE)
class RedFormCreateView(StepFormPage):
    form_class = RedFormForm
    heading = gettext_lazy("Raise a red-invoice form")
    intro = gettext_lazy(
        "An issued 数电 invoice is never voided: it is reversed by a red invoice issued from a red-invoice "
        "form (红字发票信息确认单). A partial form — some amounts of the lines — only for a return or a "
        "discount, once the buyer confirmed the invoice's use; otherwise the whole invoice is reversed and "
        "what the customer keeps is invoiced again."
    )
    submit_label = gettext_lazy("Raise the form")
    testid = "red-form-form"
    list_url_name, list_label = "receivables:invoice-list", gettext_lazy("Invoices")

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.parent = get_or_404(selectors.invoice_get_for, user=request.user, pk=pk)
        self.lines_left = list(left_on_lines(self.parent).values())

    def unavailable(self) -> str:
        if self.parent.is_red or self.parent.state != InvoiceState.ISSUED:
            return _("Only an issued blue invoice is reversed.")
        return ""

    def form_kwargs(self) -> dict[str, Any]:
        return {"rows": blue_rows(self.lines_left)}

    def perform(self, form) -> Any:
        return services.red_form_create(
            actor=self.request.user, blue_id=self.parent.pk, **form.service_kwargs(self.lines_left)
        )

    def success_message(self, result: Any) -> str:
        return _("Red-invoice form %(number)s raised.") % {"number": result.number}


@policy(*FINANCE)
class RedInvoiceRecordView(StepFormPage):
    form_class = RedInvoiceRecordForm
    heading = gettext_lazy("Record the red invoice")
    intro = gettext_lazy(
        "Issue the red invoice on the e-invoice platform from the confirmed form, then record its number."
    )
    submit_label = gettext_lazy("Record the red invoice")
    testid = "red-invoice-form"
    list_url_name, list_label = "receivables:redform-list", gettext_lazy("Red-invoice forms")

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.parent = get_or_404(selectors.red_form_get_for, user=request.user, pk=pk)

    def unavailable(self) -> str:
        if self.parent.state != RedFormState.CONFIRMED:
            return _("Only a confirmed form has a red invoice to record.")
        return ""

    def perform(self, form) -> Any:
        return services.red_invoice_record(actor=self.request.user, form=self.parent, **form.service_kwargs())

    def success_message(self, result: Any) -> str:
        return _("Red invoice %(number)s recorded.") % {"number": result.invoice_number}


@policy(*DISPATCHERS)
class InvoiceDispatchView(StepFormPage):
    form_class = DispatchForm
    heading = gettext_lazy("Record how the invoice went")
    intro = gettext_lazy(
        "A 数电 invoice reaches the buyer's tax digital account or goes by e-mail; a printed copy handed over "
        "is signed for (R9)."
    )
    submit_label = gettext_lazy("Record")
    testid = "dispatch-form"
    list_url_name, list_label = "receivables:dispatch-list", gettext_lazy("Invoice dispatch register")

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.parent = get_or_404(selectors.invoice_get_for, user=request.user, pk=pk)

    def perform(self, form) -> Any:
        services.invoice_dispatch_record(actor=self.request.user, invoice=self.parent, **form.service_kwargs())
        return self.parent

    def success_message(self, result: Any) -> str:
        return _("Recorded in the dispatch register.")
