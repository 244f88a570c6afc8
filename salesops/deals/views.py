"""Pages of the deals (W2, W3, R4, R15): thin interfaces over the deals services and selectors.

Every document page shows the kernel's panel (its buttons call the same services through the
registry: bid, decline, instruct, submit, approve, issue, confirm, archive); the steps that need
more than a comment (support answers, outcomes, negotiation notes, signing) have their own forms.
"""

import datetime
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from salesops.core import excel
from salesops.core.errors import ApplicationError, Forbidden, InvalidInput, NotFound
from salesops.core.forms import apply_error
from salesops.core.listing import Filter, Listing
from salesops.core.pdf import pdf_response
from salesops.core.policy import policy
from salesops.core.views_generic import FormPage, ListPage, get_or_404
from salesops.org.models import Branch, User
from salesops.org.roles import Role
from salesops.workflow.selectors import document_panel

from . import forms
from .choices import ContractState, InquiryState, PhoneOrderState, QuotationState, SupportKind, SupportState
from .deviations import side_by_side
from .selectors import contracts as contract_selectors
from .selectors import inquiries as inquiry_selectors
from .selectors import orders as order_selectors
from .selectors import pipeline as pipeline_selectors
from .selectors import quotations as quotation_selectors
from .selectors import register as register_selectors
from .services import contracts as contract_services
from .services import inquiries as inquiry_services
from .services import negotiations as negotiation_services
from .services import orders as order_services
from .services import quotations as quotation_services
from .services import register as register_services
from .workflows import MANAGERS

# Who opens which pages (the rows each sees come from ``visible_to``).
RAISERS = (Role.SALESPERSON, Role.SALES_MANAGER, Role.BRANCH_MANAGER)
SALES_READERS = (*RAISERS, Role.LEADERSHIP, Role.ADMIN)
CONTRACT_READERS = (*SALES_READERS, Role.BACK_OFFICE)
SUPPORT_READERS = (*SALES_READERS, Role.TECHNICAL, Role.PURCHASING)
ANSWERERS = (Role.TECHNICAL, Role.PURCHASING)
REGISTER_READERS = register_selectors.REGISTER_READERS
REGISTER_KEEPERS = register_selectors.REGISTER_KEEPERS


def _has(user, roles) -> bool:
    return bool(user.roles & set(roles))


def _editable(doc, user, states) -> bool:
    # Only drives the Edit button; the service re-checks owner, state and version.
    return doc.owner_id == user.pk and doc.state in states


def _run(request: HttpRequest, call, done: str) -> bool:
    """Call a button's service; its refusal becomes a message (403/404 pages for scope)."""
    try:
        call()
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, done)
    return True


class _LinesFormPage(FormPage):
    """A form with product lines: a service error on ``lines.<i>.<field>`` lands on its row."""

    form_errors = (ApplicationError,)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request, **kwargs)
        form = self.make_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form, status=422)
        try:
            result = self.perform(form)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except ApplicationError as exc:
            apply_error(form, form.line_errors(exc) if isinstance(exc, InvalidInput) else exc)
            return self.render_form(form, status=exc.status)
        messages.success(request, self.success_message(result))
        return HttpResponseRedirect(self.success_url(result))

    def success_message(self, result: Any) -> str:
        return _("%(number)s saved.") % {"number": result.number}


# --- inquiries (W2.1) -------------------------------------------------------------------------


@policy(*SALES_READERS)
class InquiryListView(ListPage):
    template_name = "deals/inquiry_list.html"
    partial_name = "deals/partials/inquiry_results.html"

    def rows(self):
        rows = inquiry_selectors.inquiry_list(user=self.request.user)
        owner = self.request.GET.get("owner", "")
        return rows.filter(owner_id=owner) if owner.isdigit() else rows

    def listing(self):
        return inquiry_selectors.inquiry_listing()

    def extra_context(self, result: dict[str, Any]) -> dict[str, Any]:
        visible = inquiry_selectors.inquiry_list(user=self.request.user)
        owners = User.objects.filter(pk__in=visible.values("owner_id")).order_by("username")
        return {
            "can_create": _has(self.request.user, RAISERS),
            "owners": owners if _has(self.request.user, (*MANAGERS, Role.LEADERSHIP, Role.ADMIN)) else (),
            "owner": self.request.GET.get("owner", ""),
        }


