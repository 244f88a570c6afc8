"""Expenses in the admin site: look only; documents change through services (state, approvals, audit)."""

from django.contrib import admin

from salesops.core.admin import ReadOnlyAdmin

from .models import ExpenseRequest, SpecialFee


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
