"""Page views every app's list, export, form and import pages are made of.

They only wire answers; the rules stay in the selectors and services (STYLE.md:
no fat views). What they settle once for every app:

- a list page answers an HTMX request with its ``#results`` block only;
- an export writes every row the list would show for the same query string;
- a form or import that the service refuses is shown again with the error on
  its field: 422 for bad input, 409 for a stale edit (the error's status).
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from . import excel, services
from .errors import ApplicationError, Forbidden, InvalidInput, NotFound, StaleEdit
from .forms import ImportForm, apply_error
from .listing import Listing


def get_or_404(read, **kwargs: Any) -> Any:
    """Call a ``*_get_for`` selector; out of scope is a plain 404 page."""
    try:
        return read(**kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


class ListedView(View):
    """A view over the rows of one selector, searched, filtered and sorted by one ``Listing``."""

    def rows(self) -> QuerySet:
        raise NotImplementedError

    def listing(self) -> Listing:
        raise NotImplementedError


class ListPage(ListedView):
    """A list page; an HTMX request (the toolbar's search and filters) gets only the ``#results`` block."""

    template_name = ""
    partial_name = ""

    def extra_context(self, result: dict[str, Any]) -> dict[str, Any]:
        """What the page shows beyond the rows; ``result`` is what ``Listing.apply`` returned."""
        return {}

    def get(self, request: HttpRequest) -> HttpResponse:
        result = self.listing().apply(self.rows(), request.GET)
        context = {**result, **self.extra_context(result)}
        template = self.partial_name if getattr(request, "htmx", False) else self.template_name
        return render(request, template, context)


class ExportView(ListedView):
    """The list as filtered on screen, all pages, as a spreadsheet; only rows the user may see."""

    def export(self, rows: QuerySet) -> HttpResponse:
        raise NotImplementedError

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.export(self.listing().filtered(self.rows(), request.GET))


class FormPage(View):
    """A form that calls one service. Parse errors answer 422; a service error in ``form_errors``
    lands on the form with its own status (422 bad input, 409 stale edit); success redirects.

    A ``Forbidden`` or ``NotFound`` outside ``form_errors`` is the 403 or 404 page.
    """

    template_name = "generic/form.html"
    title: Any = ""
    form_errors: tuple[type[ApplicationError], ...] = (InvalidInput, StaleEdit)

    def load(self, request: HttpRequest, **kwargs: Any) -> None:
        """Fetch the objects the page works on (404 out of scope, 403 when only readable)."""

    def make_form(self, data=None, files=None):
        raise NotImplementedError

    def perform(self, form) -> Any:
        raise NotImplementedError

    def success_url(self, result: Any) -> str:
        return result.get_absolute_url()

    def success_message(self, result: Any) -> str:
        return _("Saved.")

    def cancel_url(self) -> str:
        raise NotImplementedError

    def context(self) -> dict[str, Any]:
        return {}

    def form_error(self, form, exc: ApplicationError) -> ApplicationError:
        """The error to show on the form for a refusal of the service (a type may re-key it)."""
        return exc

    def render_form(self, form, status: int = 200) -> HttpResponse:
        context = {"form": form, "title": self.title, "cancel_url": self.cancel_url(), **self.context()}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request, **kwargs)
        return self.render_form(self.make_form())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request, **kwargs)
        form = self.make_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form, status=422)
        try:
            result = self.perform(form)
        except self.form_errors as exc:
            apply_error(form, self.form_error(form, exc))
            return self.render_form(form, status=exc.status)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except NotFound as exc:
            raise Http404(exc.message) from exc
        messages.success(request, self.success_message(result))
        return HttpResponseRedirect(self.success_url(result))


class ImportPage(View):
    """Upload an Excel sheet to be imported in the background, all rows or none (issue 7, item 4).

    ``import_kind`` names the import its app registered (``core.services.register_importer``).
    The upload is checked as a file (size, type, zip bomb: a refusal answers 422 at once), stored,
    and queued; the answer is a redirect to the job's page, which shows the progress and then the
    rows' errors or the summary. ``?template=1`` downloads the empty sheet.
    """

    template_name = "generic/import.html"
    title: Any = ""
    sheet_title: Any = ""
    template_filename = ""
    import_kind = ""

    def columns(self) -> list[excel.Column]:
        raise NotImplementedError

    def list_url(self) -> str:
        """Where a cancelled import goes."""
        raise NotImplementedError

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.GET.get("template"):
            content = excel.template_xlsx(self.columns(), title=str(self.sheet_title))
            return excel.xlsx_response(content, self.template_filename)
        return self.render_form(ImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form, status=422)
        try:
            job = services.import_job_start(actor=request.user, kind=self.import_kind, upload=form.cleaned_data["file"])
        except InvalidInput as exc:
            apply_error(form, exc)
            return self.render_form(form, status=422)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        return HttpResponseRedirect(job.get_absolute_url())

    def render_form(self, form, *, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "title": self.title,
            "columns": self.columns(),
            "template_url": self.request.path + "?template=1",
            "cancel_url": self.list_url(),
        }
        return render(self.request, self.template_name, context, status=status)
