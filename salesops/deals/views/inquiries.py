"""Pages of inquiries and tenders (W2.1): list, detail with the bid decision, form; asking for support."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from salesops.core.policy import policy
from salesops.core.views_generic import ListPage, get_or_404
from salesops.org.models import User
from salesops.workflow.selectors import document_panel

from .. import forms
from ..choices import InquiryState
from ..permissions import MANAGERS, OWNER_FILTERERS, RAISERS, SALES_READERS
from ..selectors import inquiries as inquiry_selectors
from ..selectors import quotations as quotation_selectors
from ..services import inquiries as inquiry_services
from .common import LinesFormPage, editable


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
class InquiryDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = request.user
        inquiry = get_or_404(inquiry_selectors.inquiry_get_for, user=user, pk=pk)
        supports = inquiry_selectors.support_requests_for_inquiry(user=user, inquiry_id=inquiry.pk)
        open_states = inquiry_services.OPEN_INQUIRY_STATES
        can_ask = inquiry.state in open_states and (inquiry.owner_id == user.pk or user.has_role(*MANAGERS))
        context = {
            **document_panel(inquiry, user=user),
            "inquiry": inquiry,
            "supports": supports,
            "quotations": quotation_selectors.quotation_list(user=user).filter(inquiry=inquiry).order_by("pk"),
            "can_edit": editable(inquiry, user, (InquiryState.REPORTED,)),
            "can_quote": inquiry.state == InquiryState.BIDDING and user.has_role(*RAISERS),
            "can_ask": can_ask,
            "can_waive": user.has_role(*MANAGERS),
            "support_form": forms.SupportRequestForm() if can_ask else None,
            "waive_form": forms.WaiveForm(),
        }
        return render(request, "deals/inquiry_detail.html", context)


@policy(*RAISERS)
class InquiryFormView(LinesFormPage):
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
