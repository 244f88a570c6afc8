"""Input forms: they parse and name bad fields; the rules live in ``services``."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.core.forms import BootstrapFormMixin
from salesops.core.pickers import use_picker
from salesops.customers.models import Customer

from .models import CollectionMethod, CollectionPermit, ExpenseCategory, ExpenseRequest, SpecialFee, SpecialFeeKind


class _CustomerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Customer) -> str:
        return f"{obj.code} {obj.name}"


class _VersionedForm(BootstrapFormMixin, forms.Form):
    """An edit form carries the version it was loaded with; its errors are shown above the form (it is hidden)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def require_version(self) -> None:
        self.fields["version"].required = True

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and "version" in self._errors:
            del self._errors["version"]
            self.add_error(None, _("This form is out of date; reload the page and edit again."))


class _CustomerDocumentForm(_VersionedForm):
    """A document about one of the user's active customers (those ``picker`` offers); an edit form
    starts from the document's values."""

    picker = "customer"

    def __init__(self, *args, user, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {**self.initial_of(instance), "version": instance.version}
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = self.customers(user).order_by("code")
        use_picker(self.fields["customer"], self.picker)

    def customers(self, user):
        return Customer.objects.visible_to(user).filter(is_active=True)

    @staticmethod
    def initial_of(instance) -> dict:
        raise NotImplementedError


def _amount_field() -> forms.DecimalField:
    return forms.DecimalField(label=_("Amount (yuan)"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))


class ExpenseForm(_CustomerDocumentForm):
    """Create or edit an expense request; ``version`` travels hidden so a stale edit is refused."""

    category = forms.ChoiceField(label=_("Category"), choices=ExpenseCategory.choices)
    customer = _CustomerChoice(label=_("Customer"), queryset=Customer.objects.none(), required=False)
    amount = _amount_field()
    planned_on = forms.DateField(label=_("Planned date"), widget=forms.DateInput(format="%Y-%m-%d"))
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    already_incurred = forms.BooleanField(
        label=_("Record as already incurred (R3 breach: not agreed with the manager beforehand)"), required=False
    )
    incurred_on = forms.DateField(
        label=_("Incurred on"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d"),
        help_text=_("Only for an expense already spent."),
    )

    @staticmethod
    def initial_of(instance: ExpenseRequest) -> dict:
        return {
            "category": instance.category,
            "customer": instance.customer_id,
            "amount": instance.amount,
            "planned_on": instance.planned_on,
            "purpose": instance.purpose,
            "already_incurred": instance.incurred_before_approval,
            "incurred_on": instance.incurred_on,
        }

    def clean(self):
        data = super().clean()
        if data.get("already_incurred") and not data.get("incurred_on"):
            self.add_error("incurred_on", _("Give the date the expense was incurred."))
        if not data.get("already_incurred"):
            data["incurred_on"] = None
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "category": data["category"],
            "customer_id": data["customer"].pk if data.get("customer") else None,
            "amount": data["amount"],
            "planned_on": data["planned_on"],
            "purpose": data["purpose"],
            "incurred_on": data.get("incurred_on"),
        }


class SpecialFeeForm(_CustomerDocumentForm):
    """Create or edit a special fee proposal (R5)."""

    customer = _CustomerChoice(label=_("Customer"), queryset=Customer.objects.none())
    kind = forms.ChoiceField(label=_("Fee kind"), choices=SpecialFeeKind.choices)
    amount = _amount_field()
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    @staticmethod
    def initial_of(instance: SpecialFee) -> dict:
        return {
            "customer": instance.customer_id,
            "kind": instance.kind,
            "amount": instance.amount,
            "reason": instance.reason,
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "customer_id": data["customer"].pk,
            "kind": data["kind"],
            "amount": data["amount"],
            "reason": data["reason"],
        }


class PaymentForm(BootstrapFormMixin, forms.Form):
    """Finance's record of a special fee's payment (R6)."""

    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(format="%Y-%m-%d"))
    reference = forms.CharField(label=_("Payment reference"), max_length=100)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"paid_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class PermitForm(_CustomerDocumentForm):
    """Create or edit a dealer collection permit (R2): one of the user's dealers, a limit, how and when."""

    picker = "dealer"
    customer = _CustomerChoice(label=_("Dealer"), queryset=Customer.objects.none())
    limit_amount = forms.DecimalField(
        label=_("Amount limit (yuan)"), max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    method = forms.ChoiceField(label=_("Collected as"), choices=CollectionMethod.choices)
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(format="%Y-%m-%d"))
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput(format="%Y-%m-%d"))
    reason = forms.CharField(
        label=_("Why you must collect it yourself"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The special case that keeps the dealer from paying the company directly (R2)."),
    )

    def __init__(self, *args, user, instance=None, **kwargs):
        if instance is None:
            kwargs.setdefault("initial", {"valid_from": timezone.localdate()})
        super().__init__(*args, user=user, instance=instance, **kwargs)

    def customers(self, user):
        from .pickers import dealers_of

        return dealers_of(user)

    @staticmethod
    def initial_of(instance: CollectionPermit) -> dict:
        return {
            "customer": instance.customer_id,
            "limit_amount": instance.limit_amount,
            "method": instance.method,
            "valid_from": instance.valid_from,
            "valid_until": instance.valid_until,
            "reason": instance.reason,
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "customer_id": data["customer"].pk,
            "limit_amount": data["limit_amount"],
            "method": data["method"],
            "valid_from": data["valid_from"],
            "valid_until": data["valid_until"],
            "reason": data["reason"],
        }
