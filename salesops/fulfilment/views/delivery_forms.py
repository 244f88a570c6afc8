"""The forms of W4 delivery, each calling one service: a requisition from a signed contract or a
confirmed phone order, the delivery note from an approved requisition and its correction (R8),
the warehouse's outbound, the customer's confirmation and its follow-up.

Each form page loads its document through the type's selector (404 out of scope), is let in by the
service's roles (403 otherwise), and offers the step only while the document can take it (else
back to its page with the reason). The service decides everything again: its refusal lands on the
field, or on the line's row, and nothing is written.
"""

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.catalog.models import Warehouse
from salesops.core.errors import ApplicationError, Forbidden, NotFound
from salesops.core.forms import plain
from salesops.core.policy import policy
from salesops.core.views_generic import get_or_404
from salesops.deals.choices import ContractState, PhoneOrderState
from salesops.deals.models import ContractLine, PhoneOrderLine
from salesops.deals.selectors.contracts import contract_get_for, contract_list
from salesops.deals.selectors.orders import phone_order_get_for, phone_order_list
from salesops.workflow.pages import DocumentStepPage, SourceChoice

from .. import selectors, services
from ..forms_delivery import (
    ConfirmationForm,
    NoteIssueForm,
    NoteReissueForm,
    OutboundForm,
    RequisitionForm,
    ResolveForm,
    Row,
)
from ..models import NoteState, OrderLine, OutboundState, RequisitionLine, ReturnLine
from ..permissions import CONFIRMERS, OFFICE, REQUESTERS, WAREHOUSE
from ..services.notes import ISSUABLE

# The source picker lists at most this many contracts and as many phone orders, newest first.
SOURCE_LIMIT = 200
QUANTITY = DecimalField(max_digits=14, decimal_places=3)


class _DeliveryFormPage(DocumentStepPage):
    """A form acting on one document (``parent``): header fields, its lines, Save and Cancel."""

    template_name = "fulfilment/delivery/form.html"
    testid: ClassVar[str] = "delivery-form"
    multipart: ClassVar[bool] = False

    def rows(self) -> list[Row]:
        return []

    def initial(self) -> dict[str, Any]:
        return {}

    def make_form(self, data=None, files=None):
        return self.form_class(data, files, rows=self.rows(), initial=self.initial())

    def context(self) -> dict[str, Any]:
        return {
            **super().context(),
            "multipart": self.multipart,
            "count_labels": getattr(self.form_class, "count_labels", ()),
        }


def _refused(exc: ApplicationError) -> None:
    """A refusal read before any form: 404 out of scope, 403 for a role, else it is for the page."""
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from exc
    if isinstance(exc, Forbidden):
        raise PermissionDenied(exc.message) from exc


# --- goods requisition (W4.1) ---------------------------------------------------------------------


def _open_only(rows: Any, line_model: Any, key: str) -> Any:
    """The sources with something still to request: sold quantity above what requisitions took."""
    sold = line_model.objects.filter(**{key: OuterRef("pk")}).order_by().values(key).annotate(t=Sum("quantity"))
    source = "contract" if key == "contract" else "phone_order"
    taken = OrderLine.objects.filter(**{source: OuterRef("pk")}).order_by().values(source).annotate(t=Sum("requested"))
    zero = Value(0, output_field=QUANTITY)
    return rows.annotate(
        sold_total=Coalesce(Subquery(sold.values("t")), zero, output_field=QUANTITY),
        requested_total=Coalesce(Subquery(taken.values("t")), zero, output_field=QUANTITY),
    ).filter(sold_total__gt=F("requested_total"))


def deliverable_sources(user: Any) -> tuple[list[Any], list[Any]]:
    """The signed contracts and confirmed phone orders the user sees with something left to request."""
    contracts = contract_list(user=user).filter(state__in=(ContractState.SIGNED, ContractState.ARCHIVED))
    orders = phone_order_list(user=user).filter(state=PhoneOrderState.CONFIRMED)
    return (
        list(_open_only(contracts, ContractLine, "contract").order_by("-signed_on", "-pk")[:SOURCE_LIMIT]),
        list(_open_only(orders, PhoneOrderLine, "order").order_by("-created_at", "-pk")[:SOURCE_LIMIT]),
    )


