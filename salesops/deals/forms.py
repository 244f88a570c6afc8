"""Input forms of the deals pages: they parse and name bad fields; the rules live in ``services``.

Product lines are a fixed number of rows (``LINE_ROWS``); a blank row is skipped. A service error
on ``lines.<i>.<field>`` is put back on the row it came from (``line_errors``).
"""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.catalog.models import Product
from salesops.core.errors import InvalidInput
from salesops.core.forms import BootstrapFormMixin
from salesops.core.listing import MAX_DB_INTEGER
from salesops.core.pickers import PickerField, use_picker
from salesops.customers.models import Competitor, Customer

from .choices import InquiryKind, InquirySource, OrderChannel, PaymentTerms, SupportKind
from .lines import LineIn
from .services.inquiries import InquiryLineIn

LINE_ROWS = 5
_LINE_KEY = re.compile(r"^lines\.(\d+)\.(\w+)$")


class _CodeNameChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


def _customer_field() -> forms.ModelChoiceField:
    return _CodeNameChoice(label=_("Customer"), queryset=Customer.objects.none())


class _LinesForm(BootstrapFormMixin, forms.Form):
    """Adds ``product_<n>``, ``quantity_<n>`` (and ``unit_price_<n>`` when priced) for n = 1..LINE_ROWS."""

    priced = False
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        products = Product.objects.filter(is_active=True).order_by("code")
        for n in range(1, LINE_ROWS + 1):
            self.fields[f"product_{n}"] = PickerField(
                "product", label=_("Product %(n)s") % {"n": n}, queryset=products, required=False
            )
            # Quantities and prices are checked by the service (it names the bad row).
            self.fields[f"quantity_{n}"] = forms.DecimalField(label=_("Quantity %(n)s") % {"n": n}, required=False)
            if self.priced:
                self.fields[f"unit_price_{n}"] = forms.DecimalField(
                    label=_("Unit price (tax incl.) %(n)s") % {"n": n}, required=False
                )
        # Added after BootstrapFormMixin styled the declared fields.
        for name, field in self.fields.items():
            if re.match(r"^(product|quantity|unit_price)_\d+$", name):
                field.widget.attrs["class"] = "form-control form-control-sm"
                # The rows are a table without <label>s.
                field.widget.attrs["aria-label"] = str(field.label)
        self._rows: list[int] = []

    def require_version(self) -> None:
        self.fields["version"].required = True

    def line_rows(self) -> list[dict[str, Any]]:
        """The bound fields of each row, for the lines table."""
        names = ("product", "quantity", "unit_price") if self.priced else ("product", "quantity")
        return [{name: self[f"{name}_{n}"] for name in names} for n in range(1, LINE_ROWS + 1)]

    def header_fields(self) -> list:
        return [f for f in self.visible_fields() if not re.match(r"^(product|quantity|unit_price)_\d+$", f.name)]

    def clean(self):
        data = super().clean()
        self._rows = []
        for n in range(1, LINE_ROWS + 1):
            values = [data.get(f"product_{n}"), data.get(f"quantity_{n}")]
            if self.priced:
                values.append(data.get(f"unit_price_{n}"))
            if all(v in (None, "") for v in values):
                continue
            if data.get(f"product_{n}") is None:
                self.add_error(f"product_{n}", _("Choose a product."))
            if data.get(f"quantity_{n}") is None:
                self.add_error(f"quantity_{n}", _("Give the quantity."))
            if self.priced and data.get(f"unit_price_{n}") is None:
                self.add_error(f"unit_price_{n}", _("Give the unit price."))
            self._rows.append(n)
        return data

    def lines(self) -> list:
        data = self.cleaned_data
        if self.priced:
            return [
                LineIn(
                    product_id=data[f"product_{n}"].pk,
                    quantity=data[f"quantity_{n}"],
                    unit_price=data[f"unit_price_{n}"],
                )
                for n in self._rows
            ]
        return [InquiryLineIn(product_id=data[f"product_{n}"].pk, quantity=data[f"quantity_{n}"]) for n in self._rows]

    def line_errors(self, exc: InvalidInput) -> InvalidInput:
        """The service's error with ``lines.<i>.<field>`` renamed to this form's row field."""
        fields = exc.extra.get("fields", {})
        renamed: dict[str, list[str]] = {}
        for key, messages in fields.items():
            found = _LINE_KEY.match(key)
            if found and int(found.group(1)) < len(self._rows):
                row = self._rows[int(found.group(1))]
                key = f"{found.group(2)}_{row}"
            elif key == "lines":
                key = "product_1"
            renamed[key] = messages
        return InvalidInput(exc.message, fields=renamed)

    @staticmethod
    def line_initial(lines) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for n, line in enumerate(lines, start=1):
            if n > LINE_ROWS:
                break
            initial[f"product_{n}"] = line.product_id
            initial[f"quantity_{n}"] = line.quantity
            if hasattr(line, "unit_price"):
                initial[f"unit_price_{n}"] = line.unit_price
        return initial