@policy(*SALES_READERS)
class InquiryDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = request.user
        inquiry = get_or_404(inquiry_selectors.inquiry_get_for, user=user, pk=pk)
        supports = inquiry_selectors.support_requests_for_inquiry(user=user, inquiry_id=inquiry.pk)
        open_states = inquiry_services.OPEN_INQUIRY_STATES
        can_ask = inquiry.state in open_states and (inquiry.owner_id == user.pk or _has(user, MANAGERS))
        context = {
            **document_panel(inquiry, user=user),
            "inquiry": inquiry,
            "supports": supports,
            "quotations": quotation_selectors.quotation_list(user=user).filter(inquiry=inquiry).order_by("pk"),
            "can_edit": _editable(inquiry, user, (InquiryState.REPORTED,)),
            "can_quote": inquiry.state == InquiryState.BIDDING and _has(user, RAISERS),
            "can_ask": can_ask,
            "can_waive": _has(user, MANAGERS),
            "support_form": forms.SupportRequestForm() if can_ask else None,
            "waive_form": forms.WaiveForm(),
        }
        return render(request, "deals/inquiry_detail.html", context)


@policy(*RAISERS)
class InquiryFormView(_LinesFormPage):
    template_name = "deals/inquiry_form.html"
    document: Any = None

    def load(self, request: HttpRequest, pk: int | None = None, **kwargs: Any) -> None:
        self.document = get_or_404(inquiry_selectors.inquiry_get_for, user=request.user, pk=pk) if pk else None

    def make_form(self, data=None, files=None):
        initial = None
        doc = self.document
        if doc is not None:
            initial = {
                "customer": doc.customer_id,
                "kind": doc.kind,
                "source": doc.source,
                "title": doc.title,
                "description": doc.description,
                "deadline_on": doc.deadline_on,
                "estimated_amount": doc.estimated_amount,
                "is_flagged_major": doc.is_flagged_major,
                "version": doc.version,
                **forms.InquiryForm.line_initial(doc.lines.all()),
            }
        form = forms.InquiryForm(data, user=self.request.user, initial=initial)
        if data is not None and doc is not None:
            form.require_version()
        return form

    def perform(self, form) -> Any:
        kwargs = form.service_kwargs()
        if self.document is None:
            return inquiry_services.inquiry_create(actor=self.request.user, **kwargs)
        kwargs.pop("is_flagged_major", None)
        return inquiry_services.inquiry_update(
            inquiry=self.document, actor=self.request.user, version=form.cleaned_data["version"], **kwargs
        )

    def cancel_url(self) -> str:
        return self.document.get_absolute_url() if self.document else reverse("deals:inquiry-list")

    def context(self) -> dict[str, Any]:
        return {"object": self.document}


@policy(*RAISERS)
class SupportRequestCreateView(FormPage):
    """Ask technical or purchasing for help with an open inquiry (W2.3-4)."""

    template_name = "deals/simple_form.html"
    form_errors = (InvalidInput, ApplicationError)

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.inquiry = get_or_404(inquiry_selectors.inquiry_get_for, user=request.user, pk=pk)
        self.title = _("Ask for support on %(number)s") % {"number": self.inquiry.number}

    def make_form(self, data=None, files=None):
        return forms.SupportRequestForm(data)

    def perform(self, form) -> Any:
        return inquiry_services.support_request_create(
            actor=self.request.user, inquiry=self.inquiry, **form.cleaned_data
        )

    def success_url(self, result: Any) -> str:
        return self.inquiry.get_absolute_url()

    def success_message(self, result: Any) -> str:
        return _("Support requested.")

    def cancel_url(self) -> str:
        return self.inquiry.get_absolute_url()

    def context(self) -> dict[str, Any]:
        return {"parent": self.inquiry}


