"""Expenses in the admin site: documents are looked at only (they change through services: state,
approvals, audit); the collection permit settings are edited through ``collection_settings_update``."""

from django import forms
from django.contrib import admin

from salesops.core.admin import ReadOnlyAdmin, RoleAdmin

from .models import CollectionPermit, CollectionSettings, ExpenseRequest, SpecialFee
from .services import SETTINGS_LIMITS, collection_settings_update


@admin.register(ExpenseRequest)
class ExpenseRequestAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "state",
        "category",
        "owner",
        "branch",
        "amount",
        "planned_on",
        "incurred_before_approval",
    )
    list_filter = ("state", "category", "incurred_before_approval", "branch")
    search_fields = ("number", "purpose", "owner__username", "customer__name")
    list_select_related = ("owner", "branch")
    date_hierarchy = "created_at"


@admin.register(SpecialFee)
class SpecialFeeAdmin(ReadOnlyAdmin):
    list_display = ("number", "state", "kind", "customer", "owner", "branch", "amount", "paid_on")
    list_filter = ("state", "kind", "branch")
    search_fields = ("number", "reason", "owner__username", "customer__name")
    list_select_related = ("owner", "branch", "customer")
    date_hierarchy = "created_at"


@admin.register(CollectionPermit)
class CollectionPermitAdmin(ReadOnlyAdmin):
    list_display = ("number", "state", "customer", "owner", "branch", "limit_amount", "valid_from", "valid_until")
    list_filter = ("state", "method", "branch")
    search_fields = ("number", "reason", "owner__username", "customer__name")
    list_select_related = ("owner", "branch", "customer")
    date_hierarchy = "created_at"


def _days_field(name: str) -> forms.IntegerField:
    """The model field's label and help, within the service's range: a value the service refuses is
    an error on its field, not a failed save."""
    model_field = CollectionSettings._meta.get_field(name)
    lowest, highest = SETTINGS_LIMITS[name]
    return forms.IntegerField(
        label=model_field.verbose_name, help_text=model_field.help_text, min_value=lowest, max_value=highest
    )


class CollectionSettingsForm(forms.ModelForm):
    remit_working_days = _days_field("remit_working_days")
    max_validity_days = _days_field("max_validity_days")

    class Meta:
        model = CollectionSettings
        fields = tuple(SETTINGS_LIMITS)


@admin.register(CollectionSettings)
class CollectionSettingsAdmin(RoleAdmin):
    form = CollectionSettingsForm
    list_display = ("__str__", "remit_working_days", "max_validity_days")
    fields = tuple(SETTINGS_LIMITS)

    def has_add_permission(self, request) -> bool:
        # One row: the company's settings (created by the registered defaults).
        return super().has_add_permission(request) and not CollectionSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        saved = collection_settings_update(
            actor=request.user, **{name: form.cleaned_data[name] for name in SETTINGS_LIMITS}
        )
        obj.pk = saved.pk
