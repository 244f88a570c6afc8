"""The forms of returns and exchanges (W8) and of shipment delays (R7).

Each form calls one service, which re-checks role, scope and state: a new return or exchange
request, the salesperson's check of the goods, the technical department's verification (pass or
fail), the sales office's red sales outbound note and an exchange's new delivery note, and a
shipment delay, submitted to the manager in the same request.
"""

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from salesops.core.errors import ApplicationError, Forbidden, InvalidInput, NotFound, StaleEdit, TransitionNotAllowed
from salesops.core.policy import policy
from salesops.core.views_generic import FormPage, get_or_404
from salesops.org.roles import Role
from salesops.workflow.pages import DocumentFormPage
from salesops.workflow.registry import act_on

from .. import selectors, services
from ..forms_returns import DelayForm, RedNoteIssueForm, ReturnCheckForm, ReturnForm, ReturnVerifyForm
from ..permissions import CONFIRMERS, OFFICE, REQUESTERS
from ..workflows import RETURN_FLOW

# A refusal shown on the form: bad input, a stale page, a step no longer open. A role or scope
# refusal is the 403 or 404 page.
SHOWN_ON_FORM = (InvalidInput, StaleEdit, TransitionNotAllowed)


def _pk(value: Any) -> int | None:
    """A positive id from the query string or the form, else None (never a database error)."""
    text = str(value or "")
    return int(text) if text.isdecimal() and 0 < len(text) < 19 else None


@policy(*REQUESTERS)
class ReturnCreateView(DocumentFormPage):
    """A new return or exchange of a customer's delivered lines (W8.1). ``?customer=<id>`` opens
    with that customer's lines; ``?confirmation=<id>`` with the customer and the discrepancies of a
    customer confirmation. Choosing the customer reloads the lines (HTMX)."""

    template_name = "fulfilment/returns/return_form.html"
    lines_template = "fulfilment/returns/partials/return_lines.html"
    form_errors = SHOWN_ON_FORM
    get_for = staticmethod(selectors.return_get_for)
    list_url_name, list_label = "fulfilment:return-list", gettext_lazy("Returns and exchanges")
    new_title = gettext_lazy("New return or exchange")
    intro = gettext_lazy(
        "Goods come back only from what was delivered, never more than was delivered less what is already "
        "claimed. Your manager confirms the request; you then check the goods and the technical department "
        "verifies them (W8)."
    )
    testid = "return-form"
    confirmation: Any = None
    customer_id: int | None = None

    def load(self, request: HttpRequest, pk: int | None = None, **kwargs: Any) -> None:
        source = request.POST if request.method == "POST" else request.GET
        confirmation_id = _pk(source.get("confirmation"))
        if confirmation_id is not None:
            self.confirmation = get_or_404(selectors.confirmation_get_for, user=request.user, pk=confirmation_id)
        self.customer_id = _pk(source.get("customer")) or (self.confirmation.customer_id if self.confirmation else None)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request)
        form = self.make_form()
        if getattr(request, "htmx", False):
            return render(request, self.lines_template, {"form": form})
        return self.render_form(form)

    def make_form(self, data: Any = None, files: Any = None) -> Any:
        if self.confirmation is not None and self.customer_id == self.confirmation.customer_id:
            initial = ReturnForm.from_confirmation(self.confirmation)
        else:
            initial = {"customer": self.customer_id}
        return ReturnForm(data, user=self.request.user, customer_id=self.customer_id, initial=initial)

    def perform(self, form: Any) -> Any:
        return services.return_create(actor=self.request.user, **form.service_kwargs())

    def success_message(self, result: Any) -> str:
        return _("%(number)s saved as a draft: submit it for your manager's confirmation.") % {"number": result.number}

    def cancel_url(self) -> str:
        return self.confirmation.get_absolute_url() if self.confirmation else reverse(self.list_url_name)

    def context(self) -> dict[str, Any]:
        return {**super().context(), "confirmation": self.confirmation, "lines_template": self.lines_template}


class _ReturnStepPage(FormPage):
    """One step of a return request taken through its own form (``action`` of its flow)."""

    template_name = "fulfilment/returns/step_form.html"
    form_errors = SHOWN_ON_FORM
    action: ClassVar[str] = ""
    heading: ClassVar[Any] = ""
    note: ClassVar[Any] = ""
    doc: Any = None

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.doc = get_or_404(selectors.return_get_for, user=request.user, pk=pk)
        self.title = self.heading % {"number": self.doc.number}

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request, **kwargs)
        if not RETURN_FLOW.allows(self.action, self.doc, request.user):
            messages.error(request, _("This step is not open to you now."))
            return HttpResponseRedirect(self.doc.get_absolute_url())
        return self.render_form(self.make_form())

    def cancel_url(self) -> str:
        return self.doc.get_absolute_url()

    def context(self) -> dict[str, Any]:
        step = RETURN_FLOW.transitions[self.action]
        return {
            "doc": self.doc,
            "note": self.note,
            "testid": self.action,
            "submit_label": step.label,
            "submit_style": "danger" if self.action in ("fail", "issue_red") else "primary",
        }


