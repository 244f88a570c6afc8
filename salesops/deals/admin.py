"""Deals settings in the admin site (admin role only): the company's standard terms (R4).

Documents are written by the services only; the standard terms are saved through
``standard_terms_update``, which audits the edit.
"""

from django.contrib import admin

from salesops.core.admin import RoleAdmin

from .models import StandardTerms
from .services.terms import standard_terms_update


@admin.register(StandardTerms)
class StandardTermsAdmin(RoleAdmin):
    list_display = ("__str__", "warranty", "delivery_time")
    fields = StandardTerms.CHECKED_FIELDS

    def has_add_permission(self, request) -> bool:
        # One row: the company's standard terms (created by the registered defaults).
        return super().has_add_permission(request) and not StandardTerms.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        values = {name: form.cleaned_data.get(name, "") for name in StandardTerms.CHECKED_FIELDS}
        saved = standard_terms_update(actor=request.user, **values)
        obj.pk = saved.pk
