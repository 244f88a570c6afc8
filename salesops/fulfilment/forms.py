"""Forms of the warehouse: a receipt and an adjustment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from salesops.catalog.models import Product, Warehouse
from salesops.core.forms import BootstrapFormMixin


class _StockForm(BootstrapFormMixin, forms.Form):
    warehouse_id = forms.ModelChoiceField(label=_("Warehouse"), queryset=Warehouse.objects.none())
    product_id = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse_id"].queryset = Warehouse.objects.filter(is_active=True).order_by("code")
        self.fields["product_id"].queryset = Product.objects.filter(is_active=True).order_by("code")

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["warehouse_id"] = data["warehouse_id"].pk
        data["product_id"] = data["product_id"].pk
        return data


class ReceiptForm(_StockForm):
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=14, decimal_places=3)
    reason = forms.CharField(label=_("Note (supplier, delivery note)"), max_length=300, required=False)


class AdjustmentForm(_StockForm):
    change = forms.DecimalField(
        label=_("Change (+ or -)"), max_digits=14, decimal_places=3, help_text=_("e.g. -2 after a count")
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)
