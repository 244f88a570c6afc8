"""Input forms of returns and exchanges (W8) and shipment delays (R7): they parse and name bad
fields; the rules (what is still returnable, who checks, what a reason needs) live in ``services``.

A return's lines are the chosen customer's delivered lines, one quantity box each
(``quantity_<outbound line id>``); a blank box is not returned. A service error on
``lines.<i>.<field>`` is put back on the box it came from (``line_errors``).
"""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesops.catalog.models import Warehouse
from salesops.core.errors import InvalidInput
from salesops.core.forms import BootstrapFormMixin
from salesops.customers.models import Customer
from salesops.deals.choices import ContractState
from salesops.deals.models import Contract
from salesops.deals.selectors.contracts import contract_list

from .models import DelayReason, Outbound, ReturnKind
from .services import Pick
from .services.returns import returnable_lines

_LINE_KEY = re.compile(r"^lines\.(\d+)\.\w+$")


class _CodeNameChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class _ContractChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} · {obj.customer.name}"


def delivered_customers(user) -> Any:
    """The customers with an outbound the user sees: whose goods the user may take back."""
    outbounds = Outbound.objects.visible_to(user).values("customer_id")
    return Customer.objects.filter(pk__in=outbounds).order_by("code")


class ReturnForm(BootstrapFormMixin, forms.Form):
    """A return or exchange request (W8.1): the customer, the kind, the reason, and how much of each
    delivered line comes back. ``customer_id`` picks whose lines are offered (the posted one, else
    the initial one)."""

    customer = _CodeNameChoice(label=_("Customer"), queryset=Customer.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ReturnKind.choices, initial=ReturnKind.RETURN)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    # From a customer confirmation with discrepancies (W4.6): the request closes its follow-up.
    confirmation = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, user: Any, customer_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = delivered_customers(user)
        self.fields["customer"].widget.attrs.update(
            {
                "hx-get": reverse("fulfilment:return-create"),
                "hx-target": "#return-lines",
                "hx-swap": "outerHTML",
                "data-testid": "customer",
            }
        )
        self.lines = returnable_lines(user=user, customer_id=customer_id) if customer_id else []
        for line in self.lines:
            left = line.quantity - line.claimed
            # Checked against what is left by the service, which names this box (``line_errors``).
            field = forms.DecimalField(label=str(line.product), required=False)
            field.widget.attrs.update(
                {
                    "class": "form-control form-control-sm text-end",
                    "aria-label": f"{line.product.name} {line.outbound.number}",
                    "max": format(left.normalize(), "f"),
                    "step": "any",
                }
            )
            if left <= 0:
                field.disabled = True
            self.fields[f"quantity_{line.pk}"] = field
        self._picked: list[int] = []

    def line_rows(self) -> list[dict[str, Any]]:
        """Each delivered line with its counts and its quantity box, for the lines table."""
        return [
            {
                "line": line,
                "left": (line.quantity - line.claimed).normalize(),
                "field": self[f"quantity_{line.pk}"],
            }
            for line in self.lines
        ]

    def header_fields(self) -> list:
        return [self[name] for name in ("customer", "kind", "reason")]

    def picks(self) -> list[Pick]:
        """The quantities typed, in the table's order (a blank box is not returned)."""
        self._picked = []
        found = []
        for line in self.lines:
            quantity = self.cleaned_data.get(f"quantity_{line.pk}")
            if quantity is None:
                continue
            self._picked.append(line.pk)
            found.append(Pick(line.pk, quantity))
        return found

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "customer_id": data["customer"].pk,
            "kind": data["kind"],
            "reason": data.get("reason") or "",
            "lines": self.picks(),
            "confirmation_id": data.get("confirmation"),
        }

    def line_errors(self, exc: InvalidInput) -> InvalidInput:
        """The service's error with ``lines.<i>.<field>`` renamed to the quantity box of that line;
        an error on the lines as a whole becomes the form's message."""
        fields = dict(exc.extra.get("fields", {}))
        message = exc.message
        renamed: dict[str, list[str]] = {}
        for key, messages in fields.items():
            found = _LINE_KEY.match(key)
            if found and int(found.group(1)) < len(self._picked):
                renamed[f"quantity_{self._picked[int(found.group(1))]}"] = messages
            elif key == "lines":
                message = " ".join(messages)
            else:
                renamed[key] = messages
        return InvalidInput(message, fields=renamed)

    @staticmethod
    def from_confirmation(confirmation: Any) -> dict[str, Any]:
        """The initial values of a request raised from a customer confirmation: its customer, each
        discrepancy's short and damaged quantity on its line, and what the customer noted."""
        initial: dict[str, Any] = {
            "customer": confirmation.customer_id,
            "kind": ReturnKind.RETURN,
            "confirmation": confirmation.pk,
        }
        notes = []
        quantities: dict[int, Decimal] = {}
        for line in confirmation.lines.all():
            quantities[line.outbound_line_id] = (
                quantities.get(line.outbound_line_id, Decimal(0)) + line.short + line.damaged
            )
            if line.remark:
                notes.append(f"{line.product.name}: {line.remark}")
        for line_id, quantity in quantities.items():
            if quantity > 0:
                initial[f"quantity_{line_id}"] = format(quantity.normalize(), "f")
        reason = _("Discrepancies on customer confirmation %(number)s") % {"number": confirmation.number}
        initial["reason"] = "\n".join([str(reason), *notes])
        return initial


