"""Routes of receivables (``receivables:``): each family's pages in its own module, joined here."""

from django.urls import path

from . import urls_instruments, urls_overview, urls_platform, views_dispatch, views_statements

app_name = "receivables"

urlpatterns = [
    path("statements/", views_statements.StatementListView.as_view(), name="statement-list"),
    path("statements/<int:pk>/", views_statements.StatementDetailView.as_view(), name="statement-detail"),
    path("red-forms/", views_statements.RedFormListView.as_view(), name="redform-list"),
    path("red-forms/<int:pk>/", views_statements.RedFormDetailView.as_view(), name="redform-detail"),
    path("dispatches/", views_dispatch.DispatchListView.as_view(), name="dispatch-list"),
    *urls_platform.urlpatterns,
    *urls_overview.urlpatterns,
    *urls_instruments.urlpatterns,
]