# --- support requests (W2.3-4) ----------------------------------------------------------------


# Search, filters and sort keys of the support request list.
# TODO(integrator): belongs in selectors/inquiries.py beside ``support_request_list`` (not this helper's file).
SUPPORT_LISTING = Listing(
    search_fields=("inquiry__number", "inquiry__customer__name", "inquiry__title", "question"),
    orderings={"due": "due_on", "created": "created_at", "state": "state", "kind": "kind"},
    default_ordering="due",
    filters=(
        Filter("state", "state", gettext_lazy("State"), list(SupportState.choices)),
        Filter("kind", "kind", gettext_lazy("Addressed to"), list(SupportKind.choices)),
    ),
)


@policy(*SUPPORT_READERS)
class SupportRequestListView(ListPage):
    """Technical and purchasing see the requests addressed to them; the rest those of their inquiries."""

    template_name = "deals/supportrequest_list.html"
    partial_name = "deals/partials/supportrequest_results.html"

    def rows(self):
        return inquiry_selectors.support_request_list(user=self.request.user)

    def listing(self):
        return SUPPORT_LISTING


@policy(*SUPPORT_READERS)
class SupportRequestDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(request, pk)

    def page(self, request, pk, *, answer_form=None, waive_form=None, status=200) -> HttpResponse:
        support = get_or_404(inquiry_selectors.support_request_get_for, user=request.user, pk=pk)
        is_open = support.state == SupportState.OPEN
        context = {
            "support": support,
            "lines": support.inquiry.lines.select_related("product").order_by("pk"),
            "answer_form": answer_form or forms.AnswerForm() if is_open and _has(request.user, ANSWERERS) else None,
            "waive_form": waive_form or forms.WaiveForm() if is_open and _has(request.user, MANAGERS) else None,
        }
        return render(request, "deals/supportrequest_detail.html", context, status=status)


class _SupportAction(SupportRequestDetailView):
    form_class: Any = None
    form_key = ""

    def call(self, support, form):
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        support = get_or_404(inquiry_selectors.support_request_get_for, user=request.user, pk=pk)
        form = self.form_class(request.POST)
        if not form.is_valid():
            return self.page(request, pk, status=422, **{self.form_key: form})
        try:
            self.call(support, form)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            apply_error(form, exc)
            return self.page(request, pk, status=exc.status, **{self.form_key: form})
        messages.success(request, _("Saved."))
        back = request.POST.get("next", "")
        return HttpResponseRedirect(back if back.startswith("/") and not back.startswith("//") else request.path)


