from django.urls import path

from . import views

app_name = "expenses"

urlpatterns = [
    path("", views.ExpenseListView.as_view(), name="expense-list"),
    path("export.xlsx", views.ExpenseExportView.as_view(), name="expense-export"),
    path("new/", views.ExpenseFormView.as_view(), name="expense-create"),
    path("<int:pk>/", views.ExpenseDetailView.as_view(), name="expense-detail"),
    path("<int:pk>/edit/", views.ExpenseFormView.as_view(), name="expense-update"),
    path("fees/", views.SpecialFeeListView.as_view(), name="specialfee-list"),
    path("fees/new/", views.SpecialFeeFormView.as_view(), name="specialfee-create"),
    path("fees/<int:pk>/", views.SpecialFeeDetailView.as_view(), name="specialfee-detail"),
    path("fees/<int:pk>/edit/", views.SpecialFeeFormView.as_view(), name="specialfee-update"),
    path("fees/<int:pk>/pay/", views.SpecialFeePayView.as_view(), name="specialfee-pay"),
    path("permits/", views.PermitListView.as_view(), name="permit-list"),
    path("permits/new/", views.PermitFormView.as_view(), name="permit-create"),
    path("permits/<int:pk>/", views.PermitDetailView.as_view(), name="permit-detail"),
    path("permits/<int:pk>/edit/", views.PermitFormView.as_view(), name="permit-update"),
]
