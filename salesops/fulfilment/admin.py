"""Fulfilment in the admin site (admin role only): the company's delivery settings (R10's archiving
days, the confirmation list's days), saved through ``services.settings.settings_update``, which
audits the edit. Delivery documents change through their services only and are not here."""

from django import forms
from django.contrib import admin

from salesops.core.admin import RoleAdmin

from .models import FulfilmentSettings
from .services.settings import MAX_WORKING_DAYS, SETTINGS_FIELDS, settings_update


def _days_field(name: str) -> forms.IntegerField:
    """The model field's label and help, within the service's range: a value the service refuses is
    an error on its field, not a failed save."""
    model_field = FulfilmentSettings._meta.get_field(name)
    return forms.IntegerField(
        label=model_field.verbose_name,
        help_text=model_field.help_text,
        min_value=0,
        max_value=MAX_WORKING_DAYS,
    )


class FulfilmentSettingsForm(forms.ModelForm):
    archive_working_days = _days_field("archive_working_days")
    confirmation_working_days = _days_field("confirmation_working_days")

    class Meta:
        model = FulfilmentSettings
        fields = SETTINGS_FIELDS


@admin.register(FulfilmentSettings)
class FulfilmentSettingsAdmin(RoleAdmin):
    form = FulfilmentSettingsForm
    list_display = ("__str__", "archive_working_days", "confirmation_working_days")
    fields = SETTINGS_FIELDS

    def has_add_permission(self, request) -> bool:
        # One row: the company's settings (created by the registered defaults).
        return super().has_add_permission(request) and not FulfilmentSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        saved = settings_update(actor=request.user, **{name: form.cleaned_data[name] for name in SETTINGS_FIELDS})
        obj.pk = saved.pk