@policy(*ANSWERERS)
class SupportRequestAnswerView(_SupportAction):
    form_class = forms.AnswerForm
    form_key = "answer_form"

    def call(self, support, form):
        inquiry_services.support_request_answer(
            actor=self.request.user, support_request=support, answer=form.cleaned_data["answer"]
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return HttpResponseRedirect(reverse("deals:supportrequest-detail", args=[pk]))


@policy(*MANAGERS)
class SupportRequestWaiveView(_SupportAction):
    form_class = forms.WaiveForm
    form_key = "waive_form"

    def call(self, support, form):
        inquiry_services.support_request_waive(
            actor=self.request.user, support_request=support, reason=form.cleaned_data["reason"]
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return HttpResponseRedirect(reverse("deals:supportrequest-detail", args=[pk]))


# --- quotations (W2.5-6, R4, W3.1-2) ------------------------------------------------------------


@policy(*SALES_READERS)
class QuotationListView(ListPage):
    template_name = "deals/quotation_list.html"
    partial_name = "deals/partials/quotation_results.html"

    def rows(self):
        return quotation_selectors.quotation_list(user=self.request.user)

    def listing(self):
        return quotation_selectors.quotation_listing()


@policy(*SALES_READERS)
class QuotationDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = request.user
        quotation = get_or_404(quotation_selectors.quotation_get_for, user=user, pk=pk)
        owner_or_manager = quotation.owner_id == user.pk or _has(user, MANAGERS)
        issued = quotation.state == QuotationState.ISSUED
        context = {
            **document_panel(quotation, user=user),
            "quotation": quotation,
            "revisions": quotation_selectors.quotation_revisions(user=user, quotation=quotation),
            "notes": quotation_selectors.negotiation_notes_for(user=user, quotation=quotation),
            "contracts": contract_selectors.contract_list(user=user).filter(quotation=quotation).order_by("pk"),
            "can_edit": _editable(quotation, user, (QuotationState.DRAFT, QuotationState.REJECTED)),
            "can_note": quotation.owner_id == user.pk and quotation.state in negotiation_services.NEGOTIABLE_STATES,
            "note_form": forms.NegotiationNoteForm(),
            "can_outcome": issued and owner_or_manager,
            "can_withdraw": quotation.state in (QuotationState.APPROVED, QuotationState.ISSUED) and owner_or_manager,
            "can_revise": quotation.owner_id == user.pk and quotation.state in (QuotationState.ISSUED,),
            "can_contract": quotation.state in (QuotationState.ISSUED, QuotationState.WON) and _has(user, RAISERS),
        }
        return render(request, "deals/quotation_detail.html", context)


@policy(*RAISERS)
class QuotationFormView(_LinesFormPage):
    """Draft a quotation from an inquiry in bidding (``?inquiry=<pk>``), or edit a draft."""

    template_name = "deals/quotation_form.html"
    document: Any = None
    inquiry: Any = None

    def load(self, request: HttpRequest, pk: int | None = None, **kwargs: Any) -> None:
        user = request.user
        if pk:
            self.document = get_or_404(quotation_selectors.quotation_get_for, user=user, pk=pk)
            return
        inquiry_pk = request.GET.get("inquiry", "")
        if not inquiry_pk.isdigit():
            raise Http404(_("Quote from an inquiry."))
        self.inquiry = get_or_404(inquiry_selectors.inquiry_get_for, user=user, pk=int(inquiry_pk))

    def make_form(self, data=None, files=None):
        initial = None
        if self.document is None and self.inquiry is not None:
            lines = list(self.inquiry.lines.all())
            initial = {
                "valid_until": timezone.localdate() + datetime.timedelta(days=30),
                **forms.QuotationForm.line_initial(lines),
            }
            for n, line in enumerate(lines[: forms.LINE_ROWS], start=1):
                initial[f"unit_price_{n}"] = line.product.standard_price
        form = forms.QuotationForm(data, instance=self.document, **({"initial": initial} if initial else {}))
        if data is not None and self.document is not None:
            form.require_version()
        return form

    def perform(self, form) -> Any:
        if self.document is None:
            return quotation_services.quotation_create(
                actor=self.request.user, inquiry_id=self.inquiry.pk, **form.service_kwargs()
            )
        return quotation_services.quotation_update(
            quotation=self.document,
            actor=self.request.user,
            version=form.cleaned_data["version"],
            **form.service_kwargs(),
        )

    def cancel_url(self) -> str:
        return (self.document or self.inquiry).get_absolute_url()

    def context(self) -> dict[str, Any]:
        return {"object": self.document, "inquiry": self.inquiry or (self.document and self.document.inquiry)}


class _QuotationFormPage(FormPage):
    """One of the quotation's own forms (a negotiation note, an outcome)."""

    template_name = "deals/simple_form.html"
    form_errors = (InvalidInput, ApplicationError)
    form_class: Any = None
    heading = ""

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.quotation = get_or_404(quotation_selectors.quotation_get_for, user=request.user, pk=pk)
        self.title = f"{self.heading} {self.quotation.number}"

    def make_form(self, data=None, files=None):
        return self.form_class(data)

    def success_url(self, result: Any) -> str:
        return self.quotation.get_absolute_url()

    def cancel_url(self) -> str:
        return self.quotation.get_absolute_url()

    def context(self) -> dict[str, Any]:
        return {"parent": self.quotation}


@policy(*RAISERS)
class NegotiationNoteAddView(_QuotationFormPage):
    form_class = forms.NegotiationNoteForm

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Negotiation note")

    def perform(self, form) -> Any:
        return negotiation_services.negotiation_note_add(
            actor=self.request.user, quotation=self.quotation, **form.cleaned_data
        )

    def success_message(self, result: Any) -> str:
        return _("Negotiation note added.")


@policy(*RAISERS)
class QuotationWonView(_QuotationFormPage):
    form_class = forms.WonForm

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Record won")

    def perform(self, form) -> Any:
        return quotation_services.quotation_record_won(
            quotation=self.quotation, actor=self.request.user, note=form.cleaned_data["note"]
        )


@policy(*RAISERS)
class QuotationLostView(_QuotationFormPage):
    form_class = forms.LostForm

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Record lost")

    def perform(self, form) -> Any:
        data = form.cleaned_data
        return quotation_services.quotation_record_lost(
            quotation=self.quotation,
            actor=self.request.user,
            note=data["note"],
            competitor_id=data["competitor"].pk if data.get("competitor") else None,
            winning_price=data.get("winning_price"),
        )


@policy(*RAISERS)
class QuotationWithdrawView(_QuotationFormPage):
    form_class = forms.WithdrawForm

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Withdraw")

    def perform(self, form) -> Any:
        return quotation_services.quotation_withdraw(
            quotation=self.quotation, actor=self.request.user, note=form.cleaned_data["note"]
        )


@policy(*RAISERS)
class QuotationReviseView(View):
    """A new revision of an issued quotation; the earlier one stays readable (POST only)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        quotation = get_or_404(quotation_selectors.quotation_get_for, user=request.user, pk=pk)
        made: list[Any] = []

        def call():
            made.append(quotation_services.quotation_revise(quotation=quotation, actor=request.user))

        if _run(request, call, _("New revision drafted.")):
            return HttpResponseRedirect(made[0].get_absolute_url())
        return HttpResponseRedirect(quotation.get_absolute_url())


# --- contracts (W3.3-5) ---------------------------------------------------------------------


@policy(*RAISERS)
class ContractDraftView(View):
    """Draft the contract from an issued quotation (POST only)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        quotation = get_or_404(quotation_selectors.quotation_get_for, user=request.user, pk=pk)
        made: list[Any] = []

        def call():
            made.append(contract_services.contract_draft_from_quotation(actor=request.user, quotation=quotation))

        if _run(request, call, _("Contract drafted.")):
            return HttpResponseRedirect(made[0].get_absolute_url())
        return HttpResponseRedirect(quotation.get_absolute_url())


@policy(*CONTRACT_READERS)
class ContractListView(ListPage):
    template_name = "deals/contract_list.html"
    partial_name = "deals/partials/contract_results.html"

    def rows(self):
        return contract_selectors.contract_list(user=self.request.user)

    def listing(self):
        return contract_selectors.contract_listing(user=self.request.user)


@policy(*CONTRACT_READERS)
class ContractDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = request.user
        contract = get_or_404(contract_selectors.contract_get_for, user=user, pk=pk)
        context = {
            **document_panel(contract, user=user),
            "contract": contract,
            "comparison": side_by_side(contract),
            "can_sign": contract.state == ContractState.CONFIRMED and contract.owner_id == user.pk,
            "can_edit": _editable(contract, user, (ContractState.DRAFT, ContractState.REJECTED)),
        }
        return render(request, "deals/contract_detail.html", context)


@policy(*RAISERS)
class ContractFormView(_LinesFormPage):
    """Edit a draft or returned contract; the deviations from the quotation are derived again."""

    template_name = "deals/contract_form.html"

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.document = get_or_404(contract_selectors.contract_get_for, user=request.user, pk=pk)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request, **kwargs)
        if not _editable(self.document, request.user, (ContractState.DRAFT, ContractState.REJECTED)):
            messages.error(request, _("This document cannot be edited now."))
            return HttpResponseRedirect(self.document.get_absolute_url())
        return self.render_form(self.make_form())

    def make_form(self, data=None, files=None):
        form = forms.ContractForm(data, instance=self.document)
        if data is not None:
            form.require_version()
        return form

    def perform(self, form) -> Any:
        return contract_services.contract_update(
            actor=self.request.user,
            contract=self.document,
            version=form.cleaned_data["version"],
            **form.service_kwargs(),
        )

    def cancel_url(self) -> str:
        return self.document.get_absolute_url()

    def context(self) -> dict[str, Any]:
        return {"object": self.document}


@policy(*RAISERS)
class ContractSignView(FormPage):
    """Record the signing: the date and the signed scan (W3.4)."""

    template_name = "deals/simple_form.html"
    form_errors = (InvalidInput, ApplicationError)

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.contract = get_or_404(contract_selectors.contract_get_for, user=request.user, pk=pk)
        self.title = _("Sign contract %(number)s") % {"number": self.contract.number}

    def make_form(self, data=None, files=None):
        return forms.SignForm(data, files)

    def perform(self, form) -> Any:
        return contract_services.contract_sign(actor=self.request.user, contract=self.contract, **form.cleaned_data)

    def success_message(self, result: Any) -> str:
        return _("Contract %(number)s signed.") % {"number": result.number}

    def cancel_url(self) -> str:
        return self.contract.get_absolute_url()

    def context(self) -> dict[str, Any]:
        return {"parent": self.contract, "multipart": True}


# --- phone and fax orders (W3.6) ------------------------------------------------------------


@policy(*CONTRACT_READERS)
class PhoneOrderListView(ListPage):
    template_name = "deals/phoneorder_list.html"
    partial_name = "deals/partials/phoneorder_results.html"

    def rows(self):
        return order_selectors.phone_order_list(user=self.request.user)

    def listing(self):
        return order_selectors.phone_order_listing(user=self.request.user)

    def extra_context(self, result: dict[str, Any]) -> dict[str, Any]:
        return {"can_create": _has(self.request.user, RAISERS)}


@policy(*CONTRACT_READERS)
class PhoneOrderDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = get_or_404(order_selectors.phone_order_get_for, user=request.user, pk=pk)
        context = {
            **document_panel(order, user=request.user),
            "order": order,
            "can_edit": _editable(order, request.user, (PhoneOrderState.DRAFT, PhoneOrderState.REJECTED)),
        }
        return render(request, "deals/phoneorder_detail.html", context)


@policy(*RAISERS)
class PhoneOrderFormView(_LinesFormPage):
    template_name = "deals/phoneorder_form.html"
    document: Any = None

    def load(self, request: HttpRequest, pk: int | None = None, **kwargs: Any) -> None:
        self.document = get_or_404(order_selectors.phone_order_get_for, user=request.user, pk=pk) if pk else None

    def make_form(self, data=None, files=None):
        form = forms.PhoneOrderForm(data, user=self.request.user, instance=self.document)
        if data is not None and self.document is not None:
            form.require_version()
        return form

    def perform(self, form) -> Any:
        if self.document is None:
            return order_services.phone_order_create(actor=self.request.user, **form.service_kwargs())
        return order_services.phone_order_update(
            actor=self.request.user,
            order=self.document,
            version=form.cleaned_data["version"],
            **form.service_kwargs(),
        )

    def cancel_url(self) -> str:
        return self.document.get_absolute_url() if self.document else reverse("deals:phoneorder-list")

    def context(self) -> dict[str, Any]:
        return {"object": self.document}


# --- contract register (R15) ------------------------------------------------------------------


@policy(*REGISTER_READERS)
class RegisterListView(View):
    """The months with their status (submitted, due, overdue), newest first, a year a page."""

    def get(self, request: HttpRequest) -> HttpResponse:
        page_obj = register_selectors.register_months(user=request.user, page=request.GET.get("page"))
        return render(request, "deals/register_list.html", {"rows": page_obj.object_list, "page_obj": page_obj})


def _register_or_404(read, **kwargs: Any):
    try:
        return read(**kwargs)
    except InvalidInput as exc:
        raise Http404(exc.message) from exc


@policy(*REGISTER_READERS)
class RegisterDetailView(View):
    """The month's summary (counts, gaps, voids) on top, its contracts a hundred a page below."""

    def get(self, request: HttpRequest, period: str) -> HttpResponse:
        sheet = _register_or_404(
            register_selectors.register_page_for, user=request.user, period=period, page=request.GET.get("page")
        )
        context = {
            "sheet": sheet,
            "page_obj": sheet.page_obj,
            "can_keep": _has(request.user, REGISTER_KEEPERS),
        }
        return render(request, "deals/register_detail.html", context)


@policy(*REGISTER_KEEPERS)
class RegisterActView(View):
    """Compile or submit the month's register (the sales office, R15; POST only)."""

    def post(self, request: HttpRequest, period: str) -> HttpResponse:
        action = request.POST.get("action")
        if action == "submit":
            _run(
                request,
                lambda: register_services.register_submit(actor=request.user, period=period),
                _("Register submitted."),
            )
        else:
            _run(
                request,
                lambda: register_services.register_compile(actor=request.user, period=period),
                _("Register compiled."),
            )
        return HttpResponseRedirect(reverse("deals:register-detail", args=[period]))


@policy(*REGISTER_READERS)
class RegisterExportView(View):
    def get(self, request: HttpRequest, period: str) -> HttpResponse:
        try:
            content = register_selectors.register_xlsx(user=request.user, period=period)
        except InvalidInput as exc:
            raise Http404(exc.message) from exc
        return excel.xlsx_response(content, f"contract-register-{period}.xlsx")


@policy(*REGISTER_READERS)
class RegisterPdfView(View):
    """The month's register printed (R15): every number in order, voids with their reason."""

    def get(self, request: HttpRequest, period: str) -> HttpResponse:
        # Printed in Chinese whatever the reader's language: the status and state labels too.
        with translation.override("zh-hans"):
            sheet = _register_or_404(register_selectors.register_get_for, user=request.user, period=period)
            context = {"sheet": sheet, "grid": register_selectors.register_print(sheet)}
        return pdf_response("deals/print/register.html", context, filename=f"contract-register-{period}.pdf")


# --- pipeline ---------------------------------------------------------------------------------


@policy(*SALES_READERS)
class PipelineView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = forms.PipelineFilterForm(request.GET or None)
        scope: dict[str, Any] = {}
        if form.is_valid():
            data = form.cleaned_data
            scope = {
                "salesperson_id": data.get("salesperson"),
                "branch_id": data.get("branch"),
                "date_from": data.get("date_from"),
                "date_to": data.get("date_to"),
            }
        stages = pipeline_selectors.pipeline(user=request.user, **scope)
        groups = []
        for key, label in pipeline_selectors.GROUPS:
            members = [s for s in stages if s.group == key]
            groups.append({"key": key, "label": label, "stages": members})
        context = {
            "form": form,
            "groups": groups,
            "salespeople": self.salespeople(request.user),
            "branches": Branch.objects.order_by("code"),
            "selected": {k: str(v or "") for k, v in scope.items()},
            "chart_option": json.dumps(pipeline_selectors.pipeline_chart_option(stages), ensure_ascii=False),
            "funnel_option": json.dumps(pipeline_selectors.pipeline_funnel_option(stages), ensure_ascii=False),
        }
        return render(request, "deals/pipeline.html", context)

    @staticmethod
    def salespeople(user):
        """The salespeople the reader may filter by: managers and leadership see everyone's names."""
        if not _has(user, (*MANAGERS, Role.LEADERSHIP, Role.ADMIN)):
            return [user]
        return User.objects.filter(is_active=True, role_links__role=Role.SALESPERSON).distinct().order_by("username")
