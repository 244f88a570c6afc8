"""The admin's list of every background job (registered from ``CoreConfig.ready``: ``core.admin`` is
imported while the apps load, before models may be used)."""

from django.contrib import admin

from .admin import ReadOnlyAdmin
from .models import Job


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Every import and export job, for the admin role (the job pages show a user only their own;
    an export's file is its requester's alone, so it is not shown here either)."""

    list_display = ("id", "operation", "kind", "user", "state", "rows_done", "rows_total", "created_at", "finished_at")
    list_filter = ("operation", "state", "kind")
    list_select_related = ("user",)
    exclude = ("file",)
