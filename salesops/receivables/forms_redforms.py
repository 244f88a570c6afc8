"""The forms of red invoices and of the dispatch register: a red-invoice form against a blue
invoice (full, or the amounts to reverse on its lines), the red invoice issued from a confirmed
form, and how an invoice went to the buyer (R9)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.core.forms import label

from .forms import PlainForm, Row, RowsForm, date_field, text_field, yuan
from .models import Invoice, InvoiceDispatch, RedInitiator, RedInvoiceForm, RedReason, SendMethod


def blue_rows(lines_left) -> list[Row]:
    """One row per blue line: its printed name, amount including tax and what is left to reverse."""
    return [
        Row(line.pk, (line.name, line.specification), [yuan(line.amount_with_tax), yuan(left)])
        for line, left, _quantity in lines_left
    ]


class RedFormForm(RowsForm):
    """Full: the whole of what is left. Partial (a return or a discount, once the buyer confirmed
    the invoice's use): the amount including tax to reverse on each line."""

    prefix_name = "amount"
    input_label = _("Amount to reverse")
    input_places = 2
    text_labels = (_("Item name"), _("Specification"))
    figure_labels = (_("Total incl. tax"), _("Left to reverse"))
    after_rows = ("platform_number", "note")

    reason = forms.ChoiceField(label=label(RedInvoiceForm, "reason"), choices=RedReason.choices)
    full = forms.BooleanField(label=label(RedInvoiceForm, "full"), required=False, initial=True)
    initiator = forms.ChoiceField(
        label=label(RedInvoiceForm, "initiator"), choices=RedInitiator.choices, initial=RedInitiator.SELLER
    )
    raised_at = forms.DateTimeField(
        label=_("Raised by the buyer at"),
        required=False,
        help_text=_("When the buyer raised it on the platform: the 72 hours to confirm run from then."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    platform_number = forms.CharField(label=label(RedInvoiceForm, "platform_number"), required=False, max_length=30)
    note = text_field(label(RedInvoiceForm, "note"), required=False)

    def service_kwargs(self, lines_left) -> dict[str, Any]:
        from .services import RedPick

        unit = {
            line.pk: (line.amount_with_tax / line.quantity if line.quantity else None) for line, _l, _q in lines_left
        }
        data = self.cleaned_data
        picks = []
        for row, amount in self.chosen():
            quantity = None
            if data["reason"] == RedReason.RETURN and unit.get(row.key):
                quantity = (amount / unit[row.key]).quantize(Decimal("0.001"))
            picks.append(RedPick(blue_line_id=row.key, amount=amount, quantity=quantity))
        return {
            "reason": data["reason"],
            "full": bool(data["full"]),
            "lines": None if data["full"] else picks,
            "initiator": data["initiator"],
            "raised_at": data.get("raised_at"),
            "platform_number": data.get("platform_number", ""),
            "note": data.get("note", ""),
        }


class RedInvoiceRecordForm(PlainForm):
    """The red invoice the platform issued from a confirmed form: its 20-digit number and day."""

    invoice_number = forms.CharField(label=label(Invoice, "invoice_number"), max_length=20)
    issued_on = date_field(label(Invoice, "issued_on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].initial = timezone.localdate()
        self.fields["invoice_number"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def service_kwargs(self) -> dict[str, Any]:
        return {"invoice_number": self.cleaned_data["invoice_number"], "issued_on": self.cleaned_data["issued_on"]}


class DispatchForm(PlainForm):
    """How the invoice went to the buyer (R9); a printed copy handed over is signed for."""

    method = forms.ChoiceField(label=label(InvoiceDispatch, "method"), choices=SendMethod.choices)
    sent_to = forms.CharField(label=label(InvoiceDispatch, "sent_to"), max_length=200)
    signed_by = forms.CharField(label=label(InvoiceDispatch, "signed_by"), max_length=60, required=False)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"method": data["method"], "sent_to": data["sent_to"], "signed_by": data.get("signed_by", "")}
