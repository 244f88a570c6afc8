"""Routes of the receivables overview, included in ``receivables/urls.py`` (namespace ``receivables``)."""

from django.urls import path

from . import views_overview as views

urlpatterns = [
    path("accounts/", views.AccountListView.as_view(), name="accounts"),
    path("accounts/<int:pk>/", views.AccountDetailView.as_view(), name="account-detail"),
    path("ageing/", views.AgeingView.as_view(), name="ageing"),
    path("dunning/", views.DunningView.as_view(), name="dunning"),
    path("collection-rate/", views.CollectionRateView.as_view(), name="collection-rate"),
    path("collection-rate/targets/new/", views.CollectionTargetView.as_view(), name="collection-target"),
    path("settings/", views.ReceivablesSettingsView.as_view(), name="settings"),
]
