"""Pages of contracts (W3.3-5): drafted from a quotation, edited, signed."""

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from salesops.core.errors import ApplicationError, InvalidInput
from salesops.core.policy import policy
from salesops.core.views_generic import FormPage, get_or_404
from salesops.workflow.pages import Column, DocumentDetailPage, DocumentFormPage, DocumentListPage, FormAction

from .. import forms
from ..deviations import side_by_side
from ..permissions import CONTRACT_READERS, RAISERS
from ..selectors import contracts as contract_selectors
from ..selectors import quotations as quotation_selectors
from ..services import contracts as contract_services
from .common import run_button


@policy(*RAISERS)
class ContractDraftView(View):
    """Draft the contract from an issued quotation (POST only)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        quotation = get_or_404(quotation_selectors.quotation_get_for, user=request.user, pk=pk)
        made: list[Any] = []

        def call():
            made.append(contract_services.contract_draft_from_quotation(actor=request.user, quotation=quotation))

        if run_button(request, call, _("Contract drafted.")):
            return HttpResponseRedirect(made[0].get_absolute_url())
        return HttpResponseRedirect(quotation.get_absolute_url())


@policy(*CONTRACT_READERS)
class ContractListView(DocumentListPage):
    select = staticmethod(contract_selectors.contract_list)
    listing_for = staticmethod(contract_selectors.contract_listing)
    title = gettext_lazy("Contracts")
    columns = (
        Column("number", gettext_lazy("Number"), "number", "number"),
        Column("created_at", gettext_lazy("Created"), "created", "date"),
        Column("customer.name", gettext_lazy("Customer"), "customer"),
        Column("quotation.number", gettext_lazy("Quotation")),
        Column("owner", gettext_lazy("Owner")),
        Column("total_amount", gettext_lazy("Total"), "amount", "money"),
        Column("signed_on", gettext_lazy("Signed on"), "signed", "date"),
        Column("state", gettext_lazy("State"), "state", "state"),
    )
    empty_text = gettext_lazy("No contracts match.")

    def badges(self, row: Any) -> list[tuple[Any, str]]:
        marks = []
        if row.deviations:
            marks.append((_("Deviations"), "bg-warning text-dark"))
        if row.archived_late:
            marks.append((_("Archived late"), "bg-danger"))
        return marks


@policy(*CONTRACT_READERS)
class ContractDetailView(DocumentDetailPage):
    template_name = "deals/contract_detail.html"
    get_for = staticmethod(contract_selectors.contract_get_for)
    fields = (
        "customer",
        "quotation",
        "owner",
        "total_amount",
        "signed_on",
        "archived_at",
        "archived_by",
        "void_reason",
    )
    list_url_name, list_label = "deals:contract-list", gettext_lazy("Contracts")
    kind_label = gettext_lazy("Contract")
    edit_url_name = "deals:contract-update"
    form_actions = {"sign": FormAction("deals:contract-sign", style="success", icon="bi-pen")}
    context_name = "contract"

    def extra_context(self, doc: Any, user: Any) -> dict[str, Any]:
        return {"comparison": side_by_side(doc)}


@policy(*RAISERS)
class ContractFormView(DocumentFormPage):
    """Edit a draft or returned contract; the deviations from the quotation are derived again."""

    get_for = staticmethod(contract_selectors.contract_get_for)
    form_class = forms.ContractForm
    update = staticmethod(contract_services.contract_update)
    doc_arg = "contract"
    list_url_name, list_label = "deals:contract-list", gettext_lazy("Contracts")
    intro = gettext_lazy(
        "Any difference from the issued quotation is a deviation: the manager re-confirms the contract before it "
        "is signed (W3.3-4)."
    )
    testid = "contract-form"

    def heading_note(self) -> str:
        return f"{self.document.customer.name} · {self.document.quotation.number}"


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
