"""Pages of quotations (W2.5-6, R4) and their negotiation notes and outcomes (W3.1-2)."""

import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from salesops.core.errors import ApplicationError, InvalidInput
from salesops.core.policy import policy
from salesops.core.views_generic import FormPage, get_or_404
from salesops.workflow.pages import Column, DocumentDetailPage, DocumentFormPage, DocumentListPage, FormAction, button

from .. import forms
from ..permissions import RAISERS, SALES_READERS
from ..selectors import contracts as contract_selectors
from ..selectors import inquiries as inquiry_selectors
from ..selectors import quotations as quotation_selectors
from ..services import contracts as contract_services
from ..services import negotiations as negotiation_services
from ..services import quotations as quotation_services
from ..workflows import no_live_contract
from .common import run_button


@policy(*SALES_READERS)
class QuotationListView(DocumentListPage):
    select = staticmethod(quotation_selectors.quotation_list)
    listing_for = staticmethod(quotation_selectors.quotation_listing)
    title = gettext_lazy("Quotations and tender documents")
    columns = (
        Column("number", gettext_lazy("Number"), "number", "number"),
        Column("created_at", gettext_lazy("Created"), "created", "date"),
        Column("customer.name", gettext_lazy("Customer"), "customer"),
        Column("inquiry.number", gettext_lazy("Inquiry")),
        Column("owner", gettext_lazy("Owner")),
        Column("total_amount", gettext_lazy("Total"), "amount", "money"),
        Column("valid_until", gettext_lazy("Valid until"), "valid", "date"),
        Column("state", gettext_lazy("State"), "state", "state"),
    )
    empty_text = gettext_lazy("No quotations match.")

    def badges(self, row: Any) -> list[tuple[Any, str]]:
        marks = []
        if row.revision > 1:
            marks.append((f"R{row.revision}", "bg-light text-dark border"))
        if row.is_non_standard:
            marks.append(("R4", "bg-warning text-dark"))
        return marks


@policy(*SALES_READERS)
class QuotationDetailView(DocumentDetailPage):
    template_name = "deals/quotation_detail.html"
    get_for = staticmethod(quotation_selectors.quotation_get_for)
    fields = ("customer", "inquiry", "owner", "valid_until", "issued_at", "lost_to", "lost_price", "outcome_note")
    list_url_name, list_label = "deals:quotation-list", gettext_lazy("Quotations")
    kind_label = gettext_lazy("Quotation")
    edit_url_name = "deals:quotation-update"
    # A quotation with a live contract is neither lost, withdrawn nor revised (the flow's guard).
    form_actions = {
        "supersede": FormAction("deals:quotation-revise", testid="revise", post=True, style="outline-secondary"),
        "win": FormAction("deals:quotation-won", testid="won", style="outline-success"),
        "lose": FormAction("deals:quotation-lost", testid="lost", style="outline-danger"),
        "withdraw": FormAction("deals:quotation-withdraw", style="outline-secondary"),
    }
    lines, lines_template = "lines", "deals/includes/lines_table.html"
    context_name = "quotation"

    def links(self, doc: Any, user: Any) -> list[dict[str, Any]]:
        if contract_services.contract_draft_refusal(doc, user) or no_live_contract(doc):
            return []
        url = reverse("deals:contract-create", args=[doc.pk])
        return [button("draft-contract", url, _("Draft the contract"), post=True)]

    def extra_context(self, doc: Any, user: Any) -> dict[str, Any]:
        can_note = negotiation_services.negotiation_note_refusal(doc, user) is None
        return {
            "revisions": quotation_selectors.quotation_revisions(user=user, quotation=doc),
            "notes": quotation_selectors.negotiation_notes_for(user=user, quotation=doc),
            "contracts": contract_selectors.contract_list(user=user).filter(quotation=doc).order_by("pk"),
            "can_note": can_note,
            "note_form": forms.NegotiationNoteForm() if can_note else None,
        }


@policy(*RAISERS)
class QuotationFormView(DocumentFormPage):
    """Draft a quotation from an inquiry in bidding (``?inquiry=<pk>``: its products at their
    standard prices), or edit a draft."""

    get_for = staticmethod(quotation_selectors.quotation_get_for)
    update = staticmethod(quotation_services.quotation_update)
    doc_arg = "quotation"
    list_url_name, list_label = "deals:quotation-list", gettext_lazy("Quotations")
    new_title = gettext_lazy("New quotation")
    intro = gettext_lazy(
        "A price under the floor price, a discount beyond the limit or a non-standard term makes the quotation "
        "non-standard: the manager approves it before it is issued (R4)."
    )
    testid = "quotation-form"
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
        return super().perform(form)

    def cancel_url(self) -> str:
        return (self.document or self.inquiry).get_absolute_url()

    def heading_note(self) -> str:
        inquiry = self.inquiry or (self.document and self.document.inquiry)
        return f"{inquiry.number} · {inquiry.customer.name}" if inquiry else ""


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

        if run_button(request, call, _("New revision drafted.")):
            return HttpResponseRedirect(made[0].get_absolute_url())
        return HttpResponseRedirect(quotation.get_absolute_url())
