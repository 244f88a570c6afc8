"""Forms of the product pages: they parse input only; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from salesops.core.forms import BootstrapFormMixin

from .models import Product

PRODUCT_FORM_FIELDS = [
    "code",
    "name",
    "model",
    "specification",
    "unit",
    "standard_price",
    "floor_price",
    "tax_rate",
    "technical_parameters",
    "is_active",
]


class ProductForm(BootstrapFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Product
        fields = PRODUCT_FORM_FIELDS
        widgets = {"technical_parameters": forms.Textarea(attrs={"rows": 4})}

    def _post_clean(self) -> None:
        # The model's rules (floor ≤ standard, tax rate range) are the service's to check.
        return None

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
