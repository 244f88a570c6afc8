from django.urls import path

from . import views

app_name = "customers"

urlpatterns = [
    path("", views.CustomerListView.as_view(), name="customer-list"),
    path("new/", views.CustomerCreateView.as_view(), name="customer-create"),
    path("export.xlsx", views.CustomerExportView.as_view(), name="customer-export"),
    path("import/", views.CustomerImportView.as_view(), name="customer-import"),
    path("<int:pk>/", views.CustomerDetailView.as_view(), name="customer-detail"),
    path("<int:pk>/edit/", views.CustomerUpdateView.as_view(), name="customer-update"),
    path("<int:pk>/reassign/", views.CustomerReassignView.as_view(), name="customer-reassign"),
    path("<int:pk>/contacts/new/", views.ContactCreateView.as_view(), name="contact-create"),
    path("contacts/<int:pk>/edit/", views.ContactUpdateView.as_view(), name="contact-update"),
    path("intel/", views.IntelListView.as_view(), name="intel-list"),
    path("intel/new/", views.IntelCreateView.as_view(), name="intel-create"),
    path("competitors/", views.CompetitorListView.as_view(), name="competitor-list"),
    path("competitors/new/", views.CompetitorCreateView.as_view(), name="competitor-create"),
    path("competitors/<int:pk>/edit/", views.CompetitorUpdateView.as_view(), name="competitor-update"),
]