class InquiryForm(_LinesForm):
    """Record an inquiry or tender (W2.1) with the products and quantities asked for."""

    customer = _customer_field()
    kind = forms.ChoiceField(label=_("Kind"), choices=InquiryKind.choices)
    source = forms.ChoiceField(label=_("Source"), choices=InquirySource.choices)
    title = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("What the customer asks for"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    deadline_on = forms.DateField(label=_("Reply deadline"), required=False, widget=forms.DateInput(format="%Y-%m-%d"))
    estimated_amount = forms.DecimalField(label=_("Estimated amount (yuan)"), required=False)
    is_flagged_major = forms.BooleanField(label=_("Major (flagged)"), required=False)
    received_on = forms.DateField(
        label=_("Received on"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d"),
        help_text=_("When the customer's inquiry reached you; report it by the next working day (W2.1)."),
    )

    HEADER = ("customer", "kind", "source", "title", "description", "deadline_on", "estimated_amount", "received_on")

    def __init__(self, *args, user, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            initial = {name: getattr(instance, name) for name in self.HEADER if name not in ("customer", "received_on")}
            initial.update(
                customer=instance.customer_id,
                is_flagged_major=instance.is_flagged_major,
                version=instance.version,
                **self.line_initial(instance.lines.all()),
            )
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user).filter(is_active=True).order_by("code")
        use_picker(self.fields["customer"], "customer")
        if instance is not None:
            del self.fields["received_on"]  # set once, when the inquiry is recorded
        # Header fields first, then the line rows.
        self.order_fields(list(self.HEADER))

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "customer_id": data["customer"].pk,
            "kind": data["kind"],
            "source": data["source"],
            "title": data["title"],
            "description": data.get("description") or "",
            "deadline_on": data.get("deadline_on"),
            "estimated_amount": data.get("estimated_amount") or Decimal("0"),
            "lines": self.lines(),
            # Flagged major when recorded; an edit keeps the flag (it travels with the deal).
            **(
                {}
                if self.instance is not None
                else {"is_flagged_major": bool(data.get("is_flagged_major")), "received_on": data.get("received_on")}
            ),
        }


class _TermsMixin(forms.Form):
    payment_terms = forms.ChoiceField(label=_("Payment terms"), choices=PaymentTerms.choices)
    payment_terms_note = forms.CharField(label=_("Payment terms details"), max_length=300, required=False)
    delivery_time = forms.CharField(label=_("Delivery time"), max_length=200, required=False)
    delivery_place = forms.CharField(label=_("Delivery place"), max_length=200, required=False)
    warranty = forms.CharField(label=_("Warranty"), max_length=200, required=False)
    other_terms = forms.CharField(label=_("Other terms"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    TERMS = ("payment_terms", "payment_terms_note", "delivery_time", "delivery_place", "warranty", "other_terms")

    def terms(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) or "" for name in self.TERMS}


class QuotationForm(_TermsMixin, _LinesForm):
    """Draft or edit a quotation (W2.5): price lines, validity and terms. R4 is derived by the service."""

    priced = True
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput(format="%Y-%m-%d"))

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            initial = {name: getattr(instance, name) for name in self.TERMS}
            initial.update(valid_until=instance.valid_until, version=instance.version)
            initial.update(self.line_initial(instance.lines.all()))
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.order_fields(["valid_until", *self.TERMS])

    def service_kwargs(self) -> dict[str, Any]:
        return {"valid_until": self.cleaned_data["valid_until"], "lines": self.lines(), **self.terms()}


class ContractForm(_TermsMixin, _LinesForm):
    """Edit a draft contract's lines and terms; any difference from the quotation is a deviation (W3.3)."""

    priced = True

    def __init__(self, *args, instance, user=None, **kwargs):
        if "initial" not in kwargs:
            initial = {name: getattr(instance, name) for name in self.TERMS}
            initial.update(version=instance.version, **self.line_initial(instance.lines.all()))
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.order_fields(list(self.TERMS))

    def service_kwargs(self) -> dict[str, Any]:
        return {"lines": self.lines(), **self.terms()}


class PhoneOrderForm(_TermsMixin, _LinesForm):
    """Record a phone or fax order without a formal contract (W3.6)."""

    priced = True
    customer = _customer_field()
    channel = forms.ChoiceField(label=_("Channel"), choices=OrderChannel.choices)
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(format="%Y-%m-%d"))
    reason_without_contract = forms.CharField(
        label=_("Why without a formal contract"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, instance=None, **kwargs):
        if instance is not None:
            initial = {name: getattr(instance, name) for name in self.TERMS}
            initial.update(
                customer=instance.customer_id,
                channel=instance.channel,
                received_on=instance.received_on,
                reason_without_contract=instance.reason_without_contract,
                version=instance.version,
                **self.line_initial(instance.lines.all()),
            )
            kwargs.setdefault("initial", initial)
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user).filter(is_active=True).order_by("code")
        use_picker(self.fields["customer"], "customer")
        self.order_fields(["customer", "channel", "received_on", "reason_without_contract", *self.TERMS])

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "customer_id": data["customer"].pk,
            "channel": data["channel"],
            "received_on": data["received_on"],
            "reason_without_contract": data["reason_without_contract"],
            "lines": self.lines(),
            **self.terms(),
        }


