"""The admin site is for the admin role only (SPEC.md: admin configures the company, users,
thresholds, rules, calendar). ``RoleAdmin`` grants model permissions by that role,
not by Django's per-model permission rows.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


def _is_admin(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_authenticated and user.has_role("admin"))


class SalesopsAdminSite(admin.AdminSite):
    site_header = "salesops"
    site_title = "salesops"

    def has_permission(self, request) -> bool:
        return _is_admin(request)


class SalesopsAdminConfig(AdminConfig):
    default_site = "salesops.core.admin.SalesopsAdminSite"


class RoleAdmin(admin.ModelAdmin):
    def has_module_permission(self, request) -> bool:
        return _is_admin(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _is_admin(request)

    def has_add_permission(self, request) -> bool:
        return _is_admin(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return _is_admin(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return _is_admin(request)


class ReadOnlyAdmin(RoleAdmin):
    """For rows only services write (documents, audit events): the admin may look, not touch."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
