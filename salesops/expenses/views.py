"""Pages of expense requests (R3) and special fees (R5, R6): thin interfaces over services and selectors."""

import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from salesops.core.errors import ApplicationError
from salesops.core.forms import apply_error
from salesops.core.policy import policy
from salesops.workflow.selectors import document_panel

from . import exports, selectors, services
from .forms import ExpenseForm, PaymentForm, SpecialFeeForm
from .models import ExpenseRequest, SpecialFee, SpecialFeeState
from .permissions import PAYERS, RAISERS, READERS
from .workflows import EXPENSE_FLOW, SPECIAL_FEE_FLOW


def _editable(doc, flow, user) -> bool:
    # Only drives the Edit button; the service re-checks owner, state and version.
    return doc.owner_id == user.pk and doc.state in tuple(flow.editable_states)


def _status(form, error: ApplicationError | None = None) -> int:
    """The answer's status for a re-shown form: the service error's (403, 409 stale, 422), else 422."""
    if error is not None:
        return error.status
    return 422 if form.is_bound and form.errors else 200


# --- expense requests -------------------------------------------------------------------------


@policy(*READERS)
class ExpenseListView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        listing = selectors.expense_listing(user=request.user)
        result = listing.apply(selectors.expense_list(user=request.user), request.GET)
        filtered = result["page_obj"].paginator.object_list
        context = {
            **result,
            "totals": selectors.totals_of(filtered),
            "chart_option": json.dumps(selectors.expense_chart_option(filtered), ensure_ascii=False),
            "can_create": bool(request.user.roles & set(RAISERS)),
        }
        return render(request, "expenses/expense_list.html", context)


