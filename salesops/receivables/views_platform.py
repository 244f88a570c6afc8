"""Finance's pages for the e-invoice service platform: export approved requests as the batch-issue
workbook, and import what the platform issued. Thin: the rules live in ``receivables.platform``."""

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy
from django.views import View

from salesops.core.errors import Forbidden, InvalidInput
from salesops.core.excel import xlsx_response
from salesops.core.forms import BootstrapFormMixin, apply_error
from salesops.core.policy import policy

from .permissions import FINANCE
from .platform import export, importing
from .platform.importing import Status


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _MultipleFileInput(attrs={"multiple": True, "accept": ".xml,.zip,.xlsx,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class PlatformImportForm(BootstrapFormMixin, forms.Form):
    files = _MultipleFileField(
        label=gettext_lazy("Files from the platform"),
        help_text=gettext_lazy(
            "Invoice XML files (or a zip of them, with their PDFs), or the 全量发票查询 export (.xlsx)."
        ),
    )


def url_of(obj: Any) -> str:
    """The object's page, or nothing when its page is not installed (yet)."""
    try:
        return obj.get_absolute_url() if obj is not None else ""
    except NoReverseMatch:
        return ""


@policy(*FINANCE)
class PlatformExportView(View):
    """Approved invoice requests with check boxes; the chosen ones download as the workbook."""

    template_name = "receivables/platform/export.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request, chosen=set(), errors=None)

    def post(self, request: HttpRequest) -> HttpResponse:
        chosen = [value for value in request.POST.getlist("request") if value.isdigit()]
        try:
            workbook = export.platform_export(actor=request.user, request_ids=[int(value) for value in chosen])
        except InvalidInput as exc:
            return self.render_page(request, chosen=set(chosen), errors=exc, status=422)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        return xlsx_response(workbook.content, workbook.filename)

    def render_page(self, request: HttpRequest, *, chosen: set[str], errors: InvalidInput | None, status: int = 200):
        requests = list(export.exportable_requests(user=request.user)[: export.MAX_REQUESTS])
        rows = [
            {
                "request": item,
                "url": url_of(item),
                "chosen": str(item.pk) in chosen,
                "problems": [message for messages in export.request_problems(item).values() for message in messages],
            }
            for item in requests
        ]
        context = {
            "rows": rows,
            "limit": export.MAX_REQUESTS,
            "error": errors.message if errors else "",
            "field_errors": (errors.extra.get("fields") or {}) if errors else {},
        }
        return render(request, self.template_name, context, status=status)


@policy(*FINANCE)
class PlatformImportView(View):
    """Upload the platform's files; the answer lists what became of each invoice."""

    template_name = "receivables/platform/import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": PlatformImportForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PlatformImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=422)
        try:
            sources = importing.source_files(form.cleaned_data["files"])
            outcomes = importing.platform_import(actor=request.user, files=sources)
        except InvalidInput as exc:
            apply_error(form, exc)
            return render(request, self.template_name, {"form": form}, status=422)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        context = {
            "form": PlatformImportForm(),
            "outcomes": [
                {
                    "outcome": outcome,
                    "url": url_of(outcome.invoice),
                    "request": outcome.request or (outcome.invoice.request if outcome.invoice else None),
                }
                for outcome in outcomes
            ],
            "counts": {status.value: sum(1 for o in outcomes if o.status == status) for status in Status},
        }
        return render(request, self.template_name, context)
