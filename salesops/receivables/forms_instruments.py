"""Input forms of the instruments register: they parse and name bad fields; the rules live in
``services.instruments``."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.core.forms import BootstrapFormMixin
from salesops.core.pickers import use_picker
from salesops.customers.models import Customer
from salesops.org.models import User
from salesops.org.roles import Role

from .models import Receipt, ReceiptState
from .models.instruments import InstrumentKind, InstrumentMedium
from .services.instruments import RECEIPT_METHOD
from .workflows_instruments import RECEIVERS

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0.01")}
RANGE_END = {"min_value": 0, "max_value": 999_999_999_999}


def _date(label, **extra) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(format="%Y-%m-%d"), **extra)


class _Choice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.name}" if isinstance(obj, Customer) else str(obj)


class InstrumentForm(BootstrapFormMixin, forms.Form):
    """Register an instrument received (R9). The sales office names the salesperson who received
    it; a salesperson registers their own."""

    kind = forms.ChoiceField(label=_("Instrument kind"), choices=InstrumentKind.choices)
    medium = forms.ChoiceField(label=_("Medium"), choices=InstrumentMedium.choices)
    customer = _Choice(label=_("Received from (customer)"), queryset=Customer.objects.none())
    received_by = _Choice(label=_("Received by"), queryset=User.objects.none(), required=False)
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text=_("Leave empty for now."),
    )
    package_number = forms.CharField(
        label=_("Bill package number"), required=False, max_length=30, help_text=_("Electronic bills: 30 digits.")
    )
    range_start = forms.IntegerField(label=_("Sub-bill range from"), required=False, **RANGE_END)
    range_end = forms.IntegerField(
        label=_("Sub-bill range to"),
        required=False,
        help_text=_(
            "Electronic bills: the amount is the range's (one sub-bill per fen); 0 and 0 if it cannot be split."
        ),
        **RANGE_END,
    )
    instrument_number = forms.CharField(label=_("Instrument number"), required=False, max_length=40)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        required=False,
        help_text=_("Paper instruments, and electronic bills that cannot be split."),
        **MONEY,
    )
    issuer = forms.CharField(label=_("Drawer"), max_length=200)
    acceptor = forms.CharField(label=_("Acceptor or paying bank"), max_length=200)
    payee = forms.CharField(label=_("Payee"), max_length=200, required=False)
    previous_holder = forms.CharField(label=_("Previous holder"), max_length=200, required=False)
    issued_on = _date(_("Issued on"))
    due_on = _date(_("Due on"), required=False, help_text=_("Required for acceptance bills (at most six months)."))
    is_transferable = forms.BooleanField(label=_("Transferable"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, user, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user).filter(is_active=True).order_by("code")
        use_picker(self.fields["customer"], "customer")
        if user.has_role(Role.BACK_OFFICE):
            self.fields["received_by"].queryset = (
                User.objects.filter(is_active=True, branch__isnull=False, role_links__role__in=RECEIVERS)
                .distinct()
                .order_by("username")
            )
            self.fields["received_by"].required = not user.has_role(Role.SALESPERSON)
        else:
            del self.fields["received_by"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        received_by = data.get("received_by")
        return {
            "kind": data["kind"],
            "medium": data["medium"],
            "customer_id": data["customer"].pk,
            "received_by_id": received_by.pk if received_by else None,
            "received_at": data.get("received_at"),
            "package_number": data.get("package_number") or "",
            "range_start": data.get("range_start"),
            "range_end": data.get("range_end"),
            "instrument_number": data.get("instrument_number") or "",
            "amount": data.get("amount"),
            "issuer": data["issuer"],
            "acceptor": data["acceptor"],
            "payee": data.get("payee") or "",
            "previous_holder": data.get("previous_holder") or "",
            "issued_on": data["issued_on"],
            "due_on": data.get("due_on"),
            "is_transferable": data.get("is_transferable", False),
            "note": data.get("note") or "",
        }


class _ActionForm(BootstrapFormMixin, forms.Form):
    """A finance step on one instrument; ``service_kwargs`` are what its service takes."""

    def __init__(self, *args, instrument, user, **kwargs):
        self.instrument = instrument
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


def _part_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Amount of a part (yuan)"),
        required=False,
        help_text=_("Only to move part of an electronic bill (its low sub-bills); leave empty for the whole bill."),
        **MONEY,
    )


class EndorseForm(_ActionForm):
    endorsee = forms.CharField(label=_("Endorsee"), max_length=200)
    endorsed_on = _date(_("Endorsed on"), initial=timezone.localdate)
    amount = _part_field()
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False)


class DiscountForm(_ActionForm):
    bank = forms.CharField(label=_("Discounting bank"), max_length=200)
    discounted_on = _date(_("Discounted on"), initial=timezone.localdate)
    proceeds_amount = forms.DecimalField(label=_("Net proceeds (yuan)"), required=False, **MONEY)
    amount = _part_field()
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False)


class CollectForm(_ActionForm):
    collected_on = _date(_("Collected on"), initial=timezone.localdate)
    bank = forms.CharField(label=_("Collecting bank"), max_length=200, required=False)
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False)


class LinkReceiptForm(_ActionForm):
    """The receipt of this instrument's customer, recorded by the matching method."""

    receipt_id = forms.ModelChoiceField(label=_("Receipt"), queryset=Receipt.objects.none())

    def __init__(self, *args, instrument, user, **kwargs):
        super().__init__(*args, instrument=instrument, user=user, **kwargs)
        self.fields["receipt_id"].queryset = Receipt.objects.visible_to(user).filter(
            customer_id=instrument.customer_id,
            state=ReceiptState.RECORDED,
            method=RECEIPT_METHOD[instrument.kind],
        )
        self.fields["receipt_id"].label_from_instance = lambda r: f"{r.number} · {r.received_on} · ¥{r.amount:,.2f}"

    def service_kwargs(self) -> dict:
        return {"receipt_id": self.cleaned_data["receipt_id"].pk}
