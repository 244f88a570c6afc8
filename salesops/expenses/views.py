"""Pages of expense requests (R3) and special fees (R5, R6): thin interfaces over services and selectors."""

import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.errors import ApplicationError
from salesops.core.policy import policy
from salesops.core.views_generic import ExportView, FormPage, ListedView, ListPage
from salesops.workflow.flows import Flow
from salesops.workflow.pages import DocumentDetailPage

from . import exports, selectors, services
from .forms import ExpenseForm, PaymentForm, SpecialFeeForm
from .permissions import PAYERS, RAISERS, READERS
from .workflows import EXPENSE_FLOW, SPECIAL_FEE_FLOW


def _editable(doc, flow, user) -> bool:
    # Only drives the Edit button; the service re-checks owner, state and version.
    return doc.owner_id == user.pk and doc.state in tuple(flow.editable_states)


def _can_create(user) -> bool:
    return user.has_role(*RAISERS)


class _DocumentFormView(FormPage):
    """Create (no ``pk``) or edit a document. Every refusal of the service is shown on the form
    with its status: 403 for the role, 409 for a stale edit or the wrong state, 422 for bad input."""

    form_errors = (ApplicationError,)
    form_class: Any = None
    flow: Flow
    list_url_name = ""
    saved_message: Any = ""  # with %(number)s
    document: Any = None

    def get_document(self, pk: int) -> Any:
        raise NotImplementedError

    def create(self, form) -> Any:
        raise NotImplementedError

    def update(self, form) -> Any:
        raise NotImplementedError

    def load(self, request: HttpRequest, pk: int | None = None, **kwargs: Any) -> None:
        self.document = self.get_document(pk) if pk else None

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request, **kwargs)
        if self.document is not None and not _editable(self.document, self.flow, request.user):
            messages.error(request, _("This document cannot be edited now."))
            return HttpResponseRedirect(self.document.get_absolute_url())
        return self.render_form(self.make_form())

    def make_form(self, data=None, files=None):
        form = self.form_class(data, user=self.request.user, instance=self.document)
        if data is not None and self.document is not None:
            form.require_version()
        return form

    def perform(self, form) -> Any:
        return self.create(form) if self.document is None else self.update(form)

    def success_message(self, result: Any) -> str:
        return str(self.saved_message) % {"number": result.number}

    def cancel_url(self) -> str:
        return self.document.get_absolute_url() if self.document else reverse(self.list_url_name)

    def context(self) -> dict[str, Any]:
        return {"object": self.document}


# --- expense requests -------------------------------------------------------------------------


class _ExpenseRows(ListedView):
    def rows(self):
        return selectors.expense_list(user=self.request.user)

    def listing(self):
        return selectors.expense_listing(user=self.request.user)


@policy(*READERS)
class ExpenseListView(_ExpenseRows, ListPage):
    template_name = "expenses/expense_list.html"
    partial_name = "expenses/partials/expense_results.html"

    def extra_context(self, result: dict[str, Any]) -> dict[str, Any]:
        filtered = result["page_obj"].paginator.object_list
        return {
            "totals": selectors.totals_of(filtered),
            "chart_option": json.dumps(selectors.expense_chart_option(filtered), ensure_ascii=False),
            "can_create": _can_create(self.request.user),
        }


@policy(*READERS)
class ExpenseExportView(_ExpenseRows, ExportView):
    """The filtered list as an Excel workbook (the same scope and filters as the page)."""

    def export(self, rows) -> HttpResponse:
        return exports.expenses_xlsx(rows)


@policy(*READERS)
class ExpenseDetailView(DocumentDetailPage):
    template_name = "expenses/expense_detail.html"
    get_for = staticmethod(selectors.expense_get_for)
    fields = ("owner", "branch", "category", "customer", "amount", "planned_on", "incurred_on", "created_at", "purpose")
    list_url_name, list_label = "expenses:expense-list", gettext_lazy("Expense requests")
    edit_url_name = "expenses:expense-update"


@policy(*RAISERS)
class ExpenseFormView(_DocumentFormView):
    template_name = "expenses/expense_form.html"
    form_class = ExpenseForm
    flow = EXPENSE_FLOW
    list_url_name = "expenses:expense-list"
    saved_message = gettext_lazy("Expense request %(number)s saved.")

    def get_document(self, pk: int) -> Any:
        return selectors.expense_get_for(user=self.request.user, pk=pk)

    def create(self, form) -> Any:
        return services.expense_create(actor=self.request.user, **form.service_kwargs())

    def update(self, form) -> Any:
        return services.expense_update(
            expense=self.document,
            actor=self.request.user,
            version=form.cleaned_data["version"],
            **form.service_kwargs(),
        )


# --- special fees -----------------------------------------------------------------------------


@policy(*READERS)
class SpecialFeeListView(ListPage):
    template_name = "expenses/specialfee_list.html"
    partial_name = "expenses/partials/specialfee_results.html"

    def rows(self):
        return selectors.special_fee_list(user=self.request.user)

    def listing(self):
        return selectors.special_fee_listing(user=self.request.user)

    def extra_context(self, result: dict[str, Any]) -> dict[str, Any]:
        return {
            "totals": selectors.totals_of(result["page_obj"].paginator.object_list),
            "can_create": _can_create(self.request.user),
        }


@policy(*READERS)
class SpecialFeeDetailView(DocumentDetailPage):
    template_name = "expenses/specialfee_detail.html"
    get_for = staticmethod(selectors.special_fee_get_for)
    fields = (
        "owner",
        "branch",
        "customer",
        "kind",
        "amount",
        "created_at",
        "reason",
        "paid_on",
        "payment_reference",
        "paid_by",
    )
    list_url_name, list_label = "expenses:specialfee-list", gettext_lazy("Special fees")
    edit_url_name = "expenses:specialfee-update"
    form_actions = {"pay": "expenses:specialfee-pay"}


@policy(*RAISERS)
class SpecialFeeFormView(_DocumentFormView):
    template_name = "expenses/specialfee_form.html"
    form_class = SpecialFeeForm
    flow = SPECIAL_FEE_FLOW
    list_url_name = "expenses:specialfee-list"
    saved_message = gettext_lazy("Special fee %(number)s saved.")

    def get_document(self, pk: int) -> Any:
        return selectors.special_fee_get_for(user=self.request.user, pk=pk)

    def create(self, form) -> Any:
        return services.special_fee_create(actor=self.request.user, **form.service_kwargs())

    def update(self, form) -> Any:
        return services.special_fee_update(
            fee=self.document, actor=self.request.user, version=form.cleaned_data["version"], **form.service_kwargs()
        )


@policy(*PAYERS)
class SpecialFeePayView(FormPage):
    """Finance records the payment of an instructed special fee (R6)."""

    template_name = "expenses/specialfee_pay.html"
    form_errors = (ApplicationError,)

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.fee = selectors.special_fee_get_for(user=request.user, pk=pk)

    def make_form(self, data=None, files=None):
        return PaymentForm(data)

    def perform(self, form) -> Any:
        return services.special_fee_record_payment(fee=self.fee, actor=self.request.user, **form.cleaned_data)

    def success_message(self, result: Any) -> str:
        return _("Payment of %(number)s recorded.") % {"number": result.number}

    def cancel_url(self) -> str:
        return self.fee.get_absolute_url()

    def context(self) -> dict[str, Any]:
        return {"fee": self.fee}
