"""The forms of receipts (W5.5): the money finance records, how what is left of it is allocated
(oldest invoice first, or to the invoices chosen), and the reversal of an allocation with its
reason. Parsing only: the services decide."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.core.forms import label
from salesops.core.pickers import use_picker
from salesops.org.models import User
from salesops.org.roles import Role

from .forms import PlainForm, RowsForm, date_field, text_field
from .models import Allocation, Receipt, ReceiptMethod
from .services import Target

OLDEST, NONE, BY_HAND = "oldest", "none", "hand"


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class ReceiptForm(PlainForm):
    """A receipt (收款): who paid, when, how and how much; for money a salesperson collected from a
    dealer (R2), who and when; then whether to allocate it now, oldest invoice first."""

    customer = forms.ModelChoiceField(label=label(Receipt, "customer"), queryset=None)
    received_on = date_field(_("Date received"))
    method = forms.ChoiceField(label=label(Receipt, "method"), choices=ReceiptMethod.choices)
    amount = forms.DecimalField(label=label(Receipt, "amount"), max_digits=14, decimal_places=2, min_value=0)
    payer = text_field(label(Receipt, "payer"), required=False, max_length=200)
    reference = text_field(label(Receipt, "reference"), required=False, max_length=100)
    note = text_field(label(Receipt, "note"), required=False, max_length=300)
    collected_by = _PersonChoice(label=label(Receipt, "collected_by"), queryset=User.objects.none(), required=False)
    collected_on = date_field(label(Receipt, "collected_on"), required=False)
    allocate = forms.ChoiceField(
        label=_("Allocation"),
        choices=[(OLDEST, _("Allocate to open invoices, oldest first")), (NONE, _("Leave it unallocated for now"))],
        initial=OLDEST,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from salesops.customers.selectors import customer_list

        self.fields["customer"].queryset = customer_list(user=user).filter(is_active=True)
        use_picker(self.fields["customer"], "customer")
        self.fields["collected_by"].queryset = (
            User.objects.filter(is_active=True, role_links__role=Role.SALESPERSON).distinct().order_by("username")
        )
        self.fields["collected_by"].help_text = _("Only for money a salesperson collected and remitted (R2).")
        self.fields["received_on"].initial = timezone.localdate()

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        collector = data.get("collected_by")
        return {
            "customer_id": data["customer"].pk,
            "received_on": data["received_on"],
            "method": data["method"],
            "amount": data["amount"],
            "payer": data.get("payer") or "",
            "reference": data.get("reference") or "",
            "note": data.get("note") or "",
            "collected_by_id": collector.pk if collector else None,
            "collected_on": data.get("collected_on"),
            "allocate": data["allocate"],
        }


class AllocateForm(RowsForm):
    """What is left of a receipt, allocated oldest invoice first (one button) or to the open
    invoices chosen, with an amount each (the other)."""

    prefix_name = "amount"
    input_label = _("Amount to allocate")
    input_places = 2
    text_labels = (_("Invoice number"), _("Issued on"), _("Due on"))
    figure_labels = (_("Total incl. tax"), _("Open amount"))
    sent_name = "targets"

    how = forms.ChoiceField(choices=[(OLDEST, OLDEST), (BY_HAND, BY_HAND)], required=False)

    def header_fields(self) -> list:
        return [f for f in super().header_fields() if f.name != "how"]

    @property
    def oldest_first(self) -> bool:
        return self.cleaned_data.get("how") != BY_HAND

    def service_kwargs(self) -> dict[str, Any]:
        if self.oldest_first:
            self.sent = []
            return {"targets": None}
        return {"targets": [Target(amount=amount, invoice_id=row.key) for row, amount in self.chosen()]}


class ReverseForm(PlainForm):
    """Why an allocation is undone (kept with it: an allocation is never deleted)."""

    reason = text_field(label(Allocation, "reverse_reason"), max_length=300)