@policy(*READERS)
class ExpenseExportView(View):
    """The filtered list as an Excel workbook (the same scope and filters as the page)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        listing = selectors.expense_listing(user=request.user)
        result = listing.apply(selectors.expense_list(user=request.user), request.GET)
        return exports.expenses_xlsx(result["page_obj"].paginator.object_list)


@policy(*READERS)
class ExpenseDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        expense = selectors.expense_get_for(user=request.user, pk=pk)
        context = {
            **document_panel(expense, user=request.user),
            "expense": expense,
            "can_edit": _editable(expense, EXPENSE_FLOW, request.user),
        }
        return render(request, "expenses/expense_detail.html", context)


@policy(*RAISERS)
class ExpenseCreateView(View):
    template_name = "expenses/expense_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": ExpenseForm(user=request.user)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ExpenseForm(request.POST, user=request.user)
        error = None
        if form.is_valid():
            try:
                expense = services.expense_create(actor=request.user, **form.service_kwargs())
            except ApplicationError as exc:
                apply_error(form, exc)
                error = exc
            else:
                messages.success(request, _("Expense request %(number)s saved.") % {"number": expense.number})
                return HttpResponseRedirect(expense.get_absolute_url())
        return render(request, self.template_name, {"form": form}, status=_status(form, error))


@policy(*RAISERS)
class ExpenseUpdateView(View):
    template_name = "expenses/expense_form.html"

    def _context(self, form, expense: ExpenseRequest) -> dict[str, Any]:
        return {"form": form, "object": expense}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        expense = selectors.expense_get_for(user=request.user, pk=pk)
        if not _editable(expense, EXPENSE_FLOW, request.user):
            messages.error(request, _("This document cannot be edited now."))
            return HttpResponseRedirect(expense.get_absolute_url())
        form = ExpenseForm(user=request.user, instance=expense)
        return render(request, self.template_name, self._context(form, expense))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        expense = selectors.expense_get_for(user=request.user, pk=pk)
        form = ExpenseForm(request.POST, user=request.user, instance=expense)
        form.require_version()
        error = None
        if form.is_valid():
            try:
                expense = services.expense_update(
                    expense=expense,
                    actor=request.user,
                    version=form.cleaned_data["version"],
                    **form.service_kwargs(),
                )
            except ApplicationError as exc:
                apply_error(form, exc)
                error = exc
            else:
                messages.success(request, _("Expense request %(number)s saved.") % {"number": expense.number})
                return HttpResponseRedirect(expense.get_absolute_url())
        return render(request, self.template_name, self._context(form, expense), status=_status(form, error))


# --- special fees -----------------------------------------------------------------------------


@policy(*READERS)
class SpecialFeeListView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        listing = selectors.special_fee_listing(user=request.user)
        result = listing.apply(selectors.special_fee_list(user=request.user), request.GET)
        context = {
            **result,
            "totals": selectors.totals_of(result["page_obj"].paginator.object_list),
            "can_create": bool(request.user.roles & set(RAISERS)),
        }
        return render(request, "expenses/specialfee_list.html", context)


@policy(*READERS)
class SpecialFeeDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        fee = selectors.special_fee_get_for(user=request.user, pk=pk)
        panel = document_panel(fee, user=request.user)
        context = {
            **panel,
            "fee": fee,
            "can_edit": _editable(fee, SPECIAL_FEE_FLOW, request.user),
            "can_pay": fee.state == SpecialFeeState.APPROVED and bool(request.user.roles & set(PAYERS)),
        }
        return render(request, "expenses/specialfee_detail.html", context)


@policy(*RAISERS)
class SpecialFeeCreateView(View):
    template_name = "expenses/specialfee_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": SpecialFeeForm(user=request.user)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SpecialFeeForm(request.POST, user=request.user)
        error = None
        if form.is_valid():
            try:
                fee = services.special_fee_create(actor=request.user, **form.service_kwargs())
            except ApplicationError as exc:
                apply_error(form, exc)
                error = exc
            else:
                messages.success(request, _("Special fee %(number)s saved.") % {"number": fee.number})
                return HttpResponseRedirect(fee.get_absolute_url())
        return render(request, self.template_name, {"form": form}, status=_status(form, error))


@policy(*RAISERS)
class SpecialFeeUpdateView(View):
    template_name = "expenses/specialfee_form.html"

    def _context(self, form, fee: SpecialFee) -> dict[str, Any]:
        return {"form": form, "object": fee}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        fee = selectors.special_fee_get_for(user=request.user, pk=pk)
        if not _editable(fee, SPECIAL_FEE_FLOW, request.user):
            messages.error(request, _("This document cannot be edited now."))
            return HttpResponseRedirect(fee.get_absolute_url())
        return render(request, self.template_name, self._context(SpecialFeeForm(user=request.user, instance=fee), fee))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        fee = selectors.special_fee_get_for(user=request.user, pk=pk)
        form = SpecialFeeForm(request.POST, user=request.user, instance=fee)
        form.require_version()
        error = None
        if form.is_valid():
            try:
                fee = services.special_fee_update(
                    fee=fee, actor=request.user, version=form.cleaned_data["version"], **form.service_kwargs()
                )
            except ApplicationError as exc:
                apply_error(form, exc)
                error = exc
            else:
                messages.success(request, _("Special fee %(number)s saved.") % {"number": fee.number})
                return HttpResponseRedirect(fee.get_absolute_url())
        return render(request, self.template_name, self._context(form, fee), status=_status(form, error))


@policy(*PAYERS)
class SpecialFeePayView(View):
    """Finance records the payment of an instructed special fee (R6)."""

    template_name = "expenses/specialfee_pay.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        fee = selectors.special_fee_get_for(user=request.user, pk=pk)
        return render(request, self.template_name, {"form": PaymentForm(), "fee": fee})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        fee = selectors.special_fee_get_for(user=request.user, pk=pk)
        form = PaymentForm(request.POST)
        error = None
        if form.is_valid():
            try:
                fee = services.special_fee_record_payment(fee=fee, actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                apply_error(form, exc)
                error = exc
            else:
                messages.success(request, _("Payment of %(number)s recorded.") % {"number": fee.number})
                return HttpResponseRedirect(fee.get_absolute_url())
        return render(request, self.template_name, {"form": form, "fee": fee}, status=_status(form, error))