def _source_id(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name) or request.POST.get(name) or ""
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


@policy(*REQUESTERS)
class RequisitionCreateView(_DeliveryFormPage):
    """A goods requisition (W4.1): choose the signed contract or confirmed phone order, then how much
    of each sold line to request (default: all still open)."""

    form_class = RequisitionForm
    heading = gettext_lazy("New goods requisition")
    intro = gettext_lazy(
        "Request the goods to deliver: all that is open, or part of it (0 skips a line). A branch's requisition "
        "goes to the branch manager first, then the sales manager reviews it with the contract (W4.1-4.3)."
    )
    submit_label = gettext_lazy("Save the draft")
    testid = "requisition-form"
    list_url_name, list_label = "fulfilment:requisition-list", gettext_lazy("Goods requisitions")
    source_choice = SourceChoice(
        intro=gettext_lazy(
            "Choose what to deliver: a signed contract or a confirmed phone or fax order with something still to "
            "request."
        ),
        no_contracts=gettext_lazy("No signed contract has anything left to request."),
        no_orders=gettext_lazy("No confirmed phone order has anything left to request."),
    )

    def load(self, request: HttpRequest, **kwargs: Any) -> None:
        if hasattr(self, "lines"):
            return  # post() loads before FormPage.post asks again
        self.contract_id = _source_id(request, "contract")
        self.phone_order_id = _source_id(request, "phone_order")
        self.parent, self.lines, self.refusal = None, [], ""
        if self.contract_id is None and self.phone_order_id is None:
            return
        try:
            self.lines = selectors.open_sold_lines(
                user=request.user, contract_id=self.contract_id, phone_order_id=self.phone_order_id
            )
            self.parent = (
                contract_get_for(user=request.user, pk=self.contract_id)
                if self.contract_id is not None
                else phone_order_get_for(user=request.user, pk=self.phone_order_id)
            )
        except ApplicationError as exc:
            _refused(exc)
            self.refusal = exc.message

    def _picker(self, request: HttpRequest, status: int = 200) -> HttpResponse:
        if self.refusal:
            messages.error(request, self.refusal)
        contracts, orders = deliverable_sources(request.user)
        return self.source_choice.render(request, self, contracts=contracts, orders=orders, status=status)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request)
        if self.parent is None:
            return self._picker(request)
        if not any(line.open_quantity > 0 for line in self.lines):
            self.refusal = _("Everything sold on %(number)s is already requested.") % {"number": self.parent.number}
            return self._picker(request)
        return self.render_form(self.make_form())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request)
        if self.parent is None:
            return self._picker(request, status=409 if self.refusal else 200)
        return super().post(request, **kwargs)

    def rows(self) -> list[Row]:
        return [
            Row(
                line.source_line_id,
                line.product,
                [plain(line.quantity), plain(line.requested), plain(line.open_quantity)],
                initial=plain(max(line.open_quantity, 0)),
            )
            for line in self.lines
        ]

    def initial(self) -> dict[str, Any]:
        source = self.parent
        customer = source.customer
        warehouses = list(Warehouse.objects.filter(is_active=True).order_by("code")[:50])
        home = [w for w in warehouses if w.branch_id == getattr(self.request.user, "branch_id", None)]
        chosen = (home or warehouses)[:1]
        return {
            "warehouse": chosen[0].pk if chosen else None,
            "address": getattr(source, "delivery_place", "") or customer.address,
            "consignee_phone": customer.phone,
        }

    def perform(self, form) -> Any:
        return services.requisition_create(
            actor=self.request.user,
            contract_id=self.contract_id,
            phone_order_id=self.phone_order_id,
            **form.service_kwargs(),
        )

    def success_message(self, result: Any) -> str:
        return _("Requisition %(number)s drafted: submit it for approval.") % {"number": result.number}

    def context(self) -> dict[str, Any]:
        return {
            **super().context(),
            "source_param": "contract" if self.contract_id is not None else "phone_order",
            "source_id": self.contract_id if self.contract_id is not None else self.phone_order_id,
        }


