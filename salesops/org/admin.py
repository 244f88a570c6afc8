"""The organisation in the admin site (admin role only): company and its major thresholds,
regions, branches, departments, users with their roles, the calendar overrides.

Changing a user's roles or disabling a user goes through ``salesops.org.services``
(``user_set_roles``, ``user_disable``), which end the user's sessions and API tokens.
"""

from django.contrib import admin, messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from salesops.core.admin import ReadOnlyAdmin, RoleAdmin

from .calendar import is_workday, provisional_years, statutory_data_covers
from .models import Branch, CalendarOverride, Company, Department, MajorThreshold, Region, User, UserRole
from .roles import Role
from .services import login_lock_lift, user_disable, user_set_roles


def _is_admin(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_authenticated and user.has_role(Role.ADMIN))


class RoleTabularInline(admin.TabularInline):
    """An inline the admin role may edit (inlines otherwise ask Django's per-model permissions)."""

    def has_view_permission(self, request, obj=None) -> bool:
        return _is_admin(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return _is_admin(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return _is_admin(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return _is_admin(request)


class MajorThresholdInline(RoleTabularInline):
    model = MajorThreshold
    extra = 0
    fields = ("doc_type", "amount")


@admin.register(Company)
class CompanyAdmin(RoleAdmin):
    list_display = ("name", "short_name", "phone", "tax_number")
    fields = ("name", "short_name", "address", "phone", "tax_number", "bank_account", "stamp")
    inlines = [MajorThresholdInline]

    def has_add_permission(self, request) -> bool:
        # One company: salesops runs one company's regulation.
        return super().has_add_permission(request) and not Company.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(RoleAdmin):
    list_display = ("code", "name", "parent")
    list_select_related = ("parent",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)


@admin.register(Branch)
class BranchAdmin(RoleAdmin):
    list_display = ("code", "name", "is_head_office", "region", "manager")
    list_select_related = ("region", "manager")
    search_fields = ("code", "name")
    autocomplete_fields = ("region", "manager")


@admin.register(Department)
class DepartmentAdmin(RoleAdmin):
    list_display = ("name", "branch", "manager")
    list_filter = ("branch",)
    list_select_related = ("branch", "manager")
    search_fields = ("name", "branch__name")
    autocomplete_fields = ("manager",)


class UserRoleInline(RoleTabularInline):
    model = UserRole
    extra = 1
    fields = ("role",)


@admin.register(User)
class UserAdmin(RoleAdmin, DjangoUserAdmin):
    """Staff and their roles. Roles are saved by ``user_set_roles`` (sessions end); unticking
    *active* runs ``user_disable``. Django's groups and per-model permissions are not used."""

    inlines = [UserRoleInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("display_name", "first_name", "last_name", "email", "phone")}),
        (_("Organisation"), {"fields": ("branch", "department", "manager")}),
        (_("Access"), {"fields": ("is_active", "is_staff")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (_("Personal info"), {"fields": ("display_name", "email", "phone")}),
        (_("Organisation"), {"fields": ("branch", "department", "manager")}),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "display_name", "branch", "department", "manager", "role_list", "is_active")
    list_filter = ("is_active", "role_links__role", "branch", "department")
    list_select_related = ("branch", "department", "manager")
    search_fields = ("username", "display_name", "first_name", "last_name", "email", "phone")
    autocomplete_fields = ("manager",)
    filter_horizontal = ()
    actions = ["lift_login_lock"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("role_links")

    @admin.display(description=_("roles"))
    def role_list(self, obj: User) -> str:
        labels = dict(Role.choices)
        return "、".join(str(labels.get(role, role)) for role in sorted(obj.roles))

    @admin.action(description=_("Lift the log-in lock"))
    def lift_login_lock(self, request, queryset) -> None:
        """Per account and per address: the user can log in again at once (issue 7, item 8)."""
        users = list(queryset)
        for user in users:
            login_lock_lift(username=user.username, actor=request.user)
        self.message_user(request, gettext("Log-in lock lifted for %(count)d user(s).") % {"count": len(users)})

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            user_disable(user=obj, actor=request.user)

    def save_related(self, request, form, formsets, change) -> None:
        form.save_m2m()
        user = form.instance
        wanted: set[str] | None = None
        for formset in formsets:
            if formset.model is UserRole:
                wanted = self._wanted_roles(formset, user)
            else:
                self.save_formset(request, form, formset, change=change)
        if wanted is None:
            return
        user_set_roles(user=user, roles=wanted, actor=request.user)
        if user.pk == request.user.pk:
            # The admin editing their own roles keeps this session; their other sessions end.
            update_session_auth_hash(request, user)

    @staticmethod
    def _wanted_roles(formset, user: User) -> set[str]:
        """The roles the inline asks for. The formset itself is not saved (the service writes
        the rows); its new/deleted lists are filled for the admin's change message."""
        before = set(UserRole.objects.filter(user=user).values_list("role", flat=True)) if user.pk else set()
        wanted = {
            form.cleaned_data["role"]
            for form in formset.forms
            if form.cleaned_data.get("role") and not formset._should_delete_form(form)
        }
        formset.new_objects = [UserRole(user=user, role=role) for role in sorted(wanted - before)]
        formset.deleted_objects = [UserRole(user=user, role=role) for role in sorted(before - wanted)]
        formset.changed_objects = []
        return wanted


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(RoleAdmin):
    list_display = ("day", "weekday", "is_workday", "statutory", "note")
    list_filter = ("is_workday",)
    search_fields = ("note",)
    date_hierarchy = "day"

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarOverride) -> str:
        return str(WEEKDAYS[obj.day.weekday()])

    @admin.display(description=_("statutory calendar"))
    def statutory(self, obj: CalendarOverride) -> str:
        label = gettext("working day") if is_workday(obj.day, overrides={}) else gettext("day off")
        if not statutory_data_covers(obj.day.year):
            return f"{label} ({gettext('provisional')})"
        return label

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            year = timezone.localdate().year
            missing = provisional_years([year, year + 1])
            if missing:
                messages.warning(
                    request,
                    gettext(
                        "No official holiday arrangement for %(years)s yet: deadlines there are provisional "
                        "(weekends and the statutory holiday dates, no swapped working days). Enter the "
                        "arrangement on the calendar page once it is published."
                    )
                    % {"years": ", ".join(str(y) for y in missing)},
                )
        return super().changelist_view(request, extra_context)


# Roles replace Django's groups.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


def _register_lockouts() -> None:
    """django-axes' lockout records, for the admin role: attempts may be deleted (that unlocks a
    user), the logs are read only (ASVS 16.4.2)."""
    from axes import admin as axes_admin
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    class AccessAttemptAdmin(RoleAdmin, axes_admin.AccessAttemptAdmin):
        def has_add_permission(self, request) -> bool:
            return False

        def has_change_permission(self, request, obj=None) -> bool:
            return False

    class AccessLogAdmin(ReadOnlyAdmin, axes_admin.AccessLogAdmin):
        pass

    class AccessFailureLogAdmin(ReadOnlyAdmin, axes_admin.AccessFailureLogAdmin):
        pass

    for model, model_admin in [
        (AccessAttempt, AccessAttemptAdmin),
        (AccessLog, AccessLogAdmin),
        (AccessFailureLog, AccessFailureLogAdmin),
    ]:
        if admin.site.is_registered(model):
            admin.site.unregister(model)
            admin.site.register(model, model_admin)


_register_lockouts()
