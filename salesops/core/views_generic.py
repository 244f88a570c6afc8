"""Page views every app's list, export, form and import pages are made of.

They only wire answers; the rules stay in the selectors and services (STYLE.md:
no fat views). What they settle once for every app:

- a list page answers an HTMX request with its ``#results`` block only;
- an export writes every row the list would show for the same query string, at once or, for a
  long list, as a background job;
- a form or import that the service refuses is shown again with the error on
  its field: 422 for bad input, 409 for a stale edit (the error's status).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
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


@contextmanager
def _page_errors() -> Iterator[None]:
    """A service's refusal as the page answers it: 403 for a role, 404 for what does not exist."""
    try:
        yield
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except (NotFound, InvalidInput) as exc:
        raise Http404(exc.message) from exc


class ExportView(View):
    """The list as filtered on screen, all pages, as a spreadsheet of the rows the user may see
    (``export_kind`` names the export its app registered, ``core.services.register_exporter``).

    Up to ``EXPORT_INLINE_ROWS`` rows, the answer is the file. Past that, GET answers a page that
    offers to prepare it in the background (a GET changes nothing); its POST queues an export job
    and goes to the job's page, which shows the progress and then the download (issue 7, item 4).
    The URL's own arguments (a month) join the query string in the export's parameters.
    """

    export_kind = ""
    template_name = "generic/export_start.html"

    def params(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        return {"query": dict(request.GET.items()), **kwargs}

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        params = self.params(request, **kwargs)
        with _page_errors():
            rows = services.export_rows(actor=request.user, kind=self.export_kind, params=params)
            count = services.export_count(rows)
            if not services.export_is_large(count):
                content = services.export_write(actor=request.user, kind=self.export_kind, params=params, rows=rows)
                return excel.xlsx_response(content, services.export_filename(self.export_kind, params))
        context = {
            "count": count,
            "limit": settings.EXPORT_INLINE_ROWS,
            "back_url": services.exporter_for(self.export_kind).list_url(params),
        }
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        with _page_errors():
            job = services.export_job_start(
                actor=request.user, kind=self.export_kind, params=self.params(request, **kwargs)
            )
        return HttpResponseRedirect(job.get_absolute_url())


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