class SupportRequestForm(BootstrapFormMixin, forms.Form):
    """Ask technical (W2.3) or purchasing (W2.4) for help, by a due date."""

    kind = forms.ChoiceField(label=_("Addressed to"), choices=SupportKind.choices)
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("Answer due"), widget=forms.DateInput(format="%Y-%m-%d"))


class AnswerForm(BootstrapFormMixin, forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}))


class WaiveForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for waiving"), max_length=2000)


class NegotiationNoteForm(BootstrapFormMixin, forms.Form):
    """One round of negotiation (W3.1)."""

    happened_on = forms.DateField(label=_("Date"), widget=forms.DateInput(format="%Y-%m-%d"))
    note = forms.CharField(label=_("What was negotiated"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"happened_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class WonForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LostForm(BootstrapFormMixin, forms.Form):
    """The deal went elsewhere; the winner and price feed market intelligence (R1)."""

    note = forms.CharField(label=_("Why the deal was lost"), widget=forms.Textarea(attrs={"rows": 2}))
    competitor = forms.ModelChoiceField(
        label=_("Winning competitor"), queryset=Competitor.objects.order_by("name"), required=False
    )
    winning_price = forms.DecimalField(label=_("Winning price (yuan)"), required=False)


class WithdrawForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("Reason for withdrawing"), widget=forms.Textarea(attrs={"rows": 2}))


class SignForm(BootstrapFormMixin, forms.Form):
    """The signing of a confirmed contract (W3.4): the date and the signed scan."""

    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(format="%Y-%m-%d"))
    scan = forms.FileField(label=_("Signed scan (PDF, PNG or JPG)"))
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"signed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class PipelineFilterForm(BootstrapFormMixin, forms.Form):
    # Ids the database can hold: a larger number is an invalid filter, not an overflow in the query.
    salesperson = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=MAX_DB_INTEGER)
    branch = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=MAX_DB_INTEGER)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(format="%Y-%m-%d"))
