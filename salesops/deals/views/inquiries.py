"""Pages of inquiries and tenders (W2.1): list, detail with the bid decision, form; asking for support."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.policy import policy
from salesops.core.views_generic import ListPage
from salesops.org.models import User
from salesops.workflow.pages import DocumentDetailPage, DocumentFormPage, button

from .. import forms
from ..permissions import OWNER_FILTERERS, RAISERS, SALES_READERS
from ..selectors import inquiries as inquiry_selectors
from ..selectors import quotations as quotation_selectors
from ..services import inquiries as inquiry_services
from ..services import quotations as quotation_services
from ..workflows import SUPPORT_FLOW


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
            "can_create": self.request.user.has_role(*RAISERS),
            "owners": owners if self.request.user.has_role(*OWNER_FILTERERS) else (),
            "owner": self.request.GET.get("owner", ""),
        }


@policy(*SALES_READERS)
class InquiryDetailView(DocumentDetailPage):
    template_name = "deals/inquiry_detail.html"
    get_for = staticmethod(inquiry_selectors.inquiry_get_for)
    fields = (
        "customer",
        "owner",
        "source",
        "deadline_on",
        "estimated_amount",
        "title",
        "description",
        "decline_reason",
    )
    list_url_name, list_label = "deals:inquiry-list", gettext_lazy("Inquiries and tenders")
    edit_url_name = "deals:inquiry-update"
    lines, lines_template = "lines", "deals/includes/lines_table.html"
    lines_label, lines_priced = gettext_lazy("Products asked for"), False
    context_name = "inquiry"

    def kind(self, doc: Any) -> Any:
        return doc.get_kind_display()

    def links(self, doc: Any, user: Any) -> list[dict[str, Any]]:
        found = []
        if inquiry_services.support_request_refusal(doc, user) is None:
            url = reverse("deals:supportrequest-create", args=[doc.pk])
            found.append(
                button("ask-support", url, _("Ask for support"), style="outline-secondary", icon="bi-life-preserver")
            )
        if quotation_services.quote_refusal(doc, user) is None:
            url = reverse("deals:quotation-create") + f"?inquiry={doc.pk}"
            found.append(button("new-quotation", url, _("New quotation"), icon="bi-plus-lg"))
        return found

    def extra_context(self, doc: Any, user: Any) -> dict[str, Any]:
        supports = list(inquiry_selectors.support_requests_for_inquiry(user=user, inquiry_id=doc.pk))
        for request in supports:
            request.can_waive = SUPPORT_FLOW.allows("waive", request, user)
        quotations = quotation_selectors.quotation_list(user=user).filter(inquiry=doc).order_by("pk")
        return {"supports": supports, "quotations": quotations}


@policy(*RAISERS)
class InquiryFormView(DocumentFormPage):
    get_for = staticmethod(inquiry_selectors.inquiry_get_for)
    form_class = forms.InquiryForm
    create = staticmethod(inquiry_services.inquiry_create)
    update = staticmethod(inquiry_services.inquiry_update)
    doc_arg = "inquiry"
    list_url_name, list_label = "deals:inquiry-list", gettext_lazy("Inquiries and tenders")
    new_title = gettext_lazy("New inquiry")
    intro = gettext_lazy("Your manager is told at once and decides whether to bid (W2.1).")
    testid = "inquiry-form"