class ReturnCheckForm(BootstrapFormMixin, forms.Form):
    """W8.2: per return line, do name, specification and quantity match what was delivered."""

    CHECKS = (("name", _("Name matches")), ("spec", _("Specification matches")), ("quantity", _("Quantity matches")))

    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)

    def __init__(self, *args: Any, lines: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            for key, label in self.CHECKS:
                field = forms.BooleanField(label=label, required=False)
                field.widget.attrs.update({"class": "form-check-input", "aria-label": f"{line.product.name}: {label}"})
                self.fields[f"{key}_{line.pk}"] = field

    def line_rows(self) -> list[dict[str, Any]]:
        return [
            {"line": line, "boxes": [self[f"{key}_{line.pk}"] for key, _label in self.CHECKS]} for line in self.lines
        ]

    def checks(self) -> dict[int, tuple[bool, bool, bool]]:
        data = self.cleaned_data
        return {
            line.pk: (
                bool(data.get(f"name_{line.pk}")),
                bool(data.get(f"spec_{line.pk}")),
                bool(data.get(f"quantity_{line.pk}")),
            )
            for line in self.lines
        }


class ReturnVerifyForm(BootstrapFormMixin, forms.Form):
    """W8.3: the technical department's notes on the goods' authenticity (required on a failure)."""

    notes = forms.CharField(label=_("Verification notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, passed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not passed:
            self.fields["notes"].label = _("Why the goods fail (required)")


class RedNoteIssueForm(BootstrapFormMixin, forms.Form):
    """W8.5: where the goods come back to; blank is the warehouse they were shipped from."""

    warehouse = forms.ModelChoiceField(
        label=_("Receive into"),
        queryset=Warehouse.objects.none(),
        required=False,
        empty_label=_("The warehouse the goods were shipped from"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = Warehouse.objects.filter(is_active=True).order_by("code")
        self.fields["warehouse"].widget.attrs["data-testid"] = "warehouse"


class DelayForm(BootstrapFormMixin, forms.Form):
    """R7: why a signed contract ships later than the working day after signing, and when it ships."""

    contract = _ContractChoice(label=_("Contract"), queryset=Contract.objects.none())
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *DelayReason.choices])
    detail = forms.CharField(
        label=_("Detail"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required when the reason is Other."),
    )
    ship_on = forms.DateField(label=_("Expected to ship on"), widget=forms.DateInput(format="%Y-%m-%d"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        signed = contract_list(user=user).filter(state__in=(ContractState.SIGNED, ContractState.ARCHIVED))
        self.fields["contract"].queryset = signed.order_by("-signed_on", "-pk")

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "contract_id": data["contract"].pk,
            "reason": data["reason"],
            "detail": data.get("detail") or "",
            "ship_on": data["ship_on"],
        }
