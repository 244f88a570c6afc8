"""The forms of invoicing (W6): an invoice request from a contract's or phone order's sold lines,
and the invoice finance records on an approved request. They parse and name bad fields; what is
open to invoice, who may act and the number's rules are the services'."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.core.forms import label
from salesops.fulfilment.services import Pick

from .forms import PlainForm, RowsForm, date_field, text_field
from .models import Invoice, InvoiceKind, InvoiceRequest


class InvoiceRequestForm(RowsForm):
    """An invoice request (发票申请表, W6.1): how much of each sold line to invoice, the kind of
    invoice, whether it is an advance invoice (预开票, before delivery) and the remark printed."""

    input_label = _("Quantity to invoice")
    text_labels = (_("Product"), _("Model / specification"), _("Unit"))
    figure_labels = (_("Sold"), _("Delivered"), _("Returned"), _("Already invoiced"), _("Open to invoice"))
    after_rows = ("remark",)

    kind = forms.ChoiceField(label=label(InvoiceRequest, "kind"), choices=InvoiceKind.choices)
    advance = forms.BooleanField(
        label=label(InvoiceRequest, "advance"),
        required=False,
        help_text=_("Invoice goods not delivered yet (up to the quantity sold); the sales manager approves it."),
    )
    remark = text_field(label(InvoiceRequest, "remark"), required=False, max_length=200, rows=2)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "advance": bool(data.get("advance")),
            "remark": data.get("remark") or "",
            "lines": [Pick(row.key, quantity) for row, quantity in self.chosen()],
        }


class InvoiceRecordForm(PlainForm):
    """The invoice the platform issued for an approved request (W6.3): its 20-digit number and the
    day it was issued. The lines are the request's, computed with their tax (shown, not typed)."""

    invoice_number = forms.CharField(
        label=label(Invoice, "invoice_number"),
        max_length=20,
        help_text=_("The 20 digits the e-invoice platform gave the 数电 invoice."),
    )
    issued_on = date_field(label(Invoice, "issued_on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].initial = timezone.localdate()
        self.fields["invoice_number"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def service_kwargs(self) -> dict[str, Any]:
        return {"invoice_number": self.cleaned_data["invoice_number"], "issued_on": self.cleaned_data["issued_on"]}
