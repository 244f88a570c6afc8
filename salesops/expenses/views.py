"""Pages of expense requests (R3), special fees (R5, R6) and dealer collection permits (R2): thin
interfaces over services and selectors."""

import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.errors import ApplicationError
from salesops.core.policy import policy
from salesops.core.views_generic import ExportView, FormPage, ListedView, ListPage
from salesops.workflow.pages import Column, DocumentDetailPage, DocumentFormPage, DocumentListPage

from . import selectors, services
from .forms import ExpenseForm, PaymentForm, PermitForm, SpecialFeeForm
from .permissions import PAYERS, PERMIT_READERS, RAISERS, READERS


def _can_create(user) -> bool:
    return user.has_role(*RAISERS)


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
class ExpenseExportView(ExportView):
    """The filtered list as an Excel workbook (the same scope and filters as the page)."""

    export_kind = "expenses"


@policy(*READERS)
class ExpenseDetailView(DocumentDetailPage):
    template_name = "expenses/expense_detail.html"
    get_for = staticmethod(selectors.expense_get_for)
    fields = ("owner", "branch", "category", "customer", "amount", "planned_on", "incurred_on", "created_at", "purpose")
    list_url_name, list_label = "expenses:expense-list", gettext_lazy("Expense requests")
    edit_url_name = "expenses:expense-update"


@policy(*RAISERS)
class ExpenseFormView(DocumentFormPage):
    get_for = staticmethod(selectors.expense_get_for)
    form_class = ExpenseForm
    create = staticmethod(services.expense_create)
    update = staticmethod(services.expense_update)
    doc_arg = "expense"
    list_url_name, list_label = "expenses:expense-list", gettext_lazy("Expense requests")
    new_title = gettext_lazy("New expense request")
    intro = gettext_lazy(
        "Agree a sales expense with your manager before you spend it (R3). One already spent can still be "
        "recorded, and is marked as a breach."
    )
    testid = "expense-form"


# --- special fees -----------------------------------------------------------------------------


@policy(*READERS)
class SpecialFeeListView(DocumentListPage):
    select = staticmethod(selectors.special_fee_list)
    listing_for = staticmethod(selectors.special_fee_listing)
    title = gettext_lazy("Special fees")
    subtitle = gettext_lazy("manager's consent (R5), paid only on leadership's instruction (R6)")
    columns = (
        Column("number", gettext_lazy("Number"), "number", "number"),
        Column("created_at", gettext_lazy("Created"), "created", "date"),
        Column("customer.name", gettext_lazy("Customer"), "customer"),
        Column("kind", gettext_lazy("Fee kind"), "kind"),
        Column("owner", gettext_lazy("Owner"), "owner"),
        Column("branch.name", gettext_lazy("Branch")),
        Column("amount", gettext_lazy("Amount"), "amount", "money"),
        Column("state", gettext_lazy("State"), "state", "state"),
    )
    create_url_name, create_label, create_testid = (
        "expenses:specialfee-create",
        gettext_lazy("New special fee"),
        "new-fee",
    )
    creators = RAISERS
    empty_text = gettext_lazy("No special fees match.")

    def summary(self, filtered) -> list[dict[str, Any]]:
        totals = selectors.totals_of(filtered)
        return [
            {"label": _("Filtered fees"), "value": totals["count"], "testid": "total-count"},
            {"label": _("Total amount"), "value": totals["amount"], "kind": "money", "testid": "total-amount"},
        ]


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
class SpecialFeeFormView(DocumentFormPage):
    get_for = staticmethod(selectors.special_fee_get_for)
    form_class = SpecialFeeForm
    create = staticmethod(services.special_fee_create)
    update = staticmethod(services.special_fee_update)
    doc_arg = "fee"
    list_url_name, list_label = "expenses:specialfee-list", gettext_lazy("Special fees")
    new_title = gettext_lazy("New special fee")
    intro = gettext_lazy(
        "A special fee for a customer needs your manager's consent (R5) and is paid only after leadership's "
        "instruction (R6)."
    )
    testid = "fee-form"


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


# --- dealer collection permits (R2) -----------------------------------------------------------


@policy(*PERMIT_READERS)
class PermitListView(DocumentListPage):
    template_name = "expenses/permit_list.html"
    select = staticmethod(selectors.permit_list)
    listing_for = staticmethod(selectors.permit_listing)
    title = gettext_lazy("Dealer collection permits")
    subtitle = gettext_lazy("no collecting a dealer's money without permission; remit it promptly (R2)")
    columns = (
        Column("number", gettext_lazy("Number"), "number", "number"),
        Column("created_at", gettext_lazy("Created"), "created", "date"),
        Column("customer.name", gettext_lazy("Dealer"), "customer"),
        Column("owner", gettext_lazy("Owner"), "owner"),
        Column("method", gettext_lazy("Collected as")),
        Column("valid_from", gettext_lazy("Valid from"), "from", "date"),
        Column("valid_until", gettext_lazy("Valid until"), "until", "date"),
        Column("limit_amount", gettext_lazy("Amount limit"), "amount", "money"),
        Column("state", gettext_lazy("State"), "state", "state"),
    )
    create_url_name, create_label, create_testid = (
        "expenses:permit-create",
        gettext_lazy("New collection permit"),
        "new-permit",
    )
    creators = RAISERS
    empty_text = gettext_lazy("No collection permits match.")

    def summary(self, filtered) -> list[dict[str, Any]]:
        totals = selectors.permit_totals(filtered)
        return [
            {"label": _("Filtered permits"), "value": totals["count"], "testid": "total-count"},
            {"label": _("Total of the limits"), "value": totals["amount"], "kind": "money", "testid": "total-amount"},
        ]

    def badges(self, row) -> list[tuple[Any, str]]:
        return [(_("Expired"), "bg-secondary")] if row.is_expired else []

    def extra_context(self, result: dict[str, Any]) -> dict[str, Any]:
        # The toolbar's date box shows the day filtered on (the listing kept it only when it is a date).
        return {"valid_on": result["keep"].get(selectors.VALID_ON_PARAM, "")}


@policy(*PERMIT_READERS)
class PermitDetailView(DocumentDetailPage):
    template_name = "expenses/permit_detail.html"
    get_for = staticmethod(selectors.permit_get_for)
    fields = (
        "owner",
        "branch",
        "customer",
        "limit_amount",
        "method",
        "valid_from",
        "valid_until",
        "remit_working_days",
        "approved_at",
        "closed_at",
        "created_at",
        "reason",
    )
    list_url_name, list_label = "expenses:permit-list", gettext_lazy("Dealer collection permits")
    edit_url_name = "expenses:permit-update"
    context_name = "permit"


@policy(*RAISERS)
class PermitFormView(DocumentFormPage):
    get_for = staticmethod(selectors.permit_get_for)
    form_class = PermitForm
    create = staticmethod(services.permit_create)
    update = staticmethod(services.permit_update)
    doc_arg = "permit"
    list_url_name, list_label = "expenses:permit-list", gettext_lazy("Dealer collection permits")
    new_title = gettext_lazy("New dealer collection permit")
    intro = gettext_lazy(
        "A salesperson collects no money from a dealer without permission (R2). Ask your manager's leave for "
        "the special case, before you collect; remit what you collect to the company promptly."
    )
    testid = "permit-form"
