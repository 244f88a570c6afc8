"""The forms of W5.5 receipts, all finance's: record the money a customer paid (allocated oldest
invoice first, or left for later), allocate what is left of a receipt, reverse an allocation with
its reason."""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.policy import policy
from salesops.core.views_generic import get_or_404

from .. import selectors, services
from ..forms import yuan
from ..forms_receipts import AllocateForm, ReceiptForm, ReverseForm
from ..models import Allocation, Receipt, ReceiptBalance, ReceiptState
from ..permissions import FINANCE
from ..selectors.open_items import open_invoices
from .common import StepFormPage, id_param, invoice_rows


@policy(*FINANCE)
class ReceiptRecordView(StepFormPage):
    """Record a receipt (W5.5): the customer, the day, how, how much; allocated at once to the
    customer's open invoices, oldest first, or left unallocated."""

    form_class = ReceiptForm
    heading = gettext_lazy("Record a receipt")
    intro = gettext_lazy(
        "Record the money as it arrived. Allocated oldest invoice first, what is left stays on the receipt as "
        "the customer's credit, to allocate later."
    )
    submit_label = gettext_lazy("Record the receipt")
    testid = "receipt-form"
    list_url_name, list_label = "receivables:receipt-list", gettext_lazy("Receipts")

    def load(self, request: HttpRequest, **kwargs: Any) -> None:
        self.parent = None

    def form_kwargs(self) -> dict[str, Any]:
        customer = id_param(self.request, "customer")
        return {"user": self.request.user, "initial": {"customer": customer} if customer else {}}

    def perform(self, form) -> Any:
        return services.receipt_record(actor=self.request.user, **form.service_kwargs())

    def success_message(self, result: Any) -> str:
        left = ReceiptBalance.objects.get(pk=result.pk).unallocated
        if left:
            return _("Receipt %(number)s recorded; %(left)s is not allocated yet.") % {
                "number": result.number,
                "left": yuan(left),
            }
        return _("Receipt %(number)s recorded and allocated.") % {"number": result.number}


@policy(*FINANCE)
class ReceiptAllocateView(StepFormPage):
    """Allocate what is left of a receipt: to the customer's open invoices oldest first, or to the
    invoices chosen, an amount each."""

    form_class = AllocateForm
    heading = gettext_lazy("Allocate the receipt")
    intro = gettext_lazy("Allocate oldest invoice first, or give an amount for each invoice this money pays.")
    submit_label = gettext_lazy("Allocate the amounts given")
    testid = "allocate-form"
    list_url_name, list_label = "receivables:receipt-list", gettext_lazy("Receipts")
    template_name = "receivables/forms/allocate.html"

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.parent = get_or_404(selectors.receipt_get_for, user=request.user, pk=pk)
        self.invoices = open_invoices(user=request.user, customer_id=self.parent.customer_id)

    def unavailable(self) -> str:
        if self.parent.state != ReceiptState.RECORDED or self.parent.balance.unallocated <= 0:
            return _("Nothing of this receipt is left to allocate.")
        if not self.invoices:
            return _("The customer has no open invoice to allocate to.")
        return ""

    def form_kwargs(self) -> dict[str, Any]:
        return {"rows": invoice_rows(self.invoices)}

    def perform(self, form) -> Any:
        return services.receipt_allocate(actor=self.request.user, receipt=self.parent, **form.service_kwargs())

    def success_url(self, result: Any) -> str:
        return self.parent.get_absolute_url()

    def success_message(self, result: Any) -> str:
        left = ReceiptBalance.objects.get(pk=self.parent.pk).unallocated
        return _("Allocated; %(left)s of the receipt is left.") % {"left": yuan(left)}

    def extra(self) -> dict[str, Any]:
        return {"balance": self.parent.balance}


@policy(*FINANCE)
class AllocationReverseView(StepFormPage):
    """Undo a wrong allocation with the reason (never deleted): its amount is open again on the
    invoice and unallocated on the receipt."""

    form_class = ReverseForm
    heading = gettext_lazy("Reverse the allocation")
    intro = gettext_lazy("The allocation stays on record, struck through with your reason.")
    submit_label = gettext_lazy("Reverse the allocation")
    testid = "reverse-form"
    list_url_name, list_label = "receivables:receipt-list", gettext_lazy("Receipts")
    aside_template = "receivables/includes/allocation_aside.html"

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        visible = Receipt.objects.visible_to(request.user)
        found = (
            Allocation.objects.select_related("receipt__customer", "invoice", "order__contract", "order__phone_order")
            .filter(pk=pk, receipt__in=visible)
            .first()
        )
        if found is None:
            raise Http404(_("Allocation not found."))
        self.allocation, self.parent = found, found.receipt

    def unavailable(self) -> str:
        return _("This allocation was already reversed.") if self.allocation.is_reversed else ""

    def perform(self, form) -> Any:
        return services.allocation_reverse(
            actor=self.request.user, allocation_id=self.allocation.pk, reason=form.cleaned_data["reason"]
        )

    def success_url(self, result: Any) -> str:
        return self.parent.get_absolute_url()

    def success_message(self, result: Any) -> str:
        return _("Allocation reversed.")

    def extra(self) -> dict[str, Any]:
        return {"allocation": self.allocation}
