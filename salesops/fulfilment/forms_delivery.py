"""Input forms of the delivery documents (W4): a requisition, a delivery note and its correction,
an outbound, the customer's confirmation and its follow-up. They parse and name bad fields; the
rules (what is open, who may act, what a shipment needs) live in ``services``.

A form that takes quantities from source lines shows one row per line with what the line counts
and its own inputs (``qty_<line id>``; the confirmation's ``short_``, ``damaged_``, ``remark_``).
A quantity defaults to all still open; blank or 0 skips the line. The service names a bad line by
its place in what was sent (``lines.1.quantity``): ``service_error`` puts it back on that row.
No form here shows a price: the warehouse uses them.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.catalog.models import Warehouse
from salesops.core.errors import InvalidInput
from salesops.core.forms import BootstrapFormMixin, label

from .models import Confirmation, DeliveryNote, FreightPayer, Outbound, Requisition, ShippingMethod, SignKind
from .services import Discrepancy, Pick, Shipment

_SENT_KEY = re.compile(r"^(?:lines|discrepancies)\.(\d+)\.(\w+)$")
# Service fields named otherwise on the forms.
_RENAMED = {"file": "scan", "warehouse_id": "warehouse"}


@dataclass(frozen=True)
class Row:
    """One source line of a form: its id (what the service's pick names), its product, what it
    counts (shown before the inputs) and the quantity its input starts with."""

    line_id: int
    product: Any
    counts: Sequence[str]
    initial: Any = None


def _quantity_field(caption: Any) -> forms.DecimalField:
    return forms.DecimalField(label=caption, required=False, min_value=0, max_digits=14, decimal_places=3)


class _RowsForm(BootstrapFormMixin, forms.Form):
    """Header fields, then a table of source lines with inputs per row (``row_inputs``)."""

    # (field prefix, label) of each row's inputs; the first is the row's quantity.
    row_inputs: ClassVar[tuple[tuple[str, Any], ...]] = (("qty", _("Quantity")),)
    count_labels: ClassVar[tuple[Any, ...]] = ()
    # Header fields shown after the lines (the rest come before them).
    after_lines: ClassVar[tuple[str, ...]] = ()

    def __init__(self, data=None, files=None, *, rows: Sequence[Row], **kwargs: Any) -> None:
        super().__init__(data, files, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            for prefix, caption in self.row_inputs:
                name = f"{prefix}_{row.line_id}"
                if prefix in ("qty", "short", "damaged"):
                    self.fields[name] = _quantity_field(caption)
                else:
                    self.fields[name] = forms.CharField(label=caption, required=False, max_length=300)
                if prefix == "qty":
                    self.fields[name].initial = row.initial
                widget = self.fields[name].widget
                widget.attrs.update(
                    {
                        "class": "form-control form-control-sm",
                        # The rows are a table without <label>s.
                        "aria-label": f"{row.product.name} {caption}",
                        "data-testid": f"{prefix}-{row.line_id}",
                    }
                )
        # Rows whose values went to the service, in the order it numbers them.
        self.sent: list[Row] = []

    def _row_names(self) -> set[str]:
        return {f"{prefix}_{row.line_id}" for row in self.rows for prefix, _label in self.row_inputs}

    def header_fields(self) -> list:
        skip = self._row_names() | set(self.after_lines)
        return [f for f in self.visible_fields() if f.name not in skip]

    def footer_fields(self) -> list:
        return [self[name] for name in self.after_lines if name in self.fields]

    def line_rows(self) -> list[dict[str, Any]]:
        return [
            {"row": row, "fields": [self[f"{prefix}_{row.line_id}"] for prefix, _label in self.row_inputs]}
            for row in self.rows
        ]

    def input_labels(self) -> list[Any]:
        return [caption for _prefix, caption in self.row_inputs]

    def picks(self) -> list[Pick]:
        """The rows given a quantity above 0, as the service takes them."""
        self.sent = []
        picks = []
        for row in self.rows:
            quantity = self.cleaned_data.get(f"qty_{row.line_id}")
            if quantity:
                self.sent.append(row)
                picks.append(Pick(row.line_id, quantity))
        return picks

    def service_error(self, exc: InvalidInput) -> InvalidInput:
        """The service's error with each key renamed to this form's field; a line's error lands on the
        row it came from, and what names no field shows above the form."""
        first = self.row_inputs[0][0]
        placed: dict[str, list[str]] = {}
        for key, messages in exc.extra.get("fields", {}).items():
            found = _SENT_KEY.match(key)
            if found and int(found.group(1)) < len(self.sent):
                # "quantity" and "line_id" name the row's first input; "short", "damaged" their own.
                prefix = found.group(2) if found.group(2) in dict(self.row_inputs) else first
                target = f"{prefix}_{self.sent[int(found.group(1))].line_id}"
            elif key in ("lines", "discrepancies") and self.rows:
                target = f"{first}_{self.rows[0].line_id}"
            else:
                target = _RENAMED.get(key, key)
            if target in self.fields:
                placed.setdefault(target, []).extend(messages)
            else:
                for message in messages:
                    self.add_error(None, message)
        return InvalidInput(exc.message, fields=placed)


def _text(caption: Any, *, required: bool = True, max_length: int = 300, rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=caption, required=required, max_length=max_length, widget=widget)


class _DeliveryTo(forms.Form):
    """Where the goods go: a requisition's, a note's (prefilled, editable)."""

    address = _text(label(DeliveryNote, "address"))
    consignee = _text(label(DeliveryNote, "consignee"), max_length=60)
    consignee_phone = _text(label(DeliveryNote, "consignee_phone"), max_length=30)

    def delivery_kwargs(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("address", "consignee", "consignee_phone")}


class _WarehouseChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class RequisitionForm(_DeliveryTo, _RowsForm):
    """A goods requisition (W4.1) from one signed contract or confirmed phone order."""

    row_inputs = (("qty", _("Quantity to request")),)
    count_labels = (_("Sold"), _("Already requested"), _("Open"))
    after_lines = ("note",)

    warehouse = _WarehouseChoice(label=label(Requisition, "warehouse"), queryset=Warehouse.objects.none())
    wanted_on = forms.DateField(
        label=label(Requisition, "wanted_on"), required=False, widget=forms.DateInput(format="%Y-%m-%d")
    )
    note = _text(label(Requisition, "note"), required=False, max_length=2000, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = Warehouse.objects.filter(is_active=True).order_by("code")
        self.order_fields(["warehouse", "address", "consignee", "consignee_phone", "wanted_on"])

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "warehouse_id": data["warehouse"].pk,
            "wanted_on": data.get("wanted_on"),
            "note": data.get("note") or "",
            "lines": self.picks(),
            **self.delivery_kwargs(),
        }


class NoteIssueForm(_DeliveryTo, _RowsForm):
    """A sales delivery note (W4.4) for what an approved requisition still has open."""

    row_inputs = (("qty", _("Quantity to issue")),)
    count_labels = (_("Requested"), _("On delivery notes"), _("Open"))
    after_lines = ("note",)

    note = _text(label(DeliveryNote, "note"), required=False, max_length=2000, rows=2)

    def service_kwargs(self) -> dict[str, Any]:
        return {"note": self.cleaned_data.get("note") or "", "lines": self.picks(), **self.delivery_kwargs()}


class NoteReissueForm(_DeliveryTo, _RowsForm):
    """The correction of an issued note (R8): the reason, then the corrected note."""

    row_inputs = (("qty", _("Quantity on the corrected note")),)
    count_labels = (_("Requested"), _("On this note"), _("Open once voided"))
    after_lines = ("remark",)

    reason = _text(_("Why the note is corrected"), max_length=2000, rows=2)
    remark = _text(label(DeliveryNote, "note"), required=False, max_length=2000, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["reason", "address", "consignee", "consignee_phone"])

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "reason": data["reason"],
            "remark": data.get("remark") or "",
            "lines": self.picks(),
            **self.delivery_kwargs(),
        }


class OutboundForm(_RowsForm):
    """The warehouse's outbound (W4.5): what actually leaves against the note, and how."""

    row_inputs = (("qty", _("Quantity shipped")),)
    count_labels = (_("On the note"), _("Shipped"), _("Open"))
    after_lines = ("short_reason",)

    method = forms.ChoiceField(label=label(Outbound, "method"), choices=ShippingMethod.choices)
    carrier = _text(label(Outbound, "carrier"), required=False, max_length=100)
    tracking_numbers = forms.CharField(
        label=label(Outbound, "tracking_numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    consignee_phone = _text(label(Outbound, "consignee_phone"), max_length=30)
    vehicle = _text(label(Outbound, "vehicle"), required=False, max_length=20)
    driver = _text(label(Outbound, "driver"), required=False, max_length=60)
    freight_payer = forms.ChoiceField(label=label(Outbound, "freight_payer"), choices=FreightPayer.choices)
    packages = forms.IntegerField(label=label(Outbound, "packages"), min_value=1, max_value=100000, initial=1)
    weight_kg = forms.DecimalField(
        label=label(Outbound, "weight_kg"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    short_reason = _text(label(Outbound, "short_reason"), required=False, max_length=2000, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Shown only for the company's own car (static fulfilment/delivery.js; without it, always).
        for name in ("vehicle", "driver"):
            self.fields[name].widget.attrs["data-show-when"] = f"method={ShippingMethod.COMPANY_VEHICLE}"
        self.fields["short_reason"].help_text = _("Needed when shipping less than is open: the rest stays open.")

    def shipment(self) -> Shipment:
        data = self.cleaned_data
        return Shipment(
            method=data["method"],
            consignee_phone=data["consignee_phone"],
            freight_payer=data["freight_payer"],
            carrier=data.get("carrier") or "",
            tracking_numbers=[n.strip() for n in (data.get("tracking_numbers") or "").splitlines() if n.strip()],
            vehicle=data.get("vehicle") or "",
            driver=data.get("driver") or "",
            packages=data["packages"],
            weight_kg=data.get("weight_kg"),
        )

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "shipment": self.shipment(),
            "lines": self.picks(),
            "short_reason": self.cleaned_data.get("short_reason") or "",
        }


class ConfirmationForm(_RowsForm):
    """The customer's signed confirmation (W4.6), with any short or damaged quantity per line."""

    row_inputs = (("short", _("Short")), ("damaged", _("Damaged")), ("remark", _("Remark")))
    count_labels = (_("Shipped"),)

    signed_by = _text(label(Confirmation, "signed_by"), max_length=60)
    # Not the model's "signed on": that term is the contract's signing (签订); this is 签收.
    signed_on = forms.DateField(label=_("Signed for on"), widget=forms.DateInput(format="%Y-%m-%d"))
    sign_kind = forms.ChoiceField(label=label(Confirmation, "sign_kind"), choices=SignKind.choices)
    scan = forms.FileField(
        label=_("Signed confirmation (scan or photo)"),
        help_text=_("PDF, PNG or JPEG of the page the customer signed or stamped."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].initial = timezone.localdate()
        self.fields["scan"].widget.attrs["accept"] = ".pdf,.png,.jpg,.jpeg"

    def discrepancies(self) -> list[Discrepancy]:
        """The rows with a short or damaged quantity, as the service takes them."""
        self.sent = []
        found = []
        for row in self.rows:
            short = self.cleaned_data.get(f"short_{row.line_id}")
            damaged = self.cleaned_data.get(f"damaged_{row.line_id}")
            if short or damaged:
                self.sent.append(row)
                remark = self.cleaned_data.get(f"remark_{row.line_id}") or ""
                found.append(Discrepancy(row.line_id, short=short or 0, damaged=damaged or 0, remark=remark))
        return found

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "signed_by": data["signed_by"],
            "signed_on": data["signed_on"],
            "sign_kind": data["sign_kind"],
            "scan": data["scan"],
            "discrepancies": self.discrepancies(),
        }


class ResolveForm(BootstrapFormMixin, forms.Form):
    """What was done about a confirmation's discrepancy (a short shipment re-sent, a claim agreed)."""

    resolution = _text(_("What was done"), max_length=2000, rows=3)

    def service_error(self, exc: InvalidInput) -> InvalidInput:
        return exc
