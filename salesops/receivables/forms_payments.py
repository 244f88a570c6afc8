"""The forms of a payment request (付款申请表, W5.2-5.4): the amounts asked on the customer's open
invoices and the day to pay by, and the record of how it was sent to the customer."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.core.forms import label

from .forms import PlainForm, RowsForm, date_field, text_field
from .models import PaymentRequest, SendMethod
from .services import Asked

# Nobody sends a payment request to a tax account: that way is for invoices only.
SEND_CHOICES = [(value, text) for value, text in SendMethod.choices if value != SendMethod.TAX_ACCOUNT]


class PaymentRequestForm(RowsForm):
    """How much to ask on each open invoice (blank or 0 leaves it out) and the day to pay by."""

    prefix_name = "amount"
    input_label = _("Amount requested")
    input_places = 2
    text_labels = (_("Invoice number"), _("Issued on"), _("Due on"))
    figure_labels = (_("Total incl. tax"), _("Open amount"))
    after_rows = ("note",)

    pay_by = date_field(label(PaymentRequest, "pay_by"))
    note = text_field(label(PaymentRequest, "note"), required=False, max_length=2000, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pay_by"].initial = timezone.localdate() + datetime.timedelta(days=7)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "pay_by": data["pay_by"],
            "note": data.get("note") or "",
            "lines": [Asked(amount=amount, invoice_id=row.key) for row, amount in self.chosen()],
        }


class SendForm(PlainForm):
    """How the confirmed request went to the customer, and to whom (W5.4)."""

    method = forms.ChoiceField(label=label(PaymentRequest, "sent_by"), choices=SEND_CHOICES)
    sent_to = text_field(
        label(PaymentRequest, "sent_to"),
        max_length=200,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sent_to"].help_text = _("A name, an e-mail address or a number.")

    def service_kwargs(self) -> dict[str, Any]:
        return {"method": self.cleaned_data["method"], "sent_to": self.cleaned_data["sent_to"]}
