"""Admin pages of the catalogue (admin role only); saves go through the services."""

from django.contrib import admin

from salesops.core.admin import RoleAdmin

from . import services
from .models import Product, Warehouse


def _values(form, names) -> dict:
    values = {}
    for name in names:
        if name not in form.cleaned_data:
            continue
        field = form._meta.model._meta.get_field(name)
        value = form.cleaned_data[name]
        values[f"{name}_id" if field.is_relation else name] = (
            (value.pk if value is not None else None) if field.is_relation else value
        )
    return values


@admin.register(Product)
class ProductAdmin(RoleAdmin):
    list_display = ["code", "name", "model", "specification", "unit", "standard_price", "floor_price", "is_active"]
    list_filter = ["is_active", "unit"]
    search_fields = ["code", "name", "model", "specification"]
    list_select_related = []
    fields = [
        "code",
        "name",
        "model",
        "specification",
        "unit",
        "technical_parameters",
        "standard_price",
        "floor_price",
        "tax_rate",
        "is_active",
        "version",
    ]
    readonly_fields = ["version"]
    editable = [f for f in fields if f != "version"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # products are deactivated, never deleted: documents refer to them

    def save_model(self, request, obj, form, change):
        values = _values(form, self.editable)
        if change:
            current = Product.objects.get(pk=obj.pk)
            services.product_update(product=current, actor=request.user, version=current.version, **values)
        else:
            obj.pk = services.product_create(actor=request.user, **values).pk
        obj.refresh_from_db()


@admin.register(Warehouse)
class WarehouseAdmin(RoleAdmin):
    list_display = ["code", "name", "branch", "keeper", "is_active"]
    list_filter = ["is_active", "branch"]
    search_fields = ["code", "name", "address"]
    list_select_related = ["branch", "keeper"]
    fields = ["code", "name", "branch", "address", "keeper", "is_active"]

    def save_model(self, request, obj, form, change):
        values = _values(form, self.fields)
        if change:
            services.warehouse_update(warehouse=obj, actor=request.user, **values)
        else:
            obj.pk = services.warehouse_create(actor=request.user, **values).pk
