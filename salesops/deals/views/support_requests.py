"""Pages of support requests (W2.3-4): sales asks on an inquiry, technical and purchasing answer,
a manager waives."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from salesops.core.errors import ApplicationError, Forbidden, InvalidInput
from salesops.core.forms import apply_error
from salesops.core.policy import policy
from salesops.core.views_generic import FormPage, ListPage, get_or_404

from .. import forms
from ..choices import SupportState
from ..permissions import ANSWERERS, MANAGERS, RAISERS, SUPPORT_READERS
from ..selectors import inquiries as inquiry_selectors
from ..services import inquiries as inquiry_services


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


@policy(*SUPPORT_READERS)
class SupportRequestListView(ListPage):
    """Technical and purchasing see the requests addressed to them; the rest those of their inquiries."""

    template_name = "deals/supportrequest_list.html"
    partial_name = "deals/partials/supportrequest_results.html"

    def rows(self):
        return inquiry_selectors.support_request_list(user=self.request.user)

    def listing(self):
        return inquiry_selectors.support_request_listing()


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
            "answer_form": answer_form or forms.AnswerForm() if is_open and request.user.has_role(*ANSWERERS) else None,
            "waive_form": waive_form or forms.WaiveForm() if is_open and request.user.has_role(*MANAGERS) else None,
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
