"""Pages of the monthly contract register (R15): months, a month paged, compile and submit, Excel, print."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from salesops.core.errors import InvalidInput
from salesops.core.pdf import pdf_response
from salesops.core.policy import policy
from salesops.core.views_generic import ExportView

from ..permissions import REGISTER_KEEPERS, REGISTER_READERS
from ..selectors import register as register_selectors
from ..services import register as register_services
from .common import run_button


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
            "can_keep": request.user.has_role(*REGISTER_KEEPERS),
        }
        return render(request, "deals/register_detail.html", context)


@policy(*REGISTER_KEEPERS)
class RegisterActView(View):
    """Compile or submit the month's register (the sales office, R15; POST only)."""

    def post(self, request: HttpRequest, period: str) -> HttpResponse:
        action = request.POST.get("action")
        if action == "submit":
            run_button(
                request,
                lambda: register_services.register_submit(actor=request.user, period=period),
                _("Register submitted."),
            )
        else:
            run_button(
                request,
                lambda: register_services.register_compile(actor=request.user, period=period),
                _("Register compiled."),
            )
        return HttpResponseRedirect(reverse("deals:register-detail", args=[period]))


@policy(*REGISTER_READERS)
class RegisterExportView(ExportView):
    """The month's register as an Excel sheet; a month of thousands of contracts as a background job."""

    export_kind = "contract-register"


@policy(*REGISTER_READERS)
class RegisterPdfView(View):
    """The month's register printed (R15): every number in order, voids with their reason."""

    def get(self, request: HttpRequest, period: str) -> HttpResponse:
        # Printed in Chinese whatever the reader's language: the status and state labels too.
        with translation.override("zh-hans"):
            sheet = _register_or_404(register_selectors.register_get_for, user=request.user, period=period)
            context = {"sheet": sheet, "grid": register_selectors.register_print(sheet)}
        return pdf_response("deals/print/register.html", context, filename=f"contract-register-{period}.pdf")
