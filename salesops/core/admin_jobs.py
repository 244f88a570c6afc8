"""The admin's list of every import job (registered from ``CoreConfig.ready``: ``core.admin`` is
imported while the apps load, before models may be used)."""

from django.contrib import admin

from .admin import ReadOnlyAdmin
from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    """Every import job, for the admin role (the job pages show a user only their own)."""

    list_display = ("id", "kind", "user", "state", "rows_done", "rows_total", "created_at", "finished_at")
    list_filter = ("state", "kind")
    list_select_related = ("user",)
    exclude = ("file",)