# --- delivery note (W4.4, R8) ---------------------------------------------------------------------


@policy(*OFFICE)
class NoteIssueView(_DeliveryFormPage):
    """The sales office issues a delivery note from an approved requisition (copy 2 to the warehouse)."""

    form_class = NoteIssueForm
    heading = gettext_lazy("Issue delivery note")
    intro = gettext_lazy("The note goes to the warehouse's queue (copy 2). Issue all that is open, or part of it.")
    submit_label = gettext_lazy("Issue delivery note")
    testid = "note-form"
    list_url_name, list_label = "fulfilment:requisition-list", gettext_lazy("Goods requisitions")

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.parent = get_or_404(selectors.requisition_get_for, user=request.user, pk=pk)

    def unavailable(self) -> str:
        if self.parent.state not in ISSUABLE or not any(r.quantity > r.noted for r in self.parent.lines.all()):
            return _("Nothing on this requisition is waiting for a delivery note.")
        return ""

    def rows(self) -> list[Row]:
        return [
            Row(
                line.pk,
                line.product,
                [plain(line.quantity), plain(line.noted), plain(line.quantity - line.noted)],
                initial=plain(line.quantity - line.noted),
            )
            for line in self.parent.lines.all()
        ]

    def initial(self) -> dict[str, Any]:
        return {name: getattr(self.parent, name) for name in ("address", "consignee", "consignee_phone")}

    def perform(self, form) -> Any:
        return services.note_issue(actor=self.request.user, requisition_id=self.parent.pk, **form.service_kwargs())

    def success_message(self, result: Any) -> str:
        return _("Delivery note %(number)s issued.") % {"number": result.number}


@policy(*OFFICE)
class NoteReissueView(_DeliveryFormPage):
    """Correct an issued note (R8): it is voided with the reason, its number kept, and the corrected
    note is issued in its place, naming it."""

    form_class = NoteReissueForm
    heading = gettext_lazy("Correct and reissue")
    intro = gettext_lazy(
        "An issued note is never edited: this one is voided with your reason (its number kept) and the corrected "
        "note is issued in its place. Both count toward the sales office's accuracy (R8)."
    )
    submit_label = gettext_lazy("Void and reissue")
    testid = "reissue-form"
    list_url_name, list_label = "fulfilment:note-list", gettext_lazy("Sales delivery notes")

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.parent = get_or_404(selectors.note_get_for, user=request.user, pk=pk)

    def unavailable(self) -> str:
        if self.parent.state != NoteState.ISSUED:
            return _("Only an issued note that nothing left on can be corrected.")
        return ""

    def rows(self) -> list[Row]:
        note = self.parent
        if note.requisition_id:
            sources: Any = RequisitionLine.objects.filter(requisition_id=note.requisition_id)
            link = "requisition_line_id"
        else:
            sources = ReturnLine.objects.filter(request_id=note.return_request_id)
            link = "return_line_id"
        on_note = {getattr(line, link): line.quantity for line in note.lines.all()}
        rows = []
        for line in sources.select_related("product").order_by("pk"):
            here = on_note.get(line.pk, 0)
            after = line.quantity - line.noted + here
            rows.append(Row(line.pk, line.product, [plain(line.quantity), plain(here), plain(after)], plain(here)))
        return rows

    def initial(self) -> dict[str, Any]:
        note = self.parent
        return {
            "address": note.address,
            "consignee": note.consignee,
            "consignee_phone": note.consignee_phone,
            "remark": note.note,
        }

    def perform(self, form) -> Any:
        return services.note_reissue(note=self.parent, actor=self.request.user, **form.service_kwargs())

    def success_message(self, result: Any) -> str:
        return _("%(old)s voided; delivery note %(number)s issued in its place.") % {
            "old": self.parent.number,
            "number": result.number,
        }


