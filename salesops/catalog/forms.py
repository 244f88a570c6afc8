"""Forms of the product pages: they parse input only; the services decide what is allowed
(floor price at most the standard price, tax rate between 0 and 1)."""

from django import forms

from salesops.core.forms import ServiceValidatedModelForm

from .fields import PRODUCT_FIELDS
from .models import Product


class ProductForm(ServiceValidatedModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Product
        fields = PRODUCT_FIELDS
        widgets = {"technical_parameters": forms.Textarea(attrs={"rows": 4})}
