"""Admin pages of the catalogue (admin role only); saves go through the services."""

from django.contrib import admin

from salesops.core.admin import RoleAdmin
from salesops.core.fields import service_values

from . import services
from .fields import PRODUCT_FIELDS, WAREHOUSE_FIELDS
from .models import Product, Warehouse


@admin.register(Product)
class ProductAdmin(RoleAdmin):
    list_display = ["code", "name", "model", "specification", "unit", "standard_price", "floor_price", "is_active"]
    list_filter = ["is_active", "unit"]
    search_fields = ["code", "name", "model", "specification", "tax_code", "tax_short_name"]
    list_select_related = []
    fields = [*PRODUCT_FIELDS, "version"]
    readonly_fields = ["version"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # products are deactivated, never deleted: documents refer to them

    def save_model(self, request, obj, form, change):
        values = service_values(form, PRODUCT_FIELDS)
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
    fields = WAREHOUSE_FIELDS

    def save_model(self, request, obj, form, change):
        values = service_values(form, WAREHOUSE_FIELDS)
        if change:
            services.warehouse_update(warehouse=obj, actor=request.user, **values)
        else:
            obj.pk = services.warehouse_create(actor=request.user, **values).pk
