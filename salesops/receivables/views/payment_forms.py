"""The forms of a payment request (W5.2-5.4): the salesperson asks a customer for what is open on
their invoices, and, once the sales manager and finance confirmed it, records how it was sent."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.errors import ApplicationError
from salesops.core.policy import policy
from salesops.core.views_generic import get_or_404

from .. import selectors, services
from ..forms import yuan
from ..forms_payments import PaymentRequestForm, SendForm
from ..models import PaymentRequestState
from ..permissions import OFFICE, REQUESTERS
from ..selectors.open_items import customers_with_open_invoices, open_invoices
from .common import StepFormPage, id_param, invoice_rows, raise_refusal


@policy(*REQUESTERS)
class PaymentRequestCreateView(StepFormPage):
    """A payment request (W5.2): choose the customer, then how much to ask on each open invoice
    (default: all that is open) and the day to pay by."""

    form_class = PaymentRequestForm
    heading = gettext_lazy("New payment request")
    intro = gettext_lazy(
        "Ask the customer for what is open on their invoices, or part of it (blank leaves an invoice out). The "
        "sales manager and finance confirm the request before it goes to the customer (W5.3)."
    )
    submit_label = gettext_lazy("Save the draft")
    testid = "payment-request-form"
    list_url_name, list_label = "receivables:paymentrequest-list", gettext_lazy("Payment requests")
    customer_template = "receivables/forms/payment_customer.html"

    def load(self, request: HttpRequest, **kwargs: Any) -> None:
        if hasattr(self, "invoices"):
            return  # post() loads before FormPage.post asks again
        self.parent, self.customer, self.invoices, self.refusal = None, None, [], ""
        self.customer_id = id_param(request, "customer")
        if self.customer_id is None:
            return
        try:
            self.invoices = open_invoices(user=request.user, customer_id=self.customer_id)
        except ApplicationError as exc:
            raise_refusal(exc)
            self.refusal = exc.message
            return
        if self.invoices:
            self.customer = self.invoices[0].invoice.customer
        else:
            self.refusal = _("This customer has no open invoice to ask payment for.")

    def _picker(self, request: HttpRequest, status: int = 200) -> HttpResponse:
        if self.refusal:
            messages.error(request, self.refusal)
        context = {"customers": customers_with_open_invoices(user=request.user), "heading": self.heading}
        return render(request, self.customer_template, context, status=status)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request)
        if self.customer is None:
            return self._picker(request)
        return self.render_form(self.make_form())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request)
        if self.customer is None:
            return self._picker(request, status=409 if self.refusal else 200)
        return super().post(request, **kwargs)

    def form_kwargs(self) -> dict[str, Any]:
        return {"rows": invoice_rows(self.invoices, ask_all=True)}

    def perform(self, form) -> Any:
        return services.payment_request_create(
            actor=self.request.user, customer_id=self.customer.pk, **form.service_kwargs()
        )

    def success_message(self, result: Any) -> str:
        return _("Payment request %(number)s drafted (%(amount)s): submit it for confirmation.") % {
            "number": result.number,
            "amount": yuan(result.total_amount),
        }

    def cancel_url(self) -> str:
        return reverse(self.list_url_name)

    def extra(self) -> dict[str, Any]:
        return {"customer": self.customer, "source_param": "customer", "source_id": self.customer_id}


@policy(*REQUESTERS, *OFFICE)
class PaymentRequestSendView(StepFormPage):
    """Record that the confirmed request went to the customer (W5.4): how, and to whom."""

    form_class = SendForm
    heading = gettext_lazy("Sent to the customer")
    intro = gettext_lazy("Print the stamped request, send it, then record here how and to whom it went.")
    submit_label = gettext_lazy("Record the sending")
    testid = "send-form"
    list_url_name, list_label = "receivables:paymentrequest-list", gettext_lazy("Payment requests")

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.parent = get_or_404(selectors.payment_request_get_for, user=request.user, pk=pk)

    def unavailable(self) -> str:
        if self.parent.state != PaymentRequestState.APPROVED:
            return _("Only a confirmed request not yet sent is sent.")
        return ""

    def form_kwargs(self) -> dict[str, Any]:
        customer = self.parent.customer
        return {"initial": {"method": "email", "sent_to": getattr(customer, "contact_name", "") or ""}}

    def perform(self, form) -> Any:
        return services.payment_request_send(request=self.parent, actor=self.request.user, **form.service_kwargs())

    def success_message(self, result: Any) -> str:
        return _("%(number)s is recorded as sent.") % {"number": result.number}
