from django.contrib import admin
from django.urls import include, path

from salesops.api import api
from salesops.core import views as core_views
from salesops.org import views as org_views

admin.site.site_header = "salesops"
admin.site.site_title = "salesops"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/login/", org_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", org_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("salesops.org.urls")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("salesops.workflow.urls")),
    path("customers/", include("salesops.customers.urls")),
    path("catalog/", include("salesops.catalog.urls")),
    path("expenses/", include("salesops.expenses.urls")),
    path("deals/", include("salesops.deals.urls")),
    path("fulfilment/", include("salesops.fulfilment.urls")),
    path("receivables/", include("salesops.receivables.urls")),
    path("compliance/", include("salesops.compliance.urls")),
    path("pickers/", include("salesops.core.urls")),
    path("jobs/", include("salesops.core.urls_jobs")),
]

handler403 = "salesops.core.views.forbidden"
handler404 = "salesops.core.views.not_found"
handler500 = "salesops.core.views.server_error"
