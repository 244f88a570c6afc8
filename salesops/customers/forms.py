"""Forms of the customer pages: they parse input only; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from salesops.core.forms import BootstrapFormMixin, ServiceValidatedModelForm
from salesops.core.pickers import PickerField, use_picker

from .fields import COMPETITOR_FIELDS, CONTACT_FIELDS, CUSTOMER_FIELDS
from .models import Competitor, Contact, Customer, MarketIntel


class CustomerForm(ServiceValidatedModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Customer
        fields = CUSTOMER_FIELDS
        widgets = {
            "demanded_products": forms.Textarea(attrs={"rows": 2}),
            "competitor_products": forms.Textarea(attrs={"rows": 2}),
            "last_visit_on": forms.DateInput(),
        }


class CustomerCreateForm(CustomerForm):
    """Adds the owner for those who may give a customer to somebody else."""

    owner = PickerField("salesperson", queryset=None, required=False, label=_("salesperson"))

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is None:
            del self.fields["owner"]
        else:
            self.fields["owner"].queryset = owners
        self.order_fields(["owner", *CUSTOMER_FIELDS])

    def service_fields(self) -> dict:
        values = {k: v for k, v in super().service_fields().items() if k != "owner_id"}
        owner = self.cleaned_data.get("owner")
        if owner is not None:
            values["owner_id"] = owner.pk
        return values


class ReassignForm(BootstrapFormMixin, forms.Form):
    owner = PickerField("salesperson", queryset=None, label=_("salesperson"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class ContactForm(ServiceValidatedModelForm):
    class Meta:
        model = Contact
        fields = CONTACT_FIELDS


class CompetitorForm(ServiceValidatedModelForm):
    class Meta:
        model = Competitor
        fields = COMPETITOR_FIELDS
        widgets = {
            "products": forms.Textarea(attrs={"rows": 3}),
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class IntelForm(ServiceValidatedModelForm):
    class Meta:
        model = MarketIntel
        fields = [
            "subject",
            "customer",
            "competitor",
            "region",
            "reported_on",
            "product_structure",
            "sales_info",
            "market_facts",
        ]
        widgets = {
            "reported_on": forms.DateInput(),
            "product_structure": forms.Textarea(attrs={"rows": 3}),
            "sales_info": forms.Textarea(attrs={"rows": 3}),
            "market_facts": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, customers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers
        use_picker(self.fields["customer"], "customer")
        self.fields["region"].required = False
        self.fields["reported_on"].required = False
