"""What the money form pages share: a form acting on one document or customer (``parent``), its
header fields, its table of rows, Save and Cancel.

Each page loads what it works on through a scoped selector (404 out of scope), is let in by the
service's roles (403 otherwise), and offers the step only while it can be taken (else back to the
document's page with the reason). The service decides everything again: its refusal lands on the
field or on the row, and nothing is written.
"""

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy

from salesops.core.errors import ApplicationError, Forbidden, InvalidInput, NotFound, StaleEdit, TransitionNotAllowed
from salesops.core.views_generic import FormPage

from ..forms import Row, yuan


def raise_refusal(exc: ApplicationError) -> None:
    """A refusal read before any form: 404 out of scope, 403 for a role, else it is for the page."""
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from exc
    if isinstance(exc, Forbidden):
        raise PermissionDenied(exc.message) from exc


def id_param(request: HttpRequest, name: str) -> int | None:
    """A positive id from the query string or the form (anything else: none)."""
    raw = request.GET.get(name) or request.POST.get(name) or ""
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


class StepFormPage(FormPage):
    template_name = "receivables/forms/form.html"
    form_errors = (InvalidInput, TransitionNotAllowed, StaleEdit)
    form_class: ClassVar[Any]
    heading: ClassVar[Any] = ""
    intro: ClassVar[Any] = ""
    submit_label: ClassVar[Any] = gettext_lazy("Save")
    testid: ClassVar[str] = "money-form"
    # The list the page belongs to (the breadcrumb).
    list_url_name: ClassVar[str] = ""
    list_label: ClassVar[Any] = ""
    # Shown above the form (the request's computed invoice lines, a receipt's figures).
    aside_template: ClassVar[str] = ""
    parent: Any = None

    def load(self, request: HttpRequest, **kwargs: Any) -> None:
        raise NotImplementedError

    def unavailable(self) -> str:
        """Why the step cannot be taken now ("" when it can)."""
        return ""

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request, **kwargs)
        refusal = self.unavailable()
        if refusal:
            messages.error(request, refusal)
            return HttpResponseRedirect(self.parent.get_absolute_url())
        return self.render_form(self.make_form())

    def make_form(self, data=None, files=None):
        return self.form_class(data, files, **self.form_kwargs())

    def form_error(self, form, exc: ApplicationError) -> ApplicationError:
        return form.service_error(exc) if isinstance(exc, InvalidInput) else exc

    def cancel_url(self) -> str:
        return self.parent.get_absolute_url() if self.parent is not None else reverse(self.list_url_name)

    def extra(self) -> dict[str, Any]:
        return {}

    def context(self) -> dict[str, Any]:
        return {
            "parent": self.parent,
            "list_url": reverse(self.list_url_name) if self.list_url_name else "",
            "list_label": self.list_label,
            "heading": self.heading,
            "intro": self.intro,
            "submit_label": self.submit_label,
            "testid": self.testid,
            "aside_template": self.aside_template,
            **self.extra(),
        }


def invoice_rows(balances: list[Any], *, ask_all: bool = False) -> list[Row]:
    """One row per open invoice: its number, dates, total and what is open; its input starts
    blank, or (``ask_all``) with all that is open."""
    return [
        Row(
            balance.invoice_id,
            (balance.invoice.invoice_number, balance.invoice.issued_on, balance.invoice.due_on),
            [yuan(balance.total), yuan(balance.open_amount)],
            initial=f"{balance.open_amount:.2f}" if ask_all else None,
            extra={"url": balance.invoice.get_absolute_url()},
        )
        for balance in balances
    ]
