"""Routes of the platform pages, to be included in ``receivables.urls`` (names ``receivables:platform-*``)."""

from django.urls import path

from . import views_platform

urlpatterns = [
    path("platform/export/", views_platform.PlatformExportView.as_view(), name="platform-export"),
    path("platform/import/", views_platform.PlatformImportView.as_view(), name="platform-import"),
]
