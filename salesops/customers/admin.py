"""Admin pages (admin role only). Saves go through the services, so their rules and derived
fields (owner's branch and department, version) hold here too. The form already applies the
model's validation, which is what the services check, so a refusal there is exceptional."""

from django.contrib import admin

from salesops.core.admin import RoleAdmin
from salesops.core.fields import service_values

from . import services
from .fields import COMPETITOR_FIELDS, CONTACT_FIELDS, CUSTOMER_FIELDS
from .models import Competitor, Contact, Customer, MarketIntel
from .permissions import OWNER_ROLES


@admin.register(Customer)
class CustomerAdmin(RoleAdmin):
    list_display = ["code", "name", "kind", "region", "owner", "branch", "potential_grade", "is_active"]
    list_filter = ["kind", "potential_grade", "default_invoice_kind", "is_active", "branch", "region"]
    search_fields = ["code", "name", "search_key", "phone", "owner__username", "tax_number", "invoice_title"]
    list_select_related = ["region", "owner", "branch"]
    readonly_fields = ["branch", "department", "version", "created_at", "updated_at"]
    fields = [*CUSTOMER_FIELDS, "owner", "branch", "department", "version", "created_at", "updated_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            from salesops.org.models import User

            kwargs["queryset"] = (
                User.objects.filter(is_active=True, branch__isnull=False, role_links__role__in=OWNER_ROLES)
                .distinct()
                .order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # customers are deactivated, never deleted: documents refer to them

    def save_model(self, request, obj, form, change):
        values = service_values(form, CUSTOMER_FIELDS)
        if not change:
            created = services.customer_create(actor=request.user, owner_id=obj.owner_id, **values)
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        current = Customer.objects.get(pk=obj.pk)
        services.customer_update(customer=current, actor=request.user, version=current.version, **values)
        if "owner" in form.changed_data:
            services.customer_reassign(customer=current, actor=request.user, owner_id=obj.owner_id)
        obj.refresh_from_db()


@admin.register(Contact)
class ContactAdmin(RoleAdmin):
    list_display = ["name", "customer", "title", "phone", "email", "is_decision_maker"]
    list_filter = ["is_decision_maker"]
    search_fields = ["name", "phone", "email", "customer__name", "customer__code"]
    list_select_related = ["customer"]
    raw_id_fields = ["customer"]
    fields = ["customer", *CONTACT_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        return ["customer"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        values = service_values(form, CONTACT_FIELDS)
        if change:
            services.contact_update(contact=obj, actor=request.user, **values)
        else:
            obj.pk = services.contact_add(customer=obj.customer, actor=request.user, **values).pk


@admin.register(Competitor)
class CompetitorAdmin(RoleAdmin):
    list_display = ["name", "products"]
    search_fields = ["name", "products", "strengths"]
    list_select_related = []
    fields = COMPETITOR_FIELDS

    def save_model(self, request, obj, form, change):
        values = service_values(form, COMPETITOR_FIELDS)
        if change:
            services.competitor_update(competitor=obj, actor=request.user, **values)
        else:
            obj.pk = services.competitor_create(actor=request.user, **values).pk


@admin.register(MarketIntel)
class MarketIntelAdmin(RoleAdmin):
    """Entries are written by their authors (R1); the admin may look and remove a wrong one."""

    list_display = ["reported_on", "subject", "customer", "competitor", "region", "owner", "branch"]
    list_filter = ["subject", "region", "branch"]
    search_fields = ["product_structure", "sales_info", "market_facts", "customer__name", "competitor__name"]
    list_select_related = ["customer", "competitor", "region", "owner", "branch"]
    date_hierarchy = "reported_on"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