@policy(*REQUESTERS)
class ReturnCheckView(_ReturnStepPage):
    """W8.2: the salesperson checks name, specification and quantity of each returned line."""

    action = "check"
    heading = gettext_lazy("Check the goods of %(number)s")
    note = gettext_lazy(
        "Tick what matches the goods as delivered. Goods that do not match are not taken back: cancel the request "
        "or correct it first."
    )

    def make_form(self, data: Any = None, files: Any = None) -> Any:
        return ReturnCheckForm(data, lines=list(self.doc.lines.all()))

    def perform(self, form: Any) -> Any:
        return services.return_check(
            request=self.doc, actor=self.request.user, checks=form.checks(), comment=form.cleaned_data["comment"]
        )

    def success_message(self, result: Any) -> str:
        return _("%(number)s checked: the technical department verifies the goods next.") % {"number": result.number}


@policy(Role.TECHNICAL)
class ReturnVerifyView(_ReturnStepPage):
    """W8.3: the technical department passes the goods as genuine."""

    action = "verify"
    passed = True
    heading = gettext_lazy("Verify the goods of %(number)s")
    note = gettext_lazy("The goods are genuine, ours and as delivered: the verified detail goes to the manager in red.")

    def make_form(self, data: Any = None, files: Any = None) -> Any:
        return ReturnVerifyForm(data, passed=self.passed)

    def perform(self, form: Any) -> Any:
        return services.return_verify(
            request=self.doc, actor=self.request.user, passed=self.passed, notes=form.cleaned_data["notes"]
        )

    def success_message(self, result: Any) -> str:
        return _("%(number)s: %(state)s") % {"number": result.number, "state": result.get_state_display()}


@policy(Role.TECHNICAL)
class ReturnFailView(ReturnVerifyView):
    """W8.3: the goods fail the authenticity check; the return ends and its quantities are free again."""

    action = "fail"
    passed = False
    heading = gettext_lazy("Fail the goods of %(number)s")
    note = gettext_lazy("A failure ends the return; say what was found.")


@policy(*OFFICE)
class RedNoteIssueView(_ReturnStepPage):
    """W8.5: the sales office issues the red sales outbound note of a return confirmed in red. The
    return page's button posts straight here (the goods go back where they were shipped from);
    the page offers another warehouse."""

    action = "issue_red"
    heading = gettext_lazy("Issue the red note of %(number)s")
    note = gettext_lazy("The red sales outbound note takes back each verified line against its original delivery.")

    def make_form(self, data: Any = None, files: Any = None) -> Any:
        return RedNoteIssueForm(data)

    def perform(self, form: Any) -> Any:
        warehouse = form.cleaned_data.get("warehouse")
        return services.red_note_issue(
            actor=self.request.user, return_id=self.doc.pk, warehouse_id=warehouse.pk if warehouse else None
        )

    def success_message(self, result: Any) -> str:
        return _("Red note %(number)s issued: the warehouse receives the goods.") % {"number": result.number}


@policy(*OFFICE)
class ExchangeNoteIssueView(View):
    """An exchange's new goods: the sales office issues the delivery note once the red note is
    issued (POST only); a refusal is a message on the return page."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        doc = get_or_404(selectors.return_get_for, user=request.user, pk=pk)
        try:
            note = services.note_issue(actor=request.user, return_id=doc.pk)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(doc.get_absolute_url())
        messages.success(request, _("Delivery note %(number)s issued for the exchange.") % {"number": note.number})
        return HttpResponseRedirect(note.get_absolute_url())


@policy(*CONFIRMERS)
class DelayCreateView(DocumentFormPage):
    """R7: record why a signed contract ships late and send it to the manager at once
    (``?contract=<id>`` chooses the contract)."""

    form_errors = SHOWN_ON_FORM
    get_for = staticmethod(selectors.delay_get_for)
    list_url_name, list_label = "fulfilment:delay-list", gettext_lazy("Shipment delays (R7)")
    new_title = gettext_lazy("New shipment delay")
    intro = gettext_lazy(
        "A contract ships by the first working day after it is signed (R7). A later shipment needs a reason from "
        "the list, accepted by your manager."
    )
    testid = "delay-form"
    contract: Any = None

    def load(self, request: HttpRequest, pk: int | None = None, **kwargs: Any) -> None:
        from salesops.deals.selectors.contracts import contract_get_for

        contract_id = _pk(request.GET.get("contract"))
        if contract_id is not None:
            self.contract = get_or_404(contract_get_for, user=request.user, pk=contract_id)

    def make_form(self, data: Any = None, files: Any = None) -> Any:
        initial = {"contract": self.contract.pk} if self.contract else {}
        return DelayForm(data, user=self.request.user, initial=initial)

    def perform(self, form: Any) -> Any:
        # One request, one outcome: a delay the manager cannot see yet is never left behind.
        with transaction.atomic():
            delay = services.delay_create(actor=self.request.user, **form.service_kwargs())
            return act_on(delay, "submit", actor=self.request.user)

    def success_message(self, result: Any) -> str:
        return _("%(number)s: %(state)s") % {"number": result.number, "state": result.get_state_display()}

    def cancel_url(self) -> str:
        return self.contract.get_absolute_url() if self.contract else reverse(self.list_url_name)
