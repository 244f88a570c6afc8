"""Forms of the product and warehouse pages: they parse input only; the services decide what is
allowed (floor price at most the standard price, tax rate between 0 and 1, the keeper a warehouse keeper)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from salesops.core.forms import ServiceValidatedModelForm
from salesops.org.models import active_holders

from .fields import PRODUCT_FIELDS, WAREHOUSE_FIELDS
from .models import Product, Warehouse
from .permissions import WAREHOUSE_KEEPERS


class ProductForm(ServiceValidatedModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Product
        fields = PRODUCT_FIELDS
        widgets = {"technical_parameters": forms.Textarea(attrs={"rows": 4})}


class WarehouseForm(ServiceValidatedModelForm):
    """The keeper list offers only active warehouse keepers (库管员); any other id posted is refused
    on the field in the service's own words (the service checks it again)."""

    class Meta:
        model = Warehouse
        fields = WAREHOUSE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keeper = self.fields["keeper"]
        keeper.queryset = active_holders(*WAREHOUSE_KEEPERS).order_by("username")
        keeper.error_messages["invalid_choice"] = _("Not a warehouse keeper.")
