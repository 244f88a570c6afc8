"""What the money form pages share: a form acting on one document or customer (``parent``), its
header fields, its table of rows, Save and Cancel.

Each page loads what it works on through a scoped selector (404 out of scope), is let in by the
service's roles (403 otherwise), and offers the step only while it can be taken (else back to the
document's page with the reason). The service decides everything again: its refusal lands on the
field or on the row, and nothing is written.
"""

from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse

from salesops.core.errors import ApplicationError, Forbidden, NotFound
from salesops.workflow.pages import DocumentStepPage

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


class StepFormPage(DocumentStepPage):
    template_name = "receivables/forms/form.html"
    testid: ClassVar[str] = "money-form"
    # Shown above the form (the request's computed invoice lines, a receipt's figures).
    aside_template: ClassVar[str] = ""

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def make_form(self, data=None, files=None):
        return self.form_class(data, files, **self.form_kwargs())

    def cancel_url(self) -> str:
        return self.parent.get_absolute_url() if self.parent is not None else reverse(self.list_url_name)

    def extra(self) -> dict[str, Any]:
        return {}

    def context(self) -> dict[str, Any]:
        return {**super().context(), "aside_template": self.aside_template, **self.extra()}


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