# --- outbound (W4.5) -----------------------------------------------------------------------------


@policy(*WAREHOUSE)
class OutboundBookView(_DeliveryFormPage):
    """The warehouse books what left against a delivery note, and how it travels."""

    form_class = OutboundForm
    heading = gettext_lazy("Book outbound")
    intro = gettext_lazy(
        "Book what actually leaves: never more than the note; less leaves the rest open on the note, with the reason."
    )
    submit_label = gettext_lazy("Book outbound")
    testid = "outbound-form"
    list_url_name, list_label = "fulfilment:note-list", gettext_lazy("Sales delivery notes")

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.parent = get_or_404(selectors.note_get_for, user=request.user, pk=pk)

    def unavailable(self) -> str:
        if self.parent.state not in (NoteState.ISSUED, NoteState.PARTLY):
            return _("This note has nothing left to ship.")
        return ""

    def rows(self) -> list[Row]:
        return [
            Row(
                line.pk,
                line.product,
                [plain(line.quantity), plain(line.shipped), plain(line.open_quantity)],
                initial=plain(line.open_quantity),
            )
            for line in self.parent.lines.all()
            if line.open_quantity > 0
        ]

    def initial(self) -> dict[str, Any]:
        return {"consignee_phone": self.parent.consignee_phone, "method": "express", "freight_payer": "company"}

    def perform(self, form) -> Any:
        return services.outbound_book(actor=self.request.user, note_id=self.parent.pk, **form.service_kwargs())

    def success_message(self, result: Any) -> str:
        return _("Outbound %(number)s booked.") % {"number": result.number}


# --- customer confirmation (W4.6) ------------------------------------------------------------------


@policy(*CONFIRMERS)
class ConfirmationRecordView(_DeliveryFormPage):
    """Record the customer's signed confirmation of an outbound, with the signed scan."""

    form_class = ConfirmationForm
    heading = gettext_lazy("Record the customer's confirmation")
    intro = gettext_lazy(
        "Attach the page the customer signed or stamped. Note any short or damaged quantity per line: it opens a "
        "follow-up (a return or a short-shipment claim)."
    )
    testid = "confirmation-form"
    list_url_name, list_label = "fulfilment:outbound-list", gettext_lazy("Outbounds")
    multipart = True

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.parent = get_or_404(selectors.outbound_get_for, user=request.user, pk=pk)

    def unavailable(self) -> str:
        if self.parent.state != OutboundState.SHIPPED:
            return _("This outbound's confirmation is already recorded.")
        return ""

    def rows(self) -> list[Row]:
        return [Row(line.pk, line.product, [plain(line.quantity)]) for line in self.parent.lines.all()]

    def initial(self) -> dict[str, Any]:
        return {"signed_by": self.parent.note.consignee, "signed_on": timezone.localdate(), "sign_kind": "stamp"}

    def perform(self, form) -> Any:
        return services.confirmation_record(
            actor=self.request.user, outbound_id=self.parent.pk, **form.service_kwargs()
        )

    def success_message(self, result: Any) -> str:
        return _("Customer confirmation %(number)s recorded.") % {"number": result.number}


@policy(*CONFIRMERS)
class ConfirmationResolveView(_DeliveryFormPage):
    """Close a confirmation's follow-up with what was done."""

    form_class = ResolveForm
    heading = gettext_lazy("Resolve follow-up")
    testid = "resolve-form"
    list_url_name, list_label = "fulfilment:confirmation-list", gettext_lazy("Customer confirmations")

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.parent = get_or_404(selectors.confirmation_get_for, user=request.user, pk=pk)

    def unavailable(self) -> str:
        return "" if self.parent.follow_up_open else _("This confirmation has no open follow-up.")

    def make_form(self, data=None, files=None):
        return ResolveForm(data)

    def perform(self, form) -> Any:
        return services.confirmation_resolve(
            confirmation=self.parent, actor=self.request.user, resolution=form.cleaned_data["resolution"]
        )

    def success_message(self, result: Any) -> str:
        return _("Follow-up resolved.")
